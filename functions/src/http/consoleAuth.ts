import { HttpsError, type CallableRequest } from "firebase-functions/https";
import type { z } from "zod";
import { zodReason } from "./errors";

export interface ConsoleCaller {
  uid: string;
  role: "admin" | "agent";
  name: string;
}

/** Console callables: the `role` custom claim decides; no claim, no access. */
export function requireRole(request: CallableRequest, roles: ReadonlyArray<"admin" | "agent">): ConsoleCaller {
  const role = request.auth?.token.role;
  if (!request.auth || !roles.includes(role)) {
    throw new HttpsError(
      "permission-denied",
      roles.includes("agent") ? "Only agents can do this." : "Only admins can do this.",
    );
  }
  const name = (request.auth.token.name as string | undefined) ?? request.auth.token.email ?? "Agent";
  return { uid: request.auth.uid, role, name };
}

/** Parses callable data with zod; a failure is `invalid-argument` with the first problem named. */
export function parseOrInvalid<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpsError("invalid-argument", zodReason(result.error));
  return result.data;
}
