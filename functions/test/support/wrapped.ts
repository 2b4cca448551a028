// Deployed functions run in this test process, on the same emulators, when a test must decide when
// a trigger or a task runs instead of waiting for the emulator to run it: firebase-functions-test in
// online mode wraps the Firestore triggers with built events; task-queue functions are run the same
// way its wrap() runs v2 functions (`run`), since its wrap() cannot build a task request (3.5.0
// deep-merges the request into a null event and throws).
//
// The emulator runs the same triggers and tasks by itself as well; every reaction is idempotent, so
// a test asserts on what the run it started returned or wrote.
import { readFileSync } from "node:fs";
import functionsTest from "firebase-functions-test";
import type { CloudEvent, CloudFunction } from "firebase-functions/v2";
import type { Request as TaskRequest, TaskQueueFunction } from "firebase-functions/tasks";
import { adminApp, PROJECT_ID } from "./emulators";

/** The local params and secrets, as the functions emulator hands them to the functions. */
function loadLocalEnv(): void {
  for (const file of [".env.local", ".secret.local"]) {
    for (const line of readFileSync(`${__dirname}/../../${file}`, "utf8").split("\n")) {
      const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
      if (m) process.env[m[1]] ??= m[2];
    }
  }
  // The functions behave here exactly as in the emulator (dev clock, local sign-in to the simulator).
  process.env.FUNCTIONS_EMULATOR = "true";
}

let fft: ReturnType<typeof functionsTest> | undefined;
function online() {
  if (!fft) {
    adminApp();
    loadLocalEnv();
    fft = functionsTest({ projectId: PROJECT_ID });
  }
  return fft;
}

/** Runs a task-queue function on `data` now, as Cloud Tasks would dispatch it (first attempt by default). */
export async function runTask<T>(fn: TaskQueueFunction<T>, data: T, attempt = 1): Promise<void> {
  online();
  const request = {
    data,
    queueName: "test",
    id: `test-${Date.now()}`,
    retryCount: attempt - 1,
    executionCount: attempt - 1,
    scheduledTime: new Date().toISOString(),
  } as unknown as TaskRequest<T>;
  await fn.run(request);
}

type Doc = Record<string, unknown> | undefined;

/**
 * Runs an onDocumentWritten trigger on a built change of `path` (before/after: the documents'
 * data, undefined for none), with the path's wildcards as params. `event` pins the event's time or
 * id, as a redelivery repeats them.
 */
export async function runDocumentWrite(
  fn: CloudFunction<CloudEvent<unknown>>,
  path: string,
  before: Doc,
  after: Doc,
  params: Record<string, string>,
  event: { time?: string; id?: string } = {},
): Promise<void> {
  const t = online();
  const snapshot = (data: Doc) => t.firestore.makeDocumentSnapshot(data ?? {}, path);
  await t.wrap(fn)({ ...event, data: t.makeChange(snapshot(before), snapshot(after)), params } as never);
}
