import { TZDate } from "@date-fns/tz";

/**
 * Business hours in the business's time zone: is it open now, and when does it next open?
 * Wall-clock times are turned into instants by @date-fns/tz (the zone's rules from Intl), so an
 * opening time is right on both sides of a daylight-saving switch. Pure, unit-tested at boundaries.
 */
export interface OpeningHours {
  timeZone: string;
  /** Day 0 = Sunday; "HH:MM" local times, or null when closed all day. */
  days: ({ open: string; close: string } | null)[];
}

export interface Availability {
  open: boolean;
  /** When closed: the next opening instant, if any day in the coming week opens. */
  nextOpenAt?: Date;
}

function hoursAndMinutes(hhmm: string): [number, number] {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`bad time "${hhmm}", expected HH:MM`);
  return [Number(m[1]), Number(m[2])];
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hoursAndMinutes(hhmm);
  return h * 60 + m;
};

/** Weekday and minute of the day at `at` in the given zone. */
export function localClock(at: Date, timeZone: string): { day: number; minute: number } {
  const local = new TZDate(at, timeZone);
  return { day: local.getDay(), minute: local.getHours() * 60 + local.getMinutes() };
}

/**
 * The instant of a wall-clock time `days` after `from`'s local date. A time that does not exist
 * that day (skipped by a spring-forward switch) is taken as the same time after the switch.
 */
function wallTime(from: Date, days: number, hhmm: string, timeZone: string): Date {
  const local = new TZDate(from, timeZone);
  const [h, m] = hoursAndMinutes(hhmm);
  return new Date(new TZDate(local.getFullYear(), local.getMonth(), local.getDate() + days, h, m, timeZone).getTime());
}

export function availability(hours: OpeningHours | undefined, now: Date): Availability {
  if (!hours) return { open: true };
  const { day, minute } = localClock(now, hours.timeZone);
  const today = hours.days[day];
  if (today && minute >= minutesOf(today.open) && minute < minutesOf(today.close)) return { open: true };
  // Walk forward through the next 7 days (today's later opening included).
  for (let offset = 0; offset <= 7; offset++) {
    const slot = hours.days[(day + offset) % 7];
    if (!slot) continue;
    const opensAt = wallTime(now, offset, slot.open, hours.timeZone);
    if (opensAt.getTime() > now.getTime()) return { open: false, nextOpenAt: opensAt };
  }
  return { open: false };
}
