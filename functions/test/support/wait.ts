// The one way the test tree waits for something it cannot be told about (a trigger's write, a mail,
// a push, a page's state): poll a probe until it answers. Every wait is registered while it runs, so
// a test that fails or times out says what it was waiting for and for how long (the mocha reporter
// prints the registry, tools/mocha-reporter.cjs).
import { inspect } from "node:util";

export interface Wait {
  what: string;
  startedAt: number;
}

const REGISTRY_KEY = "__afterchatWaits";
const registry: Set<Wait> = ((globalThis as Record<string, unknown>)[REGISTRY_KEY] ??= new Set<Wait>()) as Set<Wait>;

/**
 * Under load the emulators answer slowly; a wait's own timeout stays below the suites' mocha
 * timeout so the failure names what never came instead of a bare "Timeout exceeded".
 */
export const DEFAULT_WAIT_MS = 60_000;

export interface WaitOptions {
  timeoutMs?: number;
  /** Pause between probes: fixed, or per attempt (1, 2, …) for a backoff. */
  intervalMs?: number | ((attempt: number) => number);
}

/** Anything but undefined, null or false counts as an answer. */
type Answer<T> = T | undefined | null | false;

/**
 * Polls `probe` until it answers, then returns the answer. A probe that throws has not answered
 * yet (a request racing a write); its last error is named if the wait times out.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<Answer<T>> | Answer<T>,
  { timeoutMs = DEFAULT_WAIT_MS, intervalMs = 250 }: WaitOptions = {},
): Promise<T> {
  const wait = { what, startedAt: Date.now() };
  registry.add(wait);
  let last: unknown = "no answer yet";
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await probe();
        if (value !== undefined && value !== null && value !== false) return value;
        last = value;
      } catch (err) {
        last = err;
      }
      if (Date.now() - wait.startedAt > timeoutMs) {
        throw new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what} (last seen: ${describe(last)})`);
      }
      await sleep(typeof intervalMs === "number" ? intervalMs : intervalMs(attempt));
    }
  } finally {
    registry.delete(wait);
  }
}

/**
 * A named step of a test that is not a poll (an HTTP call, a browser action): if the test times out
 * inside it, the reporter names it.
 */
export async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  const wait = { what, startedAt: Date.now() };
  registry.add(wait);
  try {
    return await work();
  } finally {
    registry.delete(wait);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`.slice(0, 300);
  return inspect(value, { depth: 3, breakLength: Infinity }).slice(0, 300);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
