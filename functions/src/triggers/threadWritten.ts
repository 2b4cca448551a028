import { tasksForThreadChange } from "../channels/businessMessages/threadEvents";
import { enqueueBmTask } from "../channels/businessMessages/tasks";
import { channelPolicies } from "../domain/channels";
import { snoozeToSchedule } from "../domain/snooze";
import { followUpNeedsReview, type FollowUpThread } from "../domain/followUps";
import { systemClock } from "../domain/time";
import { publishEvents } from "../events/publisher";
import { threadEventsWithAgents } from "../events/threadEvents";
import { nowFor } from "../followUps/clock";
import { reviewThread } from "../followUps/review";
import { scheduleWake } from "../snooze/wake";
import { agentDisplayName } from "../store/bm";
import { getBusinessSettings } from "../store/settings";
import { settleAll } from "./settle";

export type StoredThread = FollowUpThread;

export interface ThreadWrite {
  threadId: string;
  before?: StoredThread;
  after?: StoredThread;
  /** The trigger event's id: Business Messages task ids derive from it (a redelivery queues nothing new). */
  eventId: string;
  /** When the write happened: event ids derive from it, so a redelivered trigger repeats them. */
  at: Date;
}

/**
 * Everything that follows a thread write, in one trigger (one invocation per write instead of
 * two): thread events are published (followup.*, thread.resolved, lead.recovered); the follow-up
 * is re-planned when the visitor wrote, or on resolve / reopen; and an agent's action on a
 * Business Messages thread (join, leave, read, resolve) is queued on its outbox. A trigger at all
 * so the webhook and widget paths stay at one transaction.
 */
export async function onThreadWrite(write: ThreadWrite): Promise<void> {
  const { threadId, before, after } = write;
  if (!after) return;
  await settleAll([
    // followup.* events name an agent's plan's author from its agents-only details (1 read, only then).
    threadEventsWithAgents(threadId, before, after, write.at).then(publishEvents),
    followUpNeedsReview(before, after) ? nowFor(threadId).then((now) => reviewThread(threadId, now)) : undefined,
    before && after.bm?.conversationId ? queueBmThreadChange(write, before, after) : undefined,
    wakeUpFor(write, before, after),
  ]);
}

/** An agent snoozed the thread (or moved its snooze): its wake-up task. */
function wakeUpFor(
  write: ThreadWrite,
  before: StoredThread | undefined,
  after: StoredThread,
): Promise<void> | undefined {
  const until = snoozeToSchedule(before, after);
  return until ? scheduleWake(write.threadId, until, write.at) : undefined;
}

/** Agents' actions seen as thread changes (the console writes assignedTo, unreadForAgents, status). */
async function queueBmThreadChange(write: ThreadWrite, before: StoredThread, after: StoredThread): Promise<void> {
  const now = systemClock();
  const settings = await getBusinessSettings(now.getTime());
  const assignedTo = after.assignedTo;
  const joining = Boolean(assignedTo) && !before.assignedTo && after.bm?.liveAgentRequestedAt;
  const tasks = tasksForThreadChange({
    threadId: write.threadId,
    eventId: write.eventId,
    before,
    after,
    now,
    agentName: joining ? await agentName(assignedTo!) : undefined,
    surveyOnResolve: settings.bmSurveyOnResolve,
    policies: channelPolicies(settings),
  });
  for (const task of tasks) await enqueueBmTask(task);
}

/** The agent's profile name, else their Auth display name (Auth loaded only here: rare, and costly at cold start). */
async function agentName(uid: string): Promise<string | undefined> {
  const profileName = await agentDisplayName(uid);
  if (profileName) return profileName;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getAuth } = require("firebase-admin/auth") as typeof import("firebase-admin/auth");
  return getAuth()
    .getUser(uid)
    .then(
      (u) => u.displayName,
      () => undefined,
    );
}
