/** Only re-exports the deployed functions: one file per function under endpoints/. */
export { agentReply } from "./endpoints/agentReply";
export { health } from "./endpoints/health";
export { widgetApi } from "./endpoints/widgetApi";
export { bmWebhook } from "./endpoints/bmWebhook";
export { bmDeliver } from "./endpoints/bmDeliver";
export { bmOutbox } from "./endpoints/bmOutbox";
export { bmThreadEvents } from "./endpoints/bmThreadEvents";
