import { continuityDelayMs } from "../domain/continuity";
import { reachLogs } from "../logs";
import { getBusinessSettings } from "../store/settings";
import { clock } from "../clock";
import { enqueueContinuity } from "./tasks";

/**
 * An agent or bot reply was stored (by any path: console, follow-up, bot): plan its continuity
 * check N minutes later (settings/business.continuityDelayMinutes). Decoupled from the reply
 * paths on purpose: none of them needs to know about push or email.
 */
export async function planContinuity(threadId: string, messageId: string, replyAt: Date): Promise<void> {
  const settings = await getBusinessSettings((await clock.now(threadId)).getTime());
  const delaySeconds = Math.round(continuityDelayMs(settings.continuityDelayMinutes) / 1000);
  await enqueueContinuity({ threadId, messageId, replyAt: replyAt.toISOString() }, delaySeconds);
  reachLogs.continuityEnqueued(threadId, messageId, delaySeconds);
}
