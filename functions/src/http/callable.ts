import { HttpsError, onCall, type CallableOptions, type CallableRequest } from "firebase-functions/https";
import { REGION } from "../config";
import {
  callables,
  CONSOLE_ROLES,
  type CallableInput,
  type CallableName,
  type CallableResponse,
  type ConsoleRole,
} from "../contract";
import { NotFound, Refused } from "../domain/errors";
import { logs } from "../logs";
import { zodReason } from "./errors";

/** Who called: the `role` custom claim decides; no claim, no access. */
export interface Caller {
  uid: string;
  role: ConsoleRole;
  name: string;
}

function callerOf(request: CallableRequest, roles: readonly ConsoleRole[]): Caller {
  const role = request.auth?.token.role as ConsoleRole | undefined;
  if (!request.auth || !role || !CONSOLE_ROLES.includes(role) || !roles.includes(role)) {
    throw new HttpsError(
      "permission-denied",
      roles.includes("agent") ? "Only agents can do this." : "Only admins can do this.",
    );
  }
  const token = request.auth.token;
  return { uid: request.auth.uid, role, name: (token.name as string | undefined) ?? token.email ?? "Agent" };
}

/** The callable protocol's answer to what a handler threw. */
function toHttpsError(name: string, err: unknown): HttpsError {
  if (err instanceof HttpsError) return err;
  if (err instanceof NotFound) return new HttpsError("not-found", err.message);
  if (err instanceof Refused) {
    logs.requestRejected(name, 412, err.code);
    return new HttpsError("failed-precondition", err.reason, { code: err.code });
  }
  logs.unexpectedError(name, err);
  return new HttpsError("internal", "internal error");
}

/**
 * A console callable: the caller's role is checked, the request parsed with the contract's schema
 * (invalid-argument names the field), and errors mapped in one place (not-found, failed-precondition
 * with the refusal's reason and code).
 */
export function defineCallable<N extends CallableName>(
  name: N,
  options: { roles: readonly ConsoleRole[] } & Omit<CallableOptions, "region">,
  handler: (input: CallableInput<N>, caller: Caller) => Promise<CallableResponse<N>>,
) {
  const { roles, ...callableOptions } = options;
  return onCall({ region: REGION, ...callableOptions }, async (request) => {
    const caller = callerOf(request, roles);
    const parsed = callables[name].request.safeParse(request.data);
    if (!parsed.success) throw new HttpsError("invalid-argument", zodReason(parsed.error));
    try {
      return await handler(parsed.data as CallableInput<N>, caller);
    } catch (err) {
      throw toHttpsError(name, err);
    }
  });
}
