// Task payloads: what each task-queue function is enqueued with. Parsed by defineTask
// (functions/src/http/task.ts); a payload that does not parse is logged and acknowledged.
import { z } from "zod";
import { MessageId, ThreadId } from "./ids";

const TaskId = z.string().regex(/^[A-Za-z0-9_.:-]{1,500}$/);

/** sendFollowUp: a planned follow-up is due (stale when the thread's slot moved on). */
export const FollowUpTask = z.object({ threadId: ThreadId, taskId: TaskId });
export type FollowUpTask = z.infer<typeof FollowUpTask>;

/** continuityTask: N minutes after an agent reply, reach the visitor if they have not seen it. */
export const ContinuityTask = z.object({ threadId: ThreadId, messageId: MessageId, replyAt: z.iso.datetime() });
export type ContinuityTask = z.infer<typeof ContinuityTask>;

/** wakeSnoozed: a snooze ends (`until`), reached from `at` (hops beyond the 30-day task horizon). */
export const WakeTask = z.object({ threadId: ThreadId, until: z.iso.datetime(), at: z.iso.datetime() });
export type WakeTask = z.infer<typeof WakeTask>;

/** agentAlertTask: email one away agent about a thread's new visitor messages (due at `dueAt`). */
export const AgentAlertTask = z.object({
  threadId: ThreadId,
  uid: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  dueAt: z.iso.datetime(),
});
export type AgentAlertTask = z.infer<typeof AgentAlertTask>;

const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,256}$/);
export const BM_EVENT_TYPES = [
  "TYPING_STARTED",
  "TYPING_STOPPED",
  "REPRESENTATIVE_JOINED",
  "REPRESENTATIVE_LEFT",
] as const;
export const Representative = z.object({
  representativeType: z.enum(["HUMAN", "BOT"]),
  displayName: z.string().max(100).optional(),
  /** Google: a public https URL, 1024x1024 px, at most 50 KB, immutable once used (v1.d.ts). */
  avatarImage: z.string().optional(),
});
export type Representative = z.infer<typeof Representative>;

/** bmDeliver: the Business Messages outbox, one API call per task. */
export const BmTask = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("message"), threadId: Id, messageId: Id }),
  z.object({
    kind: z.literal("event"),
    threadId: Id,
    conversationId: Id,
    eventId: Id,
    eventType: z.enum(BM_EVENT_TYPES),
    representative: Representative,
  }),
  z.object({ kind: z.literal("receipt"), threadId: Id, conversationId: Id, messageId: Id }),
  z.object({ kind: z.literal("survey"), threadId: Id, conversationId: Id, surveyId: Id }),
]);
export type BmTask = z.infer<typeof BmTask>;
