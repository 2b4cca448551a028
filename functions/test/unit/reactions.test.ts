import { strict as assert } from "node:assert";
import type { FollowUpThread } from "../../src/domain/followUps";
import { messageReactions, threadReactions, typingReactions, type StoredMessage } from "../../src/domain/reactions";

const at = new Date("2026-12-01T10:00:00Z");
const minutes = (n: number) => new Date(at.getTime() + n * 60_000);
const kinds = (reactions: Array<{ kind: string }>) => reactions.map((r) => r.kind);

const visitorMessage: StoredMessage = { from: "visitor", text: "Hello", createdAt: at };
const agentReply: StoredMessage = {
  from: "agent",
  text: "Hi!",
  createdAt: minutes(5),
  agentUid: "agent-1",
  delivery: { channel: "web", state: "sent", attempts: 1 },
};
const pendingBm: StoredMessage = { ...agentReply, delivery: { channel: "bm", state: "pending", attempts: 0 } };

describe("what a message write causes", () => {
  const write = (before?: StoredMessage, after?: StoredMessage) =>
    messageReactions({ threadId: "web_t", messageId: "m1", before, after, at });

  it("a visitor's new message: its event, and email alerts for agents away from the console", () => {
    const reactions = write(undefined, visitorMessage);
    assert.deepEqual(kinds(reactions), ["publish", "alertAgents"]);
    assert.equal(reactions[0].kind === "publish" && reactions[0].events[0].type, "message.received");
  });

  it("an agent's reply on the widget: its event and a continuity check at the reply's own time", () => {
    const reactions = write(undefined, agentReply);
    assert.deepEqual(kinds(reactions), ["publish", "planContinuity"]);
    assert.deepEqual(reactions[1], { kind: "planContinuity", replyAt: agentReply.createdAt });
  });

  it("a new pending Business Messages message goes to the outbox (its event comes once it is sent)", () => {
    assert.deepEqual(kinds(write(undefined, pendingBm)), ["deliverBm", "planContinuity"]);
  });

  it("a later write of the same message (a receipt) queues nothing again", () => {
    const delivered = { ...pendingBm, delivery: { channel: "bm" as const, state: "delivered" as const, attempts: 1 } };
    assert.equal(
      write(pendingBm, delivered).some((r) => r.kind === "deliverBm" || r.kind === "planContinuity"),
      false,
    );
  });

  it("a deleted message causes nothing", () => {
    assert.deepEqual(write(visitorMessage, undefined), []);
  });
});

describe("what a thread write causes", () => {
  const thread = (over: Partial<FollowUpThread> = {}): FollowUpThread =>
    ({ id: "web_t", status: "open", lastVisitorMessageAt: at, ...over }) as FollowUpThread;
  const write = (before?: FollowUpThread, after?: FollowUpThread) =>
    threadReactions({ threadId: "web_t", before, after, eventId: "e1", at });

  it("the visitor wrote (no follow-up yet): review the follow-up", () => {
    assert.ok(kinds(write(undefined, thread())).includes("reviewFollowUp"));
  });

  it("a snooze: its wake-up at the snooze's end", () => {
    const until = minutes(120);
    const reactions = write(thread(), thread({ status: "snoozed", snoozedUntil: until }));
    assert.deepEqual(
      reactions.find((r) => r.kind === "scheduleWake"),
      { kind: "scheduleWake", until },
    );
  });

  it("an agent's change on a Business Messages thread is told to Google; on a web thread it is not", () => {
    const bm = { conversationId: "c1" } as FollowUpThread["bm"];
    assert.ok(kinds(write(thread({ bm }), thread({ bm, unreadForAgents: 0 }))).includes("tellBm"));
    assert.ok(!kinds(write(thread(), thread({ unreadForAgents: 0 }))).includes("tellBm"));
  });

  it("a deleted thread causes nothing", () => {
    assert.deepEqual(write(thread(), undefined), []);
  });
});

describe("what the agent typing signal causes", () => {
  const write = (before?: { until: Date }, after?: { until: Date }) =>
    typingReactions({ threadId: "bm_t", before, after, eventId: "e1", at });

  it("starting and stopping are told; a refresh while typing is not", () => {
    assert.deepEqual(kinds(write(undefined, { until: minutes(1) })), ["tellBmTyping"]);
    assert.deepEqual(kinds(write({ until: minutes(1) }, { until: minutes(2) })), []);
    assert.deepEqual(write({ until: minutes(1) }, { until: minutes(-1) }), [
      { kind: "tellBmTyping", wasTyping: true, isTyping: false, name: undefined },
    ]);
  });
});
