import { TZDate } from "@date-fns/tz";
import type { Channel } from "./channels";
import { messageEvents, threadEvents } from "./events";
import type { FollowUpThread } from "./followUps";
import { availability, type OpeningHours } from "./hours";
import { hashId } from "./ids";
import type { MessageWrite, ThreadWrite } from "./reactions";
import { INSIGHT_COLUMNS, type InsightRow } from "./insightsTable";
import { HOUR_MS, MINUTE_MS } from "./time";

/**
 * Insights (issue 19): what reaching visitors after they left brought back, per day in the
 * business's time zone. Every write the triggers see becomes zero or more *facts*; a fact is a set
 * of counter increments with a deterministic id, so the store counts it once however often the
 * trigger is delivered. A day is the sum of its facts' counters (flat numeric fields, so shards
 * add up by plain addition), and every figure the console shows is computed from summed counters:
 * first-response times are kept as bucket counts, so a median over 90 days is the median of the
 * merged buckets, not a median of daily medians.
 */
export type Counters = Record<string, number>;

export interface Fact {
  /** Deterministic: a redelivered trigger derives the same id (the store records it, counts it once). */
  id: string;
  /** When it happened: decides the day, in the business's zone. */
  at: Date;
  counters: Counters;
}

/** Upper bounds (minutes) of the first-response buckets; the last one is open-ended. */
export const RESPONSE_BUCKETS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 10080, Infinity];

export type Hours = "open" | "closed";
export const responseCounter = (hours: Hours, bucket: number) => `frt_${hours}_${bucket}`;

export function responseBucket(ms: number): number {
  const minutes = Math.max(0, ms) / MINUTE_MS;
  return RESPONSE_BUCKETS_MIN.findIndex((upper) => minutes < upper);
}

