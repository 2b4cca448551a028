import { onTaskDispatched, type TaskQueueOptions } from "firebase-functions/tasks";
import type { z } from "zod";
import { REGION } from "../config";
import { logs } from "../logs";
import { zodReason } from "./errors";

export interface TaskRun {
  /** Attempts already made (Cloud Tasks' retry count): 0 on the first delivery. */
  retryCount: number;
}

/**
 * A task-queue function: the payload is parsed with the contract's schema. A malformed payload is
 * logged and acknowledged (retrying it cannot help); a thrown error is retried with backoff.
 */
export function defineTask<S extends z.ZodType>(
  name: string,
  schema: S,
  options: Omit<TaskQueueOptions, "region">,
  handler: (task: z.infer<S>, run: TaskRun) => Promise<unknown>,
) {
  return onTaskDispatched({ region: REGION, ...options }, async (request) => {
    const parsed = schema.safeParse(request.data);
    if (!parsed.success) {
      logs.requestRejected(name, 400, zodReason(parsed.error));
      return;
    }
    await handler(parsed.data, { retryCount: request.retryCount ?? 0 });
  });
}
