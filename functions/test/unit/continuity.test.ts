import { strict as assert } from "node:assert";
import {
  continuityChannels,
  MAX_BATCHED_REPLIES,
  notificationKey,
  planContinuity,
  unseenReplies,
  type ContinuityQuestion,
  type Reply,
} from "../../src/domain/continuity";
import { channelOrderOf, DEFAULT_CHANNEL_ORDER } from "../../src/domain/reply";
import { DAY_MS, MINUTE_MS } from "../../src/domain/time";

const t0 = new Date("2026-11-20T10:00:00.000Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE_MS);
const reply = (id: string, minute: number, text = `reply ${id}`): Reply => ({
  id,
  from: "agent",
  text,
  createdAt: at(minute),
});

function question(
  over: Partial<ContinuityQuestion> = {},
  thread: Partial<ContinuityQuestion["thread"]> = {},
): ContinuityQuestion {
  return {
    thread: {
      origin: "web",
      status: "pending",
      reach: { bm: false, push: false, email: true },
      visitor: { displayName: "V", locale: "en", email: "v@example.com" },
      lastVisitorMessageAt: at(-1),
      ...thread,
    },
    replyAt: at(1),
    replies: [reply("r1", 1)],
    state: {},
    hasPushSubscription: false,
    now: at(3),
    ...over,
  };
}

describe("continuity planning", () => {
  it("emails an unseen reply when email is the only way", () => {
    const plan = planContinuity(question());
    assert.equal(plan.action, "send");
    assert.equal(plan.action === "send" && plan.channel, "email");
    assert.deepEqual(plan.action === "send" && plan.notifiedThrough, at(1));
  });

  it("skips when the visitor has seen the reply (seen at or after its time), whatever the clock says", () => {
    assert.deepEqual(planContinuity(question({}, { visitorLastSeenAt: at(1) })), { action: "skip", reason: "seen" });
    assert.deepEqual(planContinuity(question({ now: at(-5) }, { visitorLastSeenAt: at(2) })), {
      action: "skip",
      reason: "seen",
    });
    assert.equal(planContinuity(question({}, { visitorLastSeenAt: new Date(at(1).getTime() - 1) })).action, "send");
  });

  it("batches every unseen, not yet notified reply, oldest first, in one notification", () => {
    const replies = [reply("r3", 5), reply("r1", 1), reply("r0", -3), reply("r2", 2)];
    const plan = planContinuity(
      question({ replies, replyAt: at(1), state: { notifiedThrough: at(-2) } }, { visitorLastSeenAt: at(0) }),
    );
    assert.equal(plan.action, "send");
    assert.deepEqual(plan.action === "send" && plan.replies.map((r) => r.id), ["r1", "r2", "r3"]);
    assert.deepEqual(plan.action === "send" && plan.notifiedThrough, at(5));
  });

  it("a second task for a reply already carried sends nothing (double delivery, or a burst of replies)", () => {
    const replies = [reply("r1", 1), reply("r2", 2)];
    assert.deepEqual(planContinuity(question({ replies, replyAt: at(2), state: { notifiedThrough: at(2) } })), {
      action: "skip",
      reason: "already_notified",
    });
  });

  it("caps a batch at the newest replies", () => {
    const replies = Array.from({ length: MAX_BATCHED_REPLIES + 5 }, (_, i) =>
      reply(`r${String(i).padStart(2, "0")}`, i + 1),
    );
    const batch = unseenReplies(replies, undefined, undefined);
    assert.equal(batch.length, MAX_BATCHED_REPLIES);
    assert.equal(batch[0]!.id, "r05");
  });

  it("prefers web push over email in the default order, email over push when the business says so", () => {
    const push = planContinuity(question({ hasPushSubscription: true }));
    assert.equal(push.action === "send" && push.channel, "push");
    const emailFirst = planContinuity(question({ hasPushSubscription: true, order: ["web", "bm", "email", "push"] }));
    assert.equal(emailFirst.action === "send" && emailFirst.channel, "email");
  });

  it("leaves Business Messages threads to Business Messages while its window is open", () => {
    const bmThread = { reach: { bm: true, push: false, email: true }, bm: { conversationId: "c", agent: "a" } };
    assert.deepEqual(planContinuity(question({}, bmThread)), { action: "skip", reason: "delivered_elsewhere" });
    const bmClosed = planContinuity(question({ now: at(31 * 24 * 60) }, { ...bmThread, lastVisitorMessageAt: at(-1) }));
    assert.equal(bmClosed.action, "skip", "every window is closed after 31 days with default settings");
  });

  it("falls to email when the BM window has closed but the reach window is longer", () => {
    const bmThread = {
      reach: { bm: true, push: false, email: true },
      bm: { conversationId: "c", agent: "a" },
      lastVisitorMessageAt: at(-1),
    };
    const policies = {
      web: { channel: "web", label: "w", windowMs: 60 * DAY_MS },
      bm: { channel: "bm", label: "bm", windowMs: DAY_MS },
      push: { channel: "push", label: "p", windowMs: 60 * DAY_MS },
      email: { channel: "email", label: "e", windowMs: 60 * DAY_MS },
    } as const;
    const plan = planContinuity(question({ now: at(2 * 24 * 60), policies }, bmThread));
    assert.equal(plan.action === "send" && plan.channel, "email");
  });

  it("has nothing to do without a channel: no email, unsubscribed, or left out of the order", () => {
    assert.deepEqual(
      planContinuity(
        question({}, { visitor: { displayName: "V", locale: "en" }, reach: { bm: false, push: false, email: false } }),
      ),
      { action: "skip", reason: "no_channel" },
    );
    assert.deepEqual(planContinuity(question({ state: { emailUnsubscribedAt: at(0) } })), {
      action: "skip",
      reason: "no_channel",
    });
    assert.deepEqual(continuityChannels(question({ order: ["web", "push"] })), []);
    const givenAgain = question({ state: { emailUnsubscribedAt: at(0) } }, { consent: { email: { at: at(0.5) } } });
    assert.equal(planContinuity(givenAgain).action, "send", "giving the email again after unsubscribing lifts it");
  });

  it("says window_closed once the reach window has passed", () => {
    assert.deepEqual(planContinuity(question({ now: at(31 * 24 * 60) })), { action: "skip", reason: "window_closed" });
  });

  it("the same batch has the same notification key", () => {
    const q = question({ replies: [reply("a", 1), reply("b", 2)] });
    const p1 = planContinuity(q);
    const p2 = planContinuity({ ...q, replies: [...q.replies].reverse() });
    assert.ok(p1.action === "send" && p2.action === "send");
    assert.equal(notificationKey("t", p1), notificationKey("t", p2));
  });

  it("channelOrderOf: the business's order, else the default, without duplicates", () => {
    assert.deepEqual(channelOrderOf(undefined), DEFAULT_CHANNEL_ORDER);
    assert.deepEqual(channelOrderOf({ channelOrder: [] }), DEFAULT_CHANNEL_ORDER);
    assert.deepEqual(channelOrderOf({ channelOrder: ["email", "web", "email"] }), ["email", "web"]);
  });
});
