import { runningInEmulator } from "./config";
import { readDevClock } from "./store/devClock";

/** A reading of the clock: the time, for one thread or for all. */
export type Reading = (threadId?: string) => Date;

/**
 * The one clock. Every entry point asks it for the time and passes `now` down: the domain never
 * reads a clock. Deployed it is the system clock. Under the emulator the dev clock (set only by
 * the emulator-only devFollowUps endpoint) shifts it, globally or for one thread, so tests and
 * the local demo can move time: the Tasks emulator dispatches at once, ignoring schedule times.
 */
export const clock = {
  /** One reading for many threads (the hourly sweep). */
  async reading(): Promise<Reading> {
    if (!runningInEmulator()) return () => new Date();
    const dev = await readDevClock();
    return (threadId) =>
      new Date(Date.now() + (threadId !== undefined ? (dev.threads[threadId] ?? dev.offsetMs) : dev.offsetMs));
  },
  /** Now, for one thread or in general. */
  async now(threadId?: string): Promise<Date> {
    return (await clock.reading())(threadId);
  },
};
