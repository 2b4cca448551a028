import { z } from "zod";

/**
 * An error with an HTTP status and a reason that is safe to show the caller; `body` adds fields
 * to the JSON answer (a machine code, a rate limit's rule) and `headers` to the response.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly body: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(reason);
  }
}

/** The first problem of a failed parse, with where it is: "hours.days.2.open: Invalid string". */
export function zodReason(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return "invalid request";
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  return `${where}${issue.message}`;
}

/** Parses with zod, turning a failure into a 400 with the first problem named. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, zodReason(result.error));
  return result.data;
}
