/** Only re-exports the deployed functions: one file per function under endpoints/. */
export { agentReply } from "./endpoints/agentReply";
export { health } from "./endpoints/health";
export { widgetApi } from "./endpoints/widgetApi";
export { continuityOnReply } from "./endpoints/continuityOnReply";
export { continuityTask } from "./endpoints/continuityTask";
export { reachApi } from "./endpoints/reachApi";
