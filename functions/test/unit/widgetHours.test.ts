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
