import type { Response } from "express";
import { z } from "zod";
import { logs } from "../logs";

/** An error with an HTTP status and a short reason that is safe to show the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

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

export function sendError(res: Response, err: HttpError): void {
  res.status(err.status).json({ error: err.reason });
}

/**
 * A task's payload, or undefined when it is malformed: logged and acknowledged, since retrying a
 * malformed task cannot help.
 */
export function taskPayload<T extends z.ZodType>(endpoint: string, schema: T, data: unknown): z.infer<T> | undefined {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  logs.requestRejected(endpoint, 400, zodReason(result.error));
  return undefined;
}
