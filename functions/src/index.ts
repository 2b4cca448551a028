/** Re-exports the deployed functions (one file per function under endpoints/), after the cold-start check. */
import { onInit } from "firebase-functions/v2/core";
import { runningInEmulator, startupProblems } from "./config";
import { devFollowUps as devControls } from "./endpoints/devFollowUps";
import { startupLogs } from "./logs";

// Before a function's first request: a deployed PUBLIC_URL that is not https, or a weak signing
// secret, fails every request with one clear log line instead of sending broken or forgeable links.
onInit(() => {
  const problems = startupProblems();
  if (!problems.length) return;
  startupLogs.refused(problems);
  throw new Error(`Afterchat refuses to start: ${problems.join("; ")}`);
});

export { agentReply } from "./endpoints/agentReply";
export { health } from "./endpoints/health";
export { widgetApi } from "./endpoints/widgetApi";
export { addNote } from "./endpoints/addNote";
export { manageAgents } from "./endpoints/manageAgents";
export { updateSettings } from "./endpoints/updateSettings";
export { bmWebhook } from "./endpoints/bmWebhook";
export { bmDeliver } from "./endpoints/bmDeliver";
export { cancelFollowUp } from "./endpoints/cancelFollowUp";
export { followUpSweep } from "./endpoints/followUpSweep";
export { scheduleFollowUp } from "./endpoints/scheduleFollowUp";
export { sendFollowUp } from "./endpoints/sendFollowUp";
export { eventsWebhook } from "./endpoints/eventsWebhook";
export { continuityTask } from "./endpoints/continuityTask";
export { agentAlertTask } from "./endpoints/agentAlertTask";
export { reachApi } from "./endpoints/reachApi";
export { onMessageWritten } from "./endpoints/onMessageWritten";
export { onThreadWritten } from "./endpoints/onThreadWritten";
export { wakeSnoozed } from "./endpoints/wakeSnoozed";
export { onTypingWritten } from "./endpoints/onTypingWritten";
export { exportThread } from "./endpoints/exportThread";
export { eraseThread } from "./endpoints/eraseThread";
export { eraseVisitorData } from "./endpoints/eraseVisitorData";
export { setEmailAlerts } from "./endpoints/setEmailAlerts";
export { readInsights } from "./endpoints/readInsights";

// The emulator's controls (dev clock, "run due follow-ups now", the sweep) exist only under the
// emulator: `firebase deploy` discovers the functions without it, so it is never deployed.
export const devFollowUps = runningInEmulator() ? devControls : undefined;
