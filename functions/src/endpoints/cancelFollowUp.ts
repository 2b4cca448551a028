import { clock } from "../clock";
import { cancelAgentFollowUp } from "../followUps/agent";
import { defineCallable } from "../http/callable";

/** The console cancels a thread's planned follow-up (automatic or scheduled). */
export const cancelFollowUp = defineCallable(
  "cancelFollowUp",
  { roles: ["agent", "admin"] },
  async ({ threadId }, agent) => {
    const review = await cancelAgentFollowUp(threadId, agent.uid, await clock.now(threadId));
    return { cancelled: review.action !== "keep" };
  },
);
