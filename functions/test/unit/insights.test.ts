import { strict as assert } from "node:assert";
import type { FollowUpThread } from "../../src/domain/followUps";
import {
  addCounters,
  dayOf,
  insightsReport,
  lastDays,
  messageFacts,
  recoveryRate,
  responseBucket,
  responseCounter,
  responseQuantile,
  shardOf,
  threadFacts,
  windowClosedFact,
  type Counters,
} from "../../src/domain/insights";
import { insightsCsv } from "../../src/domain/insightsTable";
import type { OpeningHours } from "../../src/domain/hours";
import { applyAgentMessage, newThread } from "../../src/domain/thread";
import { messageReactions, threadReactions } from "../../src/domain/reactions";

// Mon–Fri 09:00–17:00 in Paris (DST on 2026-03-29 and 2026-10-25).
const paris: OpeningHours = {
  timeZone: "Europe/Paris",
  days: [null, ...Array(5).fill({ open: "09:00", close: "17:00" }), null],
};
const at = (iso: string) => new Date(iso);

function thread(over: Partial<FollowUpThread> = {}): FollowUpThread {
  return {
    ...newThread({
      id: "web_t",
      origin: "web",
      visitor: { displayName: "Henry", locale: "en" },
      now: at("2026-11-30T10:00:00Z"),
    }),
    ...over,
  };
}

describe("insights: days in the business's zone", () => {
  it("puts an instant on its local calendar day", () => {
    assert.equal(dayOf(at("2026-11-30T23:30:00Z"), "Europe/Paris"), "2026-12-01");
    assert.equal(dayOf(at("2026-11-30T23:30:00Z"), "UTC"), "2026-11-30");
    assert.equal(dayOf(at("2026-12-01T03:00:00Z"), "America/Los_Angeles"), "2026-11-30");
  });

  it("lists the last N days oldest first, across a DST switch and a month end", () => {
    assert.deepEqual(lastDays(at("2026-03-30T08:00:00Z"), 3, "Europe/Paris"), [
      "2026-03-28",
      "2026-03-29",
      "2026-03-30",
    ]);
    assert.deepEqual(lastDays(at("2026-03-01T00:30:00Z"), 2, "Europe/Paris"), ["2026-02-28", "2026-03-01"]);
    assert.equal(lastDays(at("2026-11-30T10:00:00Z"), 90, "UTC").length, 90);
    assert.equal(lastDays(at("2026-11-30T10:00:00Z"), 90, "UTC")[0], "2026-09-02");
  });

  it("spreads facts over shards, the same fact always to the same shard", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(shardOf(`f${i}`, 16));
    assert.equal(seen.size, 16);
    assert.equal(shardOf("x", 16), shardOf("x", 16));
  });
});

