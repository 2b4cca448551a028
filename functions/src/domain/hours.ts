/**
 * Business hours in the business's time zone: is it open now, and when does it next open?
 * Pure (Intl only), so the widget's away message is unit-tested at exact boundaries.
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

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MINUTES_PER_DAY = 24 * 60;

function minutesOf(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`bad time "${hhmm}", expected HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Weekday and minute of the day at `at` in the given zone. */
export function localClock(at: Date, timeZone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: WEEKDAYS.indexOf(get("weekday")), minute: (Number(get("hour")) % 24) * 60 + Number(get("minute")) };
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
    const opensIn = offset * MINUTES_PER_DAY + minutesOf(slot.open) - minute;
    if (opensIn > 0)
      return { open: false, nextOpenAt: new Date(Math.floor(now.getTime() / 60_000) * 60_000 + opensIn * 60_000) };
  }
  return { open: false };
}
