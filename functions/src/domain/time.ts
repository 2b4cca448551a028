// Time is passed in everywhere (functions/src/clock.ts is the one clock), so window logic is
// tested at exact boundaries.
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}
