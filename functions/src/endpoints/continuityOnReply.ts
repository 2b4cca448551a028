import { onDocumentCreated } from "firebase-functions/firestore";
import { REGION } from "../config";
import { continuityDelayMs } from "../domain/continuity";
import { reachLogs } from "../logs";
import { enqueueContinuity } from "../reach/tasks";
import { reachClock } from "../reach/clock";
import { fromFirestore } from "../store/db";
import { getBusinessSettings } from "../store/settings";

/**
 * An agent or bot reply was stored (by any path: console, follow-up, bot): plan its continuity
 * check N minutes later (settings/business.continuityDelayMinutes). Decoupled from the reply
 * paths on purpose: none of them needs to know about push or email.
 */
export const continuityOnReply = onDocumentCreated(
  { region: REGION, document: "threads/{threadId}/messages/{messageId}" },
  async (event) => {
    const data = event.data?.data();
    if (!data || (data.from !== "agent" && data.from !== "bot")) return;
    const { threadId, messageId } = event.params;
    const createdAt = fromFirestore<Date | undefined>(data.createdAt) ?? new Date(event.time);
    const settings = await getBusinessSettings(reachClock().getTime());
    const delaySeconds = Math.round(continuityDelayMs(settings.continuityDelayMinutes) / 1000);
    await enqueueContinuity({ threadId, messageId, replyAt: createdAt.toISOString() }, delaySeconds);
    reachLogs.continuityEnqueued(threadId, messageId, delaySeconds);
  },
);
