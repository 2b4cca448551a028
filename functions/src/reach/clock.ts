import { systemClock, type Clock } from "../domain/time";

/**
 * The one time source of the reach functions (continuity tasks, link signing and checking).
 * Tests never move it: "seen" is decided against the reply's own time, carried in the task, so
 * the Tasks emulator dispatching at once (it ignores scheduleTime) proves the same thing a
 * two-minute wait would. Replace here to inject another clock.
 */
export let reachClock: Clock = systemClock;

export function setReachClock(clock: Clock): void {
  reachClock = clock;
}
