import { db } from "./db";

/**
 * The emulator's test clock: an offset added to the real time, globally or for one thread.
 * Only read when FUNCTIONS_EMULATOR is true (see followUps/clock.ts); never deployed behaviour.
 * Not counted in ops: it does not exist in production.
 */
export const DEV_CLOCK_PATH = "dev/clock";

export interface DevClock {
  offsetMs: number;
  threads: Record<string, number>;
}

export async function readDevClock(): Promise<DevClock> {
  const data = (await db().doc(DEV_CLOCK_PATH).get()).data() ?? {};
  return { offsetMs: Number(data.offsetMs ?? 0), threads: (data.threads ?? {}) as Record<string, number> };
}

export async function setDevClockOffset(offsetMs: number, threadId?: string): Promise<void> {
  const update = threadId ? { threads: { [threadId]: offsetMs } } : { offsetMs };
  await db().doc(DEV_CLOCK_PATH).set(update, { merge: true });
}

export async function resetDevClock(): Promise<void> {
  await db().doc(DEV_CLOCK_PATH).delete();
}