describe("insights: facts from thread writes", () => {
  it("a created thread is a conversation started on its channel, with a stable id", () => {
    const after = thread();
    const [fact, ...rest] = threadFacts({ threadId: "web_t", after, eventId: "e1", at: after.createdAt }, paris);
    assert.equal(rest.length, 0);
    assert.deepEqual(fact!.counters, { started_web: 1 });
    const again = threadFacts({ threadId: "web_t", after, eventId: "e2", at: at("2026-11-30T10:00:05Z") }, paris);
    assert.equal(again[0]!.id, fact!.id, "a redelivered trigger derives the same fact id");
    assert.deepEqual(
      threadFacts({ threadId: "web_t", before: after, after, eventId: "e3", at: after.createdAt }, paris),
      [],
    );
  });

  it("the first agent reply is a first response, bucketed within or outside opening hours", () => {
    // Monday 2026-11-30 11:00 Paris: open; answered 7 minutes later.
    const before = thread();
    const after = applyAgentMessage(before, { text: "hi", from: "agent", at: at("2026-11-30T10:07:00Z") });
    assert.equal(after.firstResponseAt?.toISOString(), "2026-11-30T10:07:00.000Z");
    const facts = threadFacts(
      { threadId: "web_t", before, after, eventId: "e", at: at("2026-11-30T10:07:00Z") },
      paris,
    );
    assert.deepEqual(
      facts.map((f) => f.counters),
      [{ [responseCounter("open", 3)]: 1 }],
    );
    // A second reply does not move it; a bot's reply never sets it.
    assert.equal(
      applyAgentMessage(after, { text: "x", from: "agent", at: at("2026-12-01T00:00:00Z") }).firstResponseAt,
      after.firstResponseAt,
    );
    assert.equal(
      applyAgentMessage(before, { text: "x", from: "bot", at: at("2026-12-01T00:00:00Z") }).firstResponseAt,
      undefined,
    );
    // Sunday: outside opening hours.
    const sunday = thread({ createdAt: at("2026-11-29T10:00:00Z") });
    const answered = { ...sunday, firstResponseAt: at("2026-11-30T08:00:00Z") }; // 22 h later
    const [f] = threadFacts(
      { threadId: "web_t", before: sunday, after: answered, eventId: "e", at: at("2026-11-30T08:00:00Z") },
      paris,
    );
    assert.deepEqual(f!.counters, { [responseCounter("closed", 11)]: 1 });
  });

  it("a continuity message is a reply that reached the visitor after they left, by channel", () => {
    const before = thread();
    const after = { ...before, lastContinuityAt: at("2026-11-30T12:00:00Z"), lastContinuityChannel: "email" };
    const facts = threadFacts(
      { threadId: "web_t", before, after, eventId: "e", at: at("2026-11-30T12:00:00Z") },
      paris,
    );
    assert.deepEqual(
      facts.map((f) => f.counters),
      [{ reached_email: 1 }],
    );
    assert.equal(facts[0]!.at.toISOString(), "2026-11-30T12:00:00.000Z");
  });

  it("a follow-up sent and a lead recovered are counted under their events' ids", () => {
    const followUp = {
      kind: "auto" as const,
      state: "planned" as const,
      taskId: "fu_1",
      dueAt: at("2026-12-01T10:00:00Z"),
      anchor: at("2026-11-30T10:00:00Z"),
      plannedAt: at("2026-11-30T10:00:01Z"),
      generation: 0,
    };
    const planned = thread({ followUp });
    const sent = thread({
      followUp: { ...followUp, state: "sent", sentAt: at("2026-12-01T10:00:00Z"), messageId: "m" },
    });
    const facts = threadFacts(
      { threadId: "web_t", before: planned, after: sent, eventId: "e", at: at("2026-12-01T10:00:00Z") },
      paris,
    );
    assert.deepEqual(
      facts.map((f) => f.counters),
      [{ followUpsSent: 1 }],
    );
    assert.match(facts[0]!.id, /^evt_/);
    const recovered = {
      ...sent,
      recovered: {
        firstAt: at("2026-12-01T11:00:00Z"),
        lastAt: at("2026-12-01T11:00:00Z"),
        count: 1,
        via: "followup" as const,
        lastKey: "fu_1",
      },
    };
    const more = threadFacts(
      { threadId: "web_t", before: sent, after: recovered, eventId: "e", at: at("2026-12-01T11:00:01Z") },
      paris,
    );
    assert.deepEqual(
      more.map((f) => f.counters),
      [{ recovered: 1 }],
    );
  });
});

describe("insights: facts from message writes and the sweep", () => {
  const reply = {
    from: "agent" as const,
    text: "hello",
    createdAt: at("2026-11-30T10:00:00Z"),
    delivery: { channel: "bm" as const, state: "pending" as const, attempts: 0 },
  };

  it("a reply delivered over Business Messages reached the visitor on their phone", () => {
    const delivered = { ...reply, delivery: { ...reply.delivery, state: "sent" as const, attempts: 1 } };
    const w = { threadId: "bm_t", messageId: "m1", before: reply, after: delivered, at: at("2026-11-30T10:00:02Z") };
    assert.deepEqual(
      messageFacts(w).map((f) => f.counters),
      [{ reached_bm: 1 }],
    );
    assert.equal(messageFacts(w)[0]!.id, messageFacts({ ...w }).at(0)!.id);
    assert.deepEqual(messageFacts({ ...w, before: undefined, after: reply }), [], "pending is not delivered");
    const widget = { ...reply, delivery: undefined };
    assert.deepEqual(messageFacts({ ...w, before: undefined, after: widget }), [], "the widget is not after they left");
  });

  it("a window that closed on an unresolved conversation is a lead lost, counted once per visitor message", () => {
    const wrote = at("2026-11-01T10:00:00Z");
    const t = thread({ lastVisitorMessageAt: wrote, windows: { web: at("2026-12-01T10:00:00Z") } });
    assert.equal(windowClosedFact(t, at("2026-12-01T09:59:59Z")), undefined, "still open");
    const fact = windowClosedFact(t, at("2026-12-01T11:00:00Z"));
    assert.deepEqual(fact?.counters, { windowsClosed: 1 });
    assert.equal(fact?.at.toISOString(), "2026-12-01T10:00:00.000Z");
    assert.equal(windowClosedFact(t, at("2026-12-01T12:00:00Z"))?.id, fact?.id);
    assert.equal(windowClosedFact(t, at("2026-12-05T12:00:00Z")), undefined, "beyond the look-back");
    assert.equal(windowClosedFact({ ...t, status: "resolved" }, at("2026-12-01T11:00:00Z")), undefined);
  });
});

