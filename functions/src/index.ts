/** Only re-exports the deployed functions: one file per function under endpoints/. */
export { agentReply } from "./endpoints/agentReply";
export { health } from "./endpoints/health";
export { widgetApi } from "./endpoints/widgetApi";
export { addNote } from "./endpoints/addNote";
export { manageAgents } from "./endpoints/manageAgents";
export { updateSettings } from "./endpoints/updateSettings";