/** The calendar day (yyyy-mm-dd) of an instant in the business's zone. */
export function dayOf(at: Date, timeZone: string): string {
  const local = new TZDate(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** The `count` days ending with `at`'s day in the zone, oldest first (calendar days: DST-proof). */
export function lastDays(at: Date, count: number, timeZone: string): string[] {
  const [y, m, d] = dayOf(at, timeZone).split("-").map(Number) as [number, number, number];
  const days: string[] = [];
  for (let back = count - 1; back >= 0; back--) {
    days.push(new Date(Date.UTC(y, m - 1, d - back)).toISOString().slice(0, 10));
  }
  return days;
}

/** Which counter shard a fact lands in: spread by its id, so one busy day is never one hot document. */
export function shardOf(factId: string, shards: number): number {
  return parseInt(hashId("shard", factId).slice(0, 8), 16) % shards;
}

const time = (d: Date | null | undefined) => d?.getTime();

/** The first-response fact of a thread: from its first visitor message to the first agent reply. */
function firstResponse(threadId: string, t: FollowUpThread, hours: OpeningHours | undefined): Fact {
  const wroteAt = t.createdAt;
  const within: Hours = availability(hours, wroteAt).open ? "open" : "closed";
  const ms = t.firstResponseAt!.getTime() - wroteAt.getTime();
  return {
    id: `frt:${threadId}:${wroteAt.toISOString()}`,
    at: t.firstResponseAt!,
    counters: { [responseCounter(within, responseBucket(ms))]: 1 },
  };
}

/**
 * Facts from one write of a thread document: a conversation started (the thread was created), its
 * first agent reply, a continuity message (push or email) that reached the visitor after they left,
 * a follow-up sent, a lead recovered. The last two reuse the domain events' deterministic ids.
 */
export function threadFacts(w: ThreadWrite, hours: OpeningHours | undefined): Fact[] {
  const { threadId, before, after } = w;
  if (!after) return [];
  const facts: Fact[] = [];
  if (!before) {
    const at = after.createdAt ?? w.at;
    facts.push({ id: `started:${threadId}:${at.toISOString()}`, at, counters: { [`started_${after.origin}`]: 1 } });
  }
  if (after.firstResponseAt && !before?.firstResponseAt && after.createdAt) {
    facts.push(firstResponse(threadId, after, hours));
  }
  const continuityAt = after.lastContinuityAt;
  const channel = after.lastContinuityChannel;
  if (
    continuityAt &&
    time(continuityAt) !== time(before?.lastContinuityAt) &&
    (channel === "push" || channel === "email")
  ) {
    facts.push({
      id: `continuity:${threadId}:${continuityAt.toISOString()}`,
      at: continuityAt,
      counters: { [`reached_${channel}`]: 1 },
    });
  }
  for (const e of threadEvents(threadId, before, after, w.at)) {
    const at = new Date(e.occurredAt);
    if (e.type === "followup.sent") facts.push({ id: e.id, at, counters: { followUpsSent: 1 } });
    if (e.type === "lead.recovered") facts.push({ id: e.id, at, counters: { recovered: 1 } });
  }
  return facts;
}

/**
 * Facts from one write of a message: an agent's or bot's reply delivered over Business Messages
 * reached the visitor on their phone, wherever they went (the widget needs them on the page).
 */
export function messageFacts(w: MessageWrite): Fact[] {
  return messageEvents(w.threadId, w.messageId, w.before, w.after, w.at)
    .filter((e) => e.type === "message.sent" && e.data.channel === "bm")
    .map((e) => ({ id: e.id, at: new Date(e.occurredAt), counters: { reached_bm: 1 } }));
}

/** A legacy thread's first response (for the backfill): its first agent reply, not a bot's or a follow-up's. */
export function firstAgentReplyAt(messages: Array<{ message: { from: string; createdAt: Date } }>): Date | undefined {
  const times = messages.filter((m) => m.message.from === "agent").map((m) => m.message.createdAt.getTime());
  return times.length ? new Date(Math.min(...times)) : undefined;
}

/** When the last window that could still reach the visitor closes (none before they wrote). */
export function lastWindowCloses(t: Pick<FollowUpThread, "windows">): Date | undefined {
  const closes = Object.values(t.windows ?? {}).map((d) => (d as Date).getTime());
  return closes.length ? new Date(Math.max(...closes)) : undefined;
}

/** How far back the hourly sweep looks for windows that closed: a few missed runs lose nothing. */
export const WINDOW_CLOSED_LOOKBACK_MS = 6 * HOUR_MS;

/**
 * A lead lost: every window that could reach the visitor closed while the conversation was still
 * open (not resolved) and the visitor never wrote again. Found by the hourly sweep, which looks back
 * `lookbackMs` so a missed run loses nothing; the id (thread + the visitor's last message) counts it once.
 */
export function windowClosedFact(
  t: FollowUpThread,
  now: Date,
  lookbackMs = WINDOW_CLOSED_LOOKBACK_MS,
): Fact | undefined {
  const closesAt = lastWindowCloses(t);
  if (!closesAt || !t.lastVisitorMessageAt || t.status === "resolved") return undefined;
  if (closesAt.getTime() > now.getTime() || closesAt.getTime() <= now.getTime() - lookbackMs) return undefined;
  return {
    id: `closed:${t.id}:${t.lastVisitorMessageAt.toISOString()}`,
    at: closesAt,
    counters: { windowsClosed: 1 },
  };
}

/** Adds counters (shards of a day, days of a range). */
export function addCounters(into: Counters, more: Counters): Counters {
  for (const [k, v] of Object.entries(more)) if (typeof v === "number") into[k] = (into[k] ?? 0) + v;
  return into;
}

/**
 * A quantile (0..1) of the first-response times in merged bucket counts, in minutes: the bucket
 * holding the rank, interpolated linearly inside it (the open-ended last bucket answers its lower
 * bound). Null when there is no response at all.
 */
export function responseQuantile(c: Counters, hours: Hours, q: number): number | null {
  const counts = RESPONSE_BUCKETS_MIN.map((_, i) => c[responseCounter(hours, i)] ?? 0);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (seen + n >= rank) {
      const lower = i === 0 ? 0 : RESPONSE_BUCKETS_MIN[i - 1]!;
      const upper = RESPONSE_BUCKETS_MIN[i]!;
      if (!Number.isFinite(upper)) return lower;
      return Math.round((lower + ((rank - seen) / n) * (upper - lower)) * 10) / 10;
    }
    seen += n;
  }
  return null;
}

const responses = (c: Counters, hours: Hours) =>
  RESPONSE_BUCKETS_MIN.reduce((sum, _, i) => sum + (c[responseCounter(hours, i)] ?? 0), 0);

/** Leads recovered per follow-up or continuity message sent (what a recovery can follow); null with none sent. */
export function recoveryRate(c: Counters): number | null {
  const chances = (c.followUpsSent ?? 0) + (c.reached_push ?? 0) + (c.reached_email ?? 0);
  return chances ? Math.round(((c.recovered ?? 0) / chances) * 1000) / 1000 : null;
}

/** One row of figures (a day, or the whole range) from summed counters; columns in INSIGHT_COLUMNS. */
export function insightRow(day: string, c: Counters): InsightRow {
  const n = (k: string) => c[k] ?? 0;
  return {
    day,
    startedWeb: n("started_web"),
    startedBm: n("started_bm"),
    responsesOpen: responses(c, "open"),
    medianOpenMin: responseQuantile(c, "open", 0.5),
    p90OpenMin: responseQuantile(c, "open", 0.9),
    responsesClosed: responses(c, "closed"),
    medianClosedMin: responseQuantile(c, "closed", 0.5),
    p90ClosedMin: responseQuantile(c, "closed", 0.9),
    reachedPush: n("reached_push"),
    reachedEmail: n("reached_email"),
    reachedBm: n("reached_bm"),
    followUpsSent: n("followUpsSent"),
    recovered: n("recovered"),
    recoveryRate: recoveryRate(c),
    windowsClosed: n("windowsClosed"),
  };
}

/** Every day of the range (empty days included, so charts and the CSV have no gaps) and the totals. */
export function insightsReport(
  days: string[],
  byDay: Map<string, Counters>,
): { rows: InsightRow[]; total: InsightRow } {
  const sum: Counters = {};
  const rows = days.map((day) => {
    const c = byDay.get(day) ?? {};
    addCounters(sum, c);
    return insightRow(day, c);
  });
  return { rows, total: insightRow(`${days[0] ?? ""}..${days[days.length - 1] ?? ""}`, sum) };
}

/** Channels a reply may reach a visitor on after they left (the figure's series). */
export const REACH_CHANNELS: Channel[] = ["push", "email", "bm"];
export { INSIGHT_COLUMNS };