describe("insights: figures from merged counters", () => {
  it("buckets response times", () => {
    assert.equal(responseBucket(0), 0);
    assert.equal(responseBucket(59_999), 0);
    assert.equal(responseBucket(60_000), 1);
    assert.equal(responseBucket(30 * 24 * 3_600_000), 15);
  });

  it("median and p90 come from merged buckets, not from daily medians", () => {
    // Day 1: 9 responses in 2–5 min; day 2: 1 response of 3 h. Merged: median in 2–5, p90 in 2–5 too.
    const day1: Counters = { [responseCounter("open", 2)]: 9 };
    const day2: Counters = { [responseCounter("open", 8)]: 1 };
    const merged = addCounters(addCounters({}, day1), day2);
    const median = responseQuantile(merged, "open", 0.5)!;
    assert.ok(median >= 2 && median <= 5, `median ${median}`);
    assert.ok(responseQuantile(merged, "open", 0.9)! <= 5);
    assert.ok(responseQuantile(merged, "open", 1)! > 120, "the slowest lands in 2–4 h");
    assert.equal(responseQuantile(merged, "closed", 0.5), null);
    assert.equal(responseQuantile({ [responseCounter("open", 15)]: 1 }, "open", 0.5), 10080);
  });

  it("the recovery rate is per follow-up or continuity message sent", () => {
    assert.equal(recoveryRate({ followUpsSent: 3, reached_email: 1, recovered: 1 }), 0.25);
    assert.equal(recoveryRate({ recovered: 1 }), null);
  });

  it("a report has a row for every day, empty ones included, and totals; its CSV has a header", () => {
    const byDay = new Map<string, Counters>([
      ["2026-11-29", { started_web: 2, reached_push: 1 }],
      ["2026-11-30", { started_bm: 1, followUpsSent: 1, recovered: 1 }],
    ]);
    const report = insightsReport(["2026-11-28", "2026-11-29", "2026-11-30"], byDay);
    assert.equal(report.rows.length, 3);
    assert.equal(report.rows[0]!.startedWeb, 0);
    assert.equal(report.total.startedWeb, 2);
    assert.equal(report.total.recoveryRate, 0.5);
    const csv = insightsCsv(report.rows).split("\r\n");
    assert.equal(csv.length, 5); // header, 3 days, final newline
    assert.match(csv[0]!, /^day,conversations_web,conversations_business_messages,/);
    assert.match(csv[3]!, /^2026-11-30,0,1,0,,,0,,,0,0,0,1,1,1,0$/);
  });
});

describe("insights: the triggers' reactions", () => {
  it("a created thread and a Business Messages delivery ask to count; agent triage does not", () => {
    const t = thread();
    const kinds = (rs: Array<{ kind: string }>) => rs.map((r) => r.kind);
    assert.ok(
      kinds(threadReactions({ threadId: "web_t", after: t, eventId: "e", at: t.createdAt })).includes("countInsights"),
    );
    const triaged = { ...t, assignedTo: "agent-1" };
    assert.ok(
      !kinds(threadReactions({ threadId: "web_t", before: t, after: triaged, eventId: "e", at: t.createdAt })).includes(
        "countInsights",
      ),
    );
    const pending = {
      from: "agent" as const,
      text: "x",
      createdAt: t.createdAt,
      delivery: { channel: "bm" as const, state: "pending" as const, attempts: 0 },
    };
    const sent = { ...pending, delivery: { ...pending.delivery, state: "sent" as const } };
    const reactions = messageReactions({
      threadId: "bm_t",
      messageId: "m",
      before: pending,
      after: sent,
      at: t.createdAt,
    });
    assert.deepEqual(kinds(reactions), ["publish", "countInsights"]);
  });
});
