import { defineCallable } from "../http/callable";
import { alertLogs } from "../logs";
import { setEmailWhenAway } from "../store/agents";

/** Any agent turns their own email alerts (new visitor messages while away) on or off. */
export const setEmailAlerts = defineCallable("setEmailAlerts", { roles: ["agent", "admin"] }, async (input, agent) => {
  await setEmailWhenAway(agent.uid, input.emailWhenAway);
  alertLogs.preference(agent.uid, input.emailWhenAway);
  return { emailWhenAway: input.emailWhenAway };
});
