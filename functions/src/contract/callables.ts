// The console's callables: each one's request and response. The console calls them by name through
// a typed `call` (hosting/src/console/backend.ts); defineCallable (functions/src/http/callable.ts)
// parses the request with the same schema.
import { z } from "zod";
import { MESSAGE_TEXT_MAX } from "../domain/thread";
import { ClientId, ThreadId } from "./ids";
import { HttpsUrl, Image, RichCard } from "./richContent";
import { Suggestions } from "./suggestions";
import { CONSOLE_ROLES } from "./roles";

export { CONSOLE_ROLES, type ConsoleRole } from "./roles";
import { BusinessSettings, SettingsInput } from "./settings";

const Text = (what: string) => z.string().trim().min(1, `${what} is empty`).max(MESSAGE_TEXT_MAX);
const When = z.iso.datetime({ offset: true });
const ReplyChannel = z.enum(["web", "bm", "push", "email"]);

const agentReply = {
  request: z.object({
    threadId: ThreadId,
    text: Text("reply"),
    clientMessageId: ClientId("clientMessageId"),
    /** Google's Suggestion JSON (contract/suggestions.ts); the widget shows reply chips as buttons. */
    suggestions: Suggestions.optional(),
    /**
     * Google's RichCard / Image JSON (contract/richContent.ts). The text stays required: every channel
     * carries it, and Business Messages sends it first, then the image, then the card (bmParts).
     */
    richCard: RichCard.optional(),
    image: Image.optional(),
  }),
  response: z.object({ messageId: z.string(), channel: ReplyChannel, windowClosesAt: When, duplicate: z.boolean() }),
};

const addNote = {
  request: z.object({ threadId: ThreadId, text: Text("note"), clientNoteId: ClientId("clientNoteId") }),
  response: z.object({ noteId: z.string(), duplicate: z.boolean() }),
};

const Uid = z.string().min(1).max(128);
const manageAgents = {
  request: z.discriminatedUnion("action", [
    z.object({
      action: z.literal("invite"),
      email: z.email().max(254),
      role: z.enum(CONSOLE_ROLES),
      displayName: z.string().trim().max(80).optional(),
    }),
    z.object({ action: z.literal("setRole"), uid: Uid, role: z.enum(CONSOLE_ROLES) }),
    z.object({ action: z.literal("remove"), uid: Uid }),
    /** The agent's Business Messages avatar (representative.avatarImage); null removes it. */
    z.object({ action: z.literal("setAvatar"), uid: Uid, avatarUrl: HttpsUrl.nullable() }),
  ]),
  response: z.object({
    uid: z.string(),
    /** invite: whether the account was created, and the link that lets the invitee set a password. */
    created: z.boolean().optional(),
    /** invite: an unverified account the project did not create held the address; it was replaced. */
    replaced: z.boolean().optional(),
    link: z.string().optional(),
  }),
};

const updateSettings = {
  request: SettingsInput,
  response: z.object({ settings: BusinessSettings }),
};

const scheduleFollowUp = {
  request: z
    .object({
      threadId: ThreadId,
      text: Text("text"),
      /** "Send this at …" (ISO 8601 with a time zone offset). */
      sendAt: When.optional(),
      /** "Follow up in N days if there is no reply". */
      afterDays: z.number().positive().max(365).optional(),
      /** Skip it if the visitor writes first (default: true with afterDays, false with sendAt). */
      ifNoReply: z.boolean().optional(),
    })
    .refine((d) => (d.sendAt === undefined) !== (d.afterDays === undefined), {
      message: "give exactly one of sendAt or afterDays",
    }),
  response: z.object({
    taskId: z.string().nullable(),
    dueAt: When,
    windowClosesAt: When,
    ifNoReply: z.boolean().optional(),
  }),
};

const cancelFollowUp = {
  request: z.object({ threadId: ThreadId }),
  response: z.object({ cancelled: z.boolean() }),
};

/** A stored document as JSON: Firestore timestamps become ISO 8601 strings. */
const Doc = z.record(z.string(), z.unknown());

/** Admins: one thread, all its messages, notes and follow-up details, as JSON (data portability). */
const exportThread = {
  request: z.object({ threadId: ThreadId }),
  response: z.object({
    exportedAt: When,
    threadId: ThreadId,
    thread: Doc,
    messages: z.array(Doc),
    notes: z.array(Doc),
    followUps: z.array(Doc),
  }),
};

/** What an erase did: `not_found` when there was nothing (erased before, or never existed). */
const EraseOutcome = z.object({
  threadId: ThreadId,
  status: z.enum(["erased", "not_found"]),
  /** Documents deleted, the thread's included. */
  deleted: z.number().int(),
});

/** Admins: erase one thread and everything under it. */
const eraseThread = {
  request: z.object({ threadId: ThreadId }),
  response: EraseOutcome,
};

/** Admins: erase every thread that carries this visitor email (a person's erasure request). */
const eraseVisitorData = {
  request: z.object({ email: z.email("that does not look like an email address").max(254) }),
  response: z.object({ erased: z.array(EraseOutcome) }),
};

/** Any agent, for themselves: email me new visitor messages while I am away from the console. */
const setEmailAlerts = {
  request: z.object({ emailWhenAway: z.boolean() }),
  response: z.object({ emailWhenAway: z.boolean() }),
};

/** One row of Insights figures (domain/insightsTable.ts `InsightRow`): a day, or the range's totals. */
const Count = z.number().int().nonnegative();
const Minutes = z.number().nonnegative().nullable();
const InsightRow = z.object({
  day: z.string(),
  startedWeb: Count,
  startedBm: Count,
  responsesOpen: Count,
  medianOpenMin: Minutes,
  p90OpenMin: Minutes,
  responsesClosed: Count,
  medianClosedMin: Minutes,
  p90ClosedMin: Minutes,
  reachedPush: Count,
  reachedEmail: Count,
  reachedBm: Count,
  followUpsSent: Count,
  recovered: Count,
  recoveryRate: z.number().min(0).nullable(),
  windowsClosed: Count,
});

/** Agents and admins: the Insights figures for the last 7, 30 or 90 days in the business's zone. */
const readInsights = {
  request: z.object({
    rangeDays: z.union([z.literal(7), z.literal(30), z.literal(90)], { error: "rangeDays is 7, 30 or 90" }),
  }),
  response: z.object({
    timeZone: z.string(),
    rows: z.array(InsightRow),
    total: InsightRow,
    /** Documents read to answer (counter shards): at most 16 per day, never a thread. */
    reads: z.number().int(),
  }),
};

export const callables = {
  agentReply,
  addNote,
  manageAgents,
  updateSettings,
  scheduleFollowUp,
  cancelFollowUp,
  exportThread,
  eraseThread,
  eraseVisitorData,
  setEmailAlerts,
  readInsights,
};

export type CallableName = keyof typeof callables;
export type CallableRequest<N extends CallableName> = z.input<(typeof callables)[N]["request"]>;
export type CallableInput<N extends CallableName> = z.output<(typeof callables)[N]["request"]>;
export type CallableResponse<N extends CallableName> = z.input<(typeof callables)[N]["response"]>;

/** A refusal the console shows as is (failed-precondition), with a machine code in its details. */
export const RefusalDetails = z.object({ code: z.string() });
