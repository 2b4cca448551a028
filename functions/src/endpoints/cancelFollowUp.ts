import { HttpsError, onCall } from "firebase-functions/https";
import { z } from "zod";
import { REGION } from "../config";
import { cancelAgentFollowUp } from "../followUps/agent";
import { requireAgent } from "../followUps/agentAuth";
import { ThreadNotFound } from "../store/threads";

const Cancel = z.object({ threadId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "threadId is not a thread id") });

/** The console cancels a thread's planned follow-up (automatic or scheduled). */
export const cancelFollowUp = onCall({ region: REGION }, async (request) => {
  const agent = requireAgent(request);
  const parsed = Cancel.safeParse(request.data);
  if (!parsed.success) throw new HttpsError("invalid-argument", parsed.error.issues[0]?.message ?? "invalid request");
  try {
    const review = await cancelAgentFollowUp(parsed.data.threadId, agent.uid);
    return { cancelled: review.action !== "keep" };
  } catch (err) {
    if (err instanceof ThreadNotFound) throw new HttpsError("not-found", err.message);
    throw err;
  }
});
