// Snoozed threads wake by themselves: the thread trigger schedules a wake-up task when an agent
// snoozes; the hourly sweep wakes any snooze whose task was lost. The Tasks emulator runs tasks at
// once (it ignores schedule times), so "later" is reached with a clock the test passes to the code.
import { strict as assert } from "node:assert";
import { HOUR_MS } from "../../src/domain/time";
import type { Reading } from "../../src/clock";
import { wakeSnoozed } from "../../src/endpoints/wakeSnoozed";
import { wakeOverdueSnoozes } from "../../src/snooze/wake";
import { runTask } from "../support/wrapped";
import { adminDb, anonymousVisitor, FUNCTIONS, widgetSend } from "../support/emulators";
import { waitUntil } from "../support/wait";

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${FUNCTIONS}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Record<string, unknown>;
}

async function newThread(): Promise<string> {
  const sent = await widgetSend(await anonymousVisitor(), "Can I pick up on Sunday?");
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  return sent.body.threadId!;
}

const threadRef = (id: string) => adminDb().doc(`threads/${id}`);
/** What the console writes (firestore.rules: agents may set status and snoozedUntil). */
const snooze = (id: string, until: Date) => threadRef(id).update({ status: "snoozed", snoozedUntil: until });

describe("snoozed threads wake up", function () {
  it("a snooze that ends now: its wake-up task reopens the thread and clears the snooze", async () => {
    const id = await newThread();
    await snooze(id, new Date(Date.now() + 20_000)); // within the task's minute of tolerance
    const woken = await waitUntil("the thread to wake", async () => {
      const t = (await threadRef(id).get()).data()!;
      return t.status === "open" ? t : undefined;
    });
    assert.equal(woken.snoozedUntil, null);
  });

  it("a snooze hours away stays asleep until its time, then the sweep wakes it; other threads are left alone", async () => {
    const id = await newThread();
    const other = await newThread();
    const until = new Date(Date.now() + 3 * HOUR_MS);
    await snooze(id, until);
    await snooze(other, new Date(Date.now() + 30 * 24 * HOUR_MS));
    // Its wake-up task, run now (hours early, as the Tasks emulator runs it), leaves it asleep.
    await runTask(wakeSnoozed, { threadId: id, until: until.toISOString(), at: until.toISOString() });
    assert.equal((await threadRef(id).get()).get("status"), "snoozed");
    // So does the sweep at the real time.
    const early = await post("devFollowUps/sweep", {});
    assert.ok(!(early.woken as string[]).includes(id), JSON.stringify(early));
    assert.equal((await threadRef(id).get()).get("status"), "snoozed");

    // The sweep's part a minute after the snooze ends for this thread, on a clock of this process's
    // own: the emulator's wake-up task for it, whenever the Tasks emulator runs it (late, on a busy
    // machine), keeps reading the real clock, finds itself early and cannot wake it first.
    const later: Reading = (threadId) => new Date(threadId === id ? until.getTime() + 60_000 : Date.now());
    const woken = await wakeOverdueSnoozes(later);
    assert.ok(woken.includes(id), JSON.stringify(woken));
    assert.ok(!woken.includes(other));
    assert.equal((await threadRef(id).get()).get("status"), "open");
    assert.equal((await threadRef(other).get()).get("status"), "snoozed");
  });

  it("a thread reopened or snoozed again meanwhile is not woken by the old snooze", async () => {
    const id = await newThread();
    const first = new Date(Date.now() + 20_000);
    const second = new Date(Date.now() + 5 * HOUR_MS);
    await snooze(id, first);
    await snooze(id, second);
    // The first snooze's wake-up task, due now: it finds the thread snoozed until later and leaves it.
    await runTask(wakeSnoozed, { threadId: id, until: first.toISOString(), at: first.toISOString() });
    const t = (await threadRef(id).get()).data()!;
    assert.equal(t.status, "snoozed");
    assert.equal(t.snoozedUntil.toMillis(), second.getTime());
  });
});
