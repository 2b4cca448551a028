import { devClockPath } from "../contract/paths";
import { db } from "./db";

/**
 * The emulator's dev clock: an offset added to the real time, globally or for one thread. Read by
 * clock.ts only under the emulator and set only by the emulator-only devFollowUps endpoint; never
 * deployed behaviour, so not counted in ops.
 */
export interface DevClock {
  offsetMs: number;
  threads: Record<string, number>;
}

export async function readDevClock(): Promise<DevClock> {
  const data = (await db().doc(devClockPath).get()).data() ?? {};
  return { offsetMs: Number(data.offsetMs ?? 0), threads: (data.threads ?? {}) as Record<string, number> };
}

export async function setDevClockOffset(offsetMs: number, threadId?: string): Promise<void> {
  const update = threadId ? { threads: { [threadId]: offsetMs } } : { offsetMs };
  await db().doc(devClockPath).set(update, { merge: true });
}

export async function resetDevClock(): Promise<void> {
  await db().doc(devClockPath).delete();
}
