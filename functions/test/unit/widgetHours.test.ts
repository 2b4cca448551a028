import { strict as assert } from "node:assert";
import { availability, localClock, type OpeningHours } from "../../src/domain/hours";

// Mon–Fri 07:00–19:00, Sat 08:00–14:00, Sunday closed, in Ho Chi Minh City (UTC+7, no DST).
const bakery: OpeningHours = {
  timeZone: "Asia/Ho_Chi_Minh",
  days: [null, ...Array(5).fill({ open: "07:00", close: "19:00" }), { open: "08:00", close: "14:00" }],
};

describe("business hours", () => {
  it("reads the weekday and minute in the business's zone", () => {
    assert.deepEqual(localClock(new Date("2026-11-26T00:30:00Z"), "Asia/Ho_Chi_Minh"), { day: 4, minute: 7 * 60 + 30 });
  });

  it("is open inside the hours, closed exactly at closing time", () => {
    assert.deepEqual(availability(bakery, new Date("2026-11-26T00:00:00Z")), { open: true }); // Thu 07:00
    const closing = availability(bakery, new Date("2026-11-26T12:00:00Z")); // Thu 19:00
    assert.equal(closing.open, false);
    assert.equal(closing.nextOpenAt?.toISOString(), "2026-11-27T00:00:00.000Z"); // Fri 07:00
  });

  it("before opening on the same day, the next opening is today", () => {
    const early = availability(bakery, new Date("2026-11-25T23:15:00Z")); // Thu 06:15
    assert.equal(early.nextOpenAt?.toISOString(), "2026-11-26T00:00:00.000Z");
  });

  it("skips closed days: Saturday afternoon → Monday 07:00", () => {
    const sat = availability(bakery, new Date("2026-11-28T08:00:00Z")); // Sat 15:00
    assert.equal(sat.open, false);
    assert.equal(sat.nextOpenAt?.toISOString(), "2026-11-30T00:00:00.000Z");
  });

  it("without hours the business counts as open; never open means no next opening", () => {
    assert.deepEqual(availability(undefined, new Date()), { open: true });
    assert.deepEqual(availability({ timeZone: "UTC", days: Array(7).fill(null) }, new Date()), { open: false });
  });
});

// Zones with daylight saving time, on both sides of each switch. Offsets: New York EST −5 / EDT −4
// (2026: forward Mar 8, back Nov 1), Berlin CET +1 / CEST +2 (Mar 29, Oct 25), Sydney AEST +10 /
// AEDT +11 (back Apr 5, forward Oct 4).
const weekdays = (open: string, close: string, saturday: { open: string; close: string } | null = null) => [
  null,
  ...Array(5).fill({ open, close }),
  saturday,
];
const newYork: OpeningHours = {
  timeZone: "America/New_York",
  days: weekdays("09:00", "17:00", { open: "10:00", close: "12:00" }),
};
const berlin: OpeningHours = { timeZone: "Europe/Berlin", days: weekdays("08:00", "18:00") };
const sydney: OpeningHours = { timeZone: "Australia/Sydney", days: weekdays("09:00", "17:00") };
const next = (hours: OpeningHours, at: string) => availability(hours, new Date(at)).nextOpenAt?.toISOString();

describe("business hours across daylight-saving switches", () => {
  it("New York, spring forward: Saturday noon EST → Monday 09:00 EDT (13:00Z, not 14:00Z)", () => {
    assert.equal(next(newYork, "2026-03-07T17:00:00Z"), "2026-03-09T13:00:00.000Z");
  });

  it("New York, fall back: Saturday noon EDT → Monday 09:00 EST (14:00Z)", () => {
    assert.equal(next(newYork, "2026-10-31T16:00:00Z"), "2026-11-02T14:00:00.000Z");
  });

  it("New York: open at 09:00 local on either side of each switch, closed a minute before", () => {
    for (const [opening, offsetHours] of [
      ["2026-03-06", 5],
      ["2026-03-09", 4],
      ["2026-10-30", 4],
      ["2026-11-02", 5],
    ] as const) {
      const nine = new Date(`${opening}T${String(9 + offsetHours).padStart(2, "0")}:00:00Z`);
      assert.equal(availability(newYork, nine).open, true, `${opening} 09:00`);
      assert.equal(availability(newYork, new Date(nine.getTime() - 60_000)).open, false, `${opening} 08:59`);
    }
  });

  it("an opening time skipped by the switch (02:30 on Mar 8 in New York) opens at 03:30 EDT", () => {
    const night: OpeningHours = {
      timeZone: "America/New_York",
      days: [{ open: "02:30", close: "05:00" }, ...Array(6).fill(null)],
    };
    assert.equal(next(night, "2026-03-07T12:00:00Z"), "2026-03-08T07:30:00.000Z");
  });

  it("an opening time that happens twice (01:30 on Nov 1 in New York) opens at the first", () => {
    const night: OpeningHours = {
      timeZone: "America/New_York",
      days: [{ open: "01:30", close: "05:00" }, ...Array(6).fill(null)],
    };
    assert.equal(next(night, "2026-10-31T12:00:00Z"), "2026-11-01T05:30:00.000Z");
  });

  it("Berlin: the weekend before each switch → Monday 08:00 local", () => {
    assert.equal(next(berlin, "2026-03-28T17:00:00Z"), "2026-03-30T06:00:00.000Z"); // CET → CEST
    assert.equal(next(berlin, "2026-10-24T16:00:00Z"), "2026-10-26T07:00:00.000Z"); // CEST → CET
  });

  it("Sydney (southern hemisphere): the weekend before each switch → Monday 09:00 local", () => {
    assert.equal(next(sydney, "2026-04-04T06:00:00Z"), "2026-04-05T23:00:00.000Z"); // AEDT → AEST
    assert.equal(next(sydney, "2026-10-03T07:00:00Z"), "2026-10-04T22:00:00.000Z"); // AEST → AEDT
  });
});
