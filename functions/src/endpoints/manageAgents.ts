import { HttpsError, onCall } from "firebase-functions/https";
import { z } from "zod";
import { REGION } from "../config";
import { parseOrInvalid, requireRole } from "../http/consoleAuth";
import { logs } from "../logs";
import { AgentNotFound, CONSOLE_ROLES, inviteAgent, removeAgent, setAgentRole } from "../store/agents";

const Uid = z.string().min(1).max(128);
const Request = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("invite"),
    email: z.email().max(254),
    role: z.enum(CONSOLE_ROLES),
    displayName: z.string().trim().max(80).optional(),
  }),
  z.object({ action: z.literal("setRole"), uid: Uid, role: z.enum(CONSOLE_ROLES) }),
  z.object({ action: z.literal("remove"), uid: Uid }),
]);

/** Admins invite agents, change roles (custom claims) and remove agents. */
export const manageAgents = onCall({ region: REGION }, async (request) => {
  const caller = requireRole(request, ["admin"]);
  const input = parseOrInvalid(Request, request.data);
  // An admin never demotes or removes themself: the project can never be left without an admin.
  if (input.action !== "invite" && input.uid === caller.uid) {
    throw new HttpsError("failed-precondition", "You cannot change your own role; ask another admin.");
  }
  try {
    switch (input.action) {
      case "invite": {
        const result = await inviteAgent({
          email: input.email.toLowerCase(),
          role: input.role,
          displayName: input.displayName,
        });
        logs.agentRoleChanged(caller.uid, result.uid, input.role);
        return result;
      }
      case "setRole":
        await setAgentRole(input.uid, input.role);
        logs.agentRoleChanged(caller.uid, input.uid, input.role);
        return { uid: input.uid };
      case "remove":
        await removeAgent(input.uid);
        logs.agentRoleChanged(caller.uid, input.uid, "none");
        return { uid: input.uid };
    }
  } catch (err) {
    if (err instanceof AgentNotFound) throw new HttpsError("not-found", err.message);
    throw err;
  }
});
