// The console's window banner, computed with the server's own domain functions.
import { strict as assert } from "node:assert";
import { replyWindow, threadState } from "../src/console/replyWindow";

const DAY = 24 * 3600_000;
const now = new Date("2026-11-25T14:00:00Z");
const iso = (d: Date) => d.toISOString();

describe("console reply window banner", () => {
  it("names the channel, the closing time and the days left", () => {
    const t = threadState("bm_1", {
      origin: "bm",
      bm: { conversationId: "c1", agent: "a" },
      reach: { bm: true, push: false, email: false },
      lastVisitorMessageAt: new Date(now.getTime() - DAY),
    });
    const w = replyWindow(t, 30, now, iso);
    assert.equal(w.open, true);
    assert.equal(w.text, "You can reply via Business Messages until 2026-12-24T14:00:00.000Z — 29 days left");
  });

  it("prefers the live widget when its window is open, and counts hours on the last day", () => {
    const t = threadState("web_1", {
      visitorUids: ["u"],
      lastVisitorMessageAt: new Date(now.getTime() - 30 * DAY + 5 * 3600_000),
    });
    assert.equal(
      replyWindow(t, 30, now, iso).text,
      "You can reply via the chat widget until 2026-11-25T19:00:00.000Z — 5 hours left",
    );
  });

  it("closed: says when and what reopens it; the composer is disabled", () => {
    const t = threadState("web_2", { visitorUids: ["u"], lastVisitorMessageAt: new Date(now.getTime() - 40 * DAY) });
    const w = replyWindow(t, 30, now, iso);
    assert.equal(w.open, false);
    assert.equal(
      w.text,
      "You can't reply: the chat widget window closed on 2026-11-15T14:00:00.000Z. It reopens when the visitor writes again.",
    );
  });

  it("exactly at the boundary the window is closed (same rule as the server)", () => {
    const t = threadState("web_3", { visitorUids: ["u"], lastVisitorMessageAt: new Date(now.getTime() - 30 * DAY) });
    assert.equal(replyWindow(t, 30, now, iso).open, false);
  });

  it("no known channel: explains that nobody can be reached", () => {
    assert.match(replyWindow(threadState("x", {}), 30, now, iso).text, /cannot be reached/);
  });
});
