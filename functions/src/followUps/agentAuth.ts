import { HttpsError, type CallableRequest } from "firebase-functions/https";

const AGENT_ROLES: unknown[] = ["agent", "admin"];

/** Callables used from the console: only users with an agent role claim. */
export function requireAgent(request: CallableRequest): { uid: string; name: string } {
  if (!request.auth || !AGENT_ROLES.includes(request.auth.token.role)) {
    throw new HttpsError("permission-denied", "Only agents can schedule or cancel follow-ups.");
  }
  const token = request.auth.token;
  return { uid: request.auth.uid, name: (token.name as string | undefined) ?? token.email ?? "Agent" };
}
