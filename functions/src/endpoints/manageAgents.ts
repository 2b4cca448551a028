import { Refused } from "../domain/errors";
import { defineCallable } from "../http/callable";
import { logs } from "../logs";
import { inviteAgent, removeAgent, setAgentAvatar, setAgentRole } from "../store/agents";

/** Admins invite agents, change roles (custom claims) and remove agents. */
export const manageAgents = defineCallable("manageAgents", { roles: ["admin"] }, async (input, admin) => {
  // An admin never demotes or removes themself: the project can never be left without an admin.
  if ((input.action === "setRole" || input.action === "remove") && input.uid === admin.uid) {
    throw new Refused("own_role", "You cannot change your own role; ask another admin.");
  }
  switch (input.action) {
    case "invite": {
      const { replacedUid, ...result } = await inviteAgent({
        email: input.email.toLowerCase(),
        role: input.role,
        displayName: input.displayName,
      });
      if (replacedUid) logs.agentAccountReplaced(admin.uid, replacedUid, result.uid);
      logs.agentRoleChanged(admin.uid, result.uid, input.role);
      return { ...result, replaced: Boolean(replacedUid) };
    }
    case "setRole":
      await setAgentRole(input.uid, input.role);
      logs.agentRoleChanged(admin.uid, input.uid, input.role);
      return { uid: input.uid };
    case "setAvatar":
      await setAgentAvatar(input.uid, input.avatarUrl);
      return { uid: input.uid };
    case "remove":
      await removeAgent(input.uid);
      logs.agentRoleChanged(admin.uid, input.uid, "none");
      return { uid: input.uid };
  }
});
