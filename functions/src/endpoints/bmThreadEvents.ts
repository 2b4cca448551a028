import { getAuth } from "firebase-admin/auth";
import { onDocumentUpdated } from "firebase-functions/firestore";
import { REGION } from "../config";
import { enqueueBmTask } from "../channels/businessMessages/tasks";
import { tasksForThreadChange } from "../channels/businessMessages/threadEvents";
import { channelPolicies } from "../domain/channels";
import type { ThreadState } from "../domain/thread";
import { systemClock } from "../domain/time";
import { agentDisplayName } from "../store/bm";
import { db, fromFirestore } from "../store/db";
import { getBusinessSettings } from "../store/settings";

/** The agent's profile name, else their Auth display name. */
async function nameOf(uid: string): Promise<string | undefined> {
  return (await agentDisplayName(uid)) ?? getAuth().getUser(uid).then((u) => u.displayName, () => undefined);
}

/**
 * Agents' actions on Business Messages threads, seen as thread changes (the console writes
 * `assignedTo`, `unreadForAgents` and `status`): join/leave events, READ receipts and surveys are
 * queued on the Business Messages outbox.
 */
export const bmThreadEvents = onDocumentUpdated({ document: "threads/{threadId}", region: REGION }, async (event) => {
  db(); // the snapshots need the admin app
  const before = event.data?.before.data();
  const after = event.data?.after.data();
  if (!before || !after || !after.bm?.conversationId) return;
  const now = systemClock();
  const settings = await getBusinessSettings(now.getTime());
  const assignedTo = after.assignedTo as string | null | undefined;
  const joining = Boolean(assignedTo) && !before.assignedTo && after.bm.liveAgentRequestedAt;
  const tasks = tasksForThreadChange({
    threadId: event.params.threadId,
    eventId: event.id,
    before: fromFirestore<ThreadState>(before),
    after: fromFirestore<ThreadState>(after),
    now,
    agentName: joining ? await nameOf(assignedTo!) : undefined,
    surveyOnResolve: settings.bmSurveyOnResolve,
    policies: channelPolicies(settings),
  });
  for (const task of tasks) await enqueueBmTask(task);
});
