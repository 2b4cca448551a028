// Firestore reads and writes per follow-up, counted by store/ops.ts while the store and follow-up
// code runs in this process against the Firestore and Tasks emulators.
import { strict as assert } from "node:assert";
import { scheduleAgentFollowUp } from "../../src/followUps/agent";
import { deliverFollowUp } from "../../src/followUps/deliver";
import { reviewThread } from "../../src/followUps/review";
import { ops } from "../../src/store/ops";
import { getBusinessSettings } from "../../src/store/settings";
import { DAY_MS } from "../../src/domain/time";
import { adminDb, anonymousVisitor, widgetSend } from "../support/emulators";
import { waitUntil } from "../support/wait";

/** The visitor's message trigger plans a follow-up on the thread. */
function waitForPlan(threadId: string): Promise<FirebaseFirestore.DocumentData> {
  return waitUntil(`a follow-up planned on ${threadId}`, async () => {
    const t = (await adminDb().doc(`threads/${threadId}`).get()).data();
    return t?.followUp?.state === "planned" ? t : undefined;
  });
}

describe("follow-up cost in Firestore operations", function () {
  it("planning costs 1 read + 1 write, a review with nothing to do 1 read, sending 3 reads + 2 writes", async () => {
    if (!process.env.CLOUD_TASKS_EMULATOR_HOST)
      throw new Error("CLOUD_TASKS_EMULATOR_HOST is not set: run through `npm test`.");
    const visitor = await anonymousVisitor();
    const sent = await widgetSend(visitor, "How much is a birthday cake?");
    const threadId = sent.body.threadId!;
    await waitForPlan(threadId);
    await getBusinessSettings(); // cached per instance, as in a warm function
    const tenDays = new Date(Date.now() + 10 * DAY_MS);

    ops.reset();
    assert.equal((await reviewThread(threadId, tenDays)).action, "keep");
    assert.deepEqual(ops.snapshot(), { reads: 1, writes: 0 }, "reviewing a planned thread");

    // A lost task: the sweep's review plans it again (the thread trigger does the same work on a visitor message).
    await adminDb()
      .doc(`threads/${threadId}`)
      .update({ "followUp.dueAt": new Date(Date.now() + 5 * DAY_MS) });
    ops.reset();
    const review = await reviewThread(threadId, tenDays);
    assert.equal(review.action, "plan");
    assert.deepEqual(ops.snapshot(), { reads: 1, writes: 1 }, "planning a follow-up");

    ops.reset();
    const taskId = (review as { followUp: { taskId: string } }).followUp.taskId;
    const outcome = await deliverFollowUp({ threadId, taskId }, tenDays);
    assert.equal(outcome.sent, true);
    assert.deepEqual(ops.snapshot(), { reads: 3, writes: 2 }, "sending a follow-up");

    ops.reset();
    assert.equal((await deliverFollowUp({ threadId, taskId }, tenDays)).sent, false);
    assert.deepEqual(ops.snapshot(), { reads: 1, writes: 0 }, "a duplicate delivery");
  });

  it("an agent's follow-up: scheduling 1 read + 2 writes (slot, agent-only details), sending 4 reads + 2 writes", async () => {
    const visitor = await anonymousVisitor();
    const threadId = (await widgetSend(visitor, "Can I order for Friday?")).body.threadId!;
    await waitForPlan(threadId);
    await getBusinessSettings();
    const now = new Date();
    const sendAt = new Date(now.getTime() + DAY_MS);

    ops.reset();
    const plan = await scheduleAgentFollowUp(
      threadId,
      { sendAt, text: "Friday works!", agentUid: "agent-ops", authorName: "Ops", ifNoReply: false },
      now,
    );
    assert.ok(plan.ok);
    assert.deepEqual(ops.snapshot(), { reads: 1, writes: 2 }, "scheduling an agent follow-up");

    ops.reset();
    const outcome = await deliverFollowUp({ threadId, taskId: plan.followUp.taskId! }, sendAt);
    assert.equal(outcome.sent, true);
    assert.deepEqual(ops.snapshot(), { reads: 4, writes: 2 }, "sending an agent follow-up (+1 read: its details)");
  });
});
