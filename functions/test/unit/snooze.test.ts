import { strict as assert } from "node:assert";
import { decideWake, snoozeIsOver, snoozeToSchedule, wakeTaskAfter, WAKE_HOP_MS } from "../../src/domain/snooze";
import { DAY_MS, HOUR_MS } from "../../src/domain/time";

const NOW = new Date("2026-11-26T10:00:00Z");
const at = (ms: number) => new Date(NOW.getTime() + ms);

describe("snooze wake-up (pure)", () => {
  it("schedules on a new snooze or a moved one, never on other writes", () => {
    const until = at(HOUR_MS);
    assert.equal(snoozeToSchedule({ status: "open" }, { status: "snoozed", snoozedUntil: until }), until);
    assert.equal(
      snoozeToSchedule({ status: "snoozed", snoozedUntil: until }, { status: "snoozed", snoozedUntil: until }),
      undefined,
    );
    assert.equal(
      snoozeToSchedule(
        { status: "snoozed", snoozedUntil: until },
        { status: "snoozed", snoozedUntil: at(2 * HOUR_MS) },
      )?.getTime(),
      at(2 * HOUR_MS).getTime(),
    );
    assert.equal(snoozeToSchedule(undefined, { status: "open", snoozedUntil: null }), undefined);
  });

  it("wakes at its time (a minute early is fine), and only the snooze it was scheduled for", () => {
    const until = at(HOUR_MS);
    const task = wakeTaskAfter("t1", until, NOW);
    const thread = { status: "snoozed" as const, snoozedUntil: until };
    assert.deepEqual(decideWake(thread, task, until), { action: "wake" });
    assert.deepEqual(decideWake(thread, task, new Date(until.getTime() - 30_000)), { action: "wake" });
    assert.deepEqual(decideWake(thread, task, NOW), { action: "early" });
    assert.deepEqual(decideWake({ status: "open", snoozedUntil: until }, task, until), { action: "stale" });
    assert.deepEqual(decideWake({ status: "snoozed", snoozedUntil: at(2 * HOUR_MS) }, task, until), {
      action: "stale",
    });
    assert.deepEqual(decideWake(undefined, task, until), { action: "stale" });
  });

  it("reaches a snooze beyond the 30-day task horizon in 29-day hops, the same chain on every retry", () => {
    const until = at(70 * DAY_MS);
    const first = wakeTaskAfter("t1", until, NOW);
    assert.equal(first.at.getTime(), NOW.getTime() + WAKE_HOP_MS);
    const thread = { status: "snoozed" as const, snoozedUntil: until };
    const hop = decideWake(thread, first, first.at);
    assert.equal(hop.action, "hop");
    const second = (hop as { next: typeof first }).next;
    assert.equal(second.at.getTime(), first.at.getTime() + WAKE_HOP_MS);
    assert.deepEqual(
      decideWake(thread, first, new Date(first.at.getTime() + 5000)),
      hop,
      "a retried hop schedules the same next task",
    );
    const last = (decideWake(thread, second, second.at) as { next: typeof first }).next;
    assert.equal(last.at.getTime(), until.getTime());
    assert.deepEqual(decideWake(thread, last, until), { action: "wake" });
  });

  it("the sweep's check", () => {
    assert.equal(snoozeIsOver({ status: "snoozed", snoozedUntil: at(-1) }, NOW), true);
    assert.equal(snoozeIsOver({ status: "snoozed", snoozedUntil: at(HOUR_MS) }, NOW), false);
    assert.equal(snoozeIsOver({ status: "open", snoozedUntil: at(-1) }, NOW), false);
  });
});
