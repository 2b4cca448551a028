import { runningInEmulator } from "../config";
import { systemClock } from "../domain/time";
import { readDevClock } from "../store/devClock";

/** A clock that may be asked for the time of a given thread. */
export type ThreadClock = (threadId?: string) => Date;

/**
 * Production: the system clock. In the emulator only, the dev clock (dev/clock) shifts time,
 * globally or per thread, so tests and the local demo can plan, advance time and fire —
 * the Tasks emulator dispatches at once, ignoring schedule times.
 */
export async function followUpClock(): Promise<ThreadClock> {
  if (!runningInEmulator()) return () => systemClock();
  const dev = await readDevClock();
  return (threadId) => {
    const offset = threadId !== undefined && dev.threads[threadId] !== undefined ? dev.threads[threadId] : dev.offsetMs;
    return new Date(systemClock().getTime() + offset);
  };
}

export async function nowFor(threadId?: string): Promise<Date> {
  return (await followUpClock())(threadId);
}
