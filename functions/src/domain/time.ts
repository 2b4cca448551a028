/** Time is injected everywhere so window logic can be tested at exact boundaries. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}
