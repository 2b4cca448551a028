import type { TaskOptions, TaskQueue } from "firebase-admin/functions";
import { REGION } from "./config";
import { db } from "./store/db";

const queues = new Map<string, TaskQueue<Record<string, unknown>>>();

/**
 * The queue of a task-queue function, loaded on first use like the Firestore SDK: functions that
 * never enqueue don't pay for firebase-admin/functions at cold start.
 */
function queueOf(functionName: string): TaskQueue<Record<string, unknown>> {
  let queue = queues.get(functionName);
  if (!queue) {
    db(); // initializes the admin app
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getFunctions } = require("firebase-admin/functions") as typeof import("firebase-admin/functions");
    queue = getFunctions().taskQueue(`locations/${REGION}/functions/${functionName}`);
    queues.set(functionName, queue);
  }
  return queue;
}

/**
 * Enqueues under our own id, derived from the work: an id that exists (or ran within the hour)
 * means the work is queued already, so a redelivered trigger queues nothing new.
 */
export async function enqueueOnce<T extends object>(
  functionName: string,
  task: T,
  options: TaskOptions & { id: string },
): Promise<"enqueued" | "already_enqueued"> {
  try {
    await queueOf(functionName).enqueue(task as Record<string, unknown>, options);
    return "enqueued";
  } catch (err) {
    if ((err as { code?: string })?.code === "functions/task-already-exists") return "already_enqueued";
    throw err;
  }
}

/** Deletes a task; one that already ran or is gone resolves silently. */
export async function deleteTask(functionName: string, id: string): Promise<void> {
  await queueOf(functionName).delete(id);
}
