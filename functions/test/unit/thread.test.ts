import { strict as assert } from "node:assert";
import { advanceDelivery } from "../../src/domain/delivery";
import { messageIdFor } from "../../src/domain/ids";
import { chooseReplyChannel } from "../../src/domain/reply";
import { applyAgentMessage, applyVisitorMessage, newThread, preview } from "../../src/domain/thread";
import { DAY_MS } from "../../src/domain/time";

const t0 = new Date("2026-11-01T10:00:00Z");
const base = () =>
  newThread({ id: "t1", origin: "web", visitor: { displayName: "V", locale: "en" }, visitorUids: ["u1"], now: t0 });

describe("thread model", () => {
  it("a visitor message opens the thread, counts unread and rolls the windows", () => {
    const t = applyVisitorMessage(base(), { text: "hi", anchor: t0, receivedAt: t0 });
    assert.equal(t.status, "open");
    assert.equal(t.unreadForAgents, 1);
    assert.equal(t.windows.web?.getTime(), t0.getTime() + 30 * DAY_MS);
    const later = new Date(t0.getTime() + DAY_MS);
    const t2 = applyVisitorMessage(t, { text: "again", anchor: later, receivedAt: later });
    assert.equal(t2.windows.web?.getTime(), later.getTime() + 30 * DAY_MS);
    assert.equal(t2.unreadForAgents, 2);
  });

  it("a late retry of an older message never moves the window or preview backwards", () => {
    const later = new Date(t0.getTime() + DAY_MS);
    const t = applyVisitorMessage(base(), { text: "new", anchor: later, receivedAt: later });
    const t2 = applyVisitorMessage(t, { text: "old", anchor: t0, receivedAt: later });
    assert.equal(t2.lastVisitorMessageAt?.getTime(), later.getTime());
    assert.equal(t2.lastMessage?.text, "new");
  });

  it("an agent reply clears unread and waits on the visitor; a resolved thread stays resolved", () => {
    const t = applyVisitorMessage(base(), { text: "hi", anchor: t0, receivedAt: t0 });
    const r = applyAgentMessage(t, { text: "hello", from: "agent", at: t0 });
    assert.equal(r.status, "pending");
    assert.equal(r.unreadForAgents, 0);
    assert.equal(
      applyAgentMessage({ ...t, status: "resolved" }, { text: "x", from: "bot", at: t0 }).status,
      "resolved",
    );
  });

  it("chooses the first open channel, else says why none is", () => {
    const t = applyVisitorMessage(base(), { text: "hi", anchor: t0, receivedAt: t0 });
    const open = chooseReplyChannel(t, { now: t0 });
    assert.equal(open.allowed && open.channel, "web");
    const closed = chooseReplyChannel(t, { now: new Date(t0.getTime() + 31 * DAY_MS) });
    assert.equal(closed.allowed, false);
    assert.match(!closed.allowed ? closed.reason : "", /reopens when the visitor writes/);
  });

  it("previews are flattened and truncated", () => {
    assert.equal(preview("a\n\n b"), "a b");
    assert.equal(preview("x".repeat(500)).length, 140);
  });

  it("delivery states only move forward and failed is terminal", () => {
    assert.equal(advanceDelivery("pending", "sent"), "sent");
    assert.equal(advanceDelivery("read", "delivered"), "read");
    assert.equal(advanceDelivery("delivered", "failed"), "delivered");
    assert.equal(advanceDelivery("pending", "failed"), "failed");
    assert.equal(advanceDelivery("failed", "read"), "failed");
  });

  it("message ids are deterministic per source and key", () => {
    assert.equal(messageIdFor("bm", "r1"), messageIdFor("bm", "r1"));
    assert.notEqual(messageIdFor("bm", "r1"), messageIdFor("web", "r1"));
    assert.match(messageIdFor("bm", "r1"), /^bm_[0-9a-f]{32}$/);
  });
});
