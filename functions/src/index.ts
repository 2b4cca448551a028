/** Only re-exports the deployed functions: one file per function under endpoints/. */
export { agentReply } from "./endpoints/agentReply";
export { health } from "./endpoints/health";
export { widgetApi } from "./endpoints/widgetApi";
export { bmWebhook } from "./endpoints/bmWebhook";
export { bmDeliver } from "./endpoints/bmDeliver";
export { bmOutbox } from "./endpoints/bmOutbox";
export { cancelFollowUp } from "./endpoints/cancelFollowUp";
export { devFollowUps } from "./endpoints/devFollowUps";
export { followUpPlanner } from "./endpoints/followUpPlanner";
export { followUpSweep } from "./endpoints/followUpSweep";
export { messageEvents } from "./endpoints/messageEvents";
export { scheduleFollowUp } from "./endpoints/scheduleFollowUp";
export { sendFollowUp } from "./endpoints/sendFollowUp";
export { eventsWebhook } from "./endpoints/eventsWebhook";
