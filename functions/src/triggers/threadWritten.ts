import { tasksForThreadChange } from "../channels/businessMessages/threadEvents";
import { enqueueBmTask } from "../channels/businessMessages/tasks";
import { clock } from "../clock";
import { channelPolicies } from "../domain/channels";
import { threadFacts } from "../domain/insights";
import { threadReactions, type ThreadReaction, type ThreadWrite } from "../domain/reactions";
import { publishEvents } from "../events/publisher";
import { threadEventsWithAgents } from "../events/threadEvents";
import { reviewThread } from "../followUps/review";
import { scheduleWake } from "../snooze/wake";
import { agentDisplayName } from "../store/bm";
import { countFacts } from "../store/insights";
import { getBusinessSettings } from "../store/settings";
import { settleAll } from "./settle";

/**
 * Every thread write: runs what domain/reactions.ts says it causes (events, follow-up review,
 * Business Messages agent actions, snooze wake-ups). A trigger at all so the webhook and widget
 * paths stay at one transaction.
 */
export async function onThreadWrite(write: ThreadWrite): Promise<void> {
  await settleAll(threadReactions(write).map((reaction) => run(write, reaction)));
}

async function run(write: ThreadWrite, reaction: ThreadReaction): Promise<void> {
  const { threadId, before, after, at } = write;
  switch (reaction.kind) {
    case "publish":
      return publishEvents(
        reaction.nameAgents ? await threadEventsWithAgents(threadId, before, after, at) : reaction.events,
      );
    case "reviewFollowUp":
      await reviewThread(threadId, await clock.now(threadId));
      return;
    case "tellBm":
      return tellBm(write);
    case "scheduleWake":
      return scheduleWake(threadId, reaction.until, at);
    case "countInsights":
      await countInsights(write);
      return;
  }
}

/** Counts the write's Insights facts on their days in the business's zone (settings cached a minute). */
async function countInsights(write: ThreadWrite): Promise<void> {
  const settings = await getBusinessSettings();
  await countFacts(threadFacts(write, settings.hours), settings.hours?.timeZone ?? "UTC");
}

/** Agents' actions seen as thread changes (the console writes assignedTo, unreadForAgents, status). */
async function tellBm({ threadId, eventId, before, after }: ThreadWrite): Promise<void> {
  const now = await clock.now(threadId);
  const settings = await getBusinessSettings(now.getTime());
  const assignedTo = after!.assignedTo;
  const joining = Boolean(assignedTo) && !before!.assignedTo && after!.bm?.liveAgentRequestedAt;
  const tasks = tasksForThreadChange({
    threadId,
    eventId,
    before: before!,
    after: after!,
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
