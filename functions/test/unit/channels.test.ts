import { strict as assert } from "node:assert";
import { channelPolicies, checkSend, windowAnchor, windowClosesAt } from "../../src/domain/channels";
import { DAY_MS, HOUR_MS } from "../../src/domain/time";

const at = (iso: string) => new Date(iso);

describe("channel policies and windows", () => {
  const last = at("2026-11-01T10:00:00.000Z");

  it("Business Messages: 30 days after the visitor's last message, closed at the exact boundary", () => {
    const closesAt = new Date(last.getTime() + 30 * DAY_MS);
    const justBefore = checkSend({ channel: "bm", sender: "human", lastVisitorMessageAt: last, now: new Date(closesAt.getTime() - 1) });
    assert.equal(justBefore.allowed, true);
    assert.deepEqual(justBefore.allowed && justBefore.closesAt, closesAt);
    const atBoundary = checkSend({ channel: "bm", sender: "human", lastVisitorMessageAt: last, now: closesAt });
    assert.equal(atBoundary.allowed, false);
    assert.equal(!atBoundary.allowed && atBoundary.code, "window_closed");
    assert.match(!atBoundary.allowed ? atBoundary.reason : "", /Business Messages window closed/);
  });

  it("Messenger: 24 hours for bots, 7 days with the HUMAN_AGENT tag for humans only", () => {
    const day2 = new Date(last.getTime() + 2 * DAY_MS);
    const bot = checkSend({ channel: "messenger", sender: "bot", lastVisitorMessageAt: last, now: day2 });
    assert.equal(bot.allowed, false);
    const human = checkSend({ channel: "messenger", sender: "human", lastVisitorMessageAt: last, now: day2 });
    assert.equal(human.allowed, true);
    assert.equal(human.allowed && human.tag, "HUMAN_AGENT");
    const inWindow = checkSend({ channel: "messenger", sender: "human", lastVisitorMessageAt: last, now: new Date(last.getTime() + 23 * HOUR_MS) });
    assert.equal(inWindow.allowed && inWindow.tag, undefined);
    const day7 = checkSend({ channel: "messenger", sender: "human", lastVisitorMessageAt: last, now: new Date(last.getTime() + 7 * DAY_MS) });
    assert.equal(day7.allowed, false);
  });

  it("web push and email follow the business setting", () => {
    const policies = channelPolicies({ reachWindowDays: 3 });
    const now = new Date(last.getTime() + 4 * DAY_MS);
    assert.equal(checkSend({ channel: "email", sender: "bot", lastVisitorMessageAt: last, now, policies }).allowed, false);
    assert.equal(checkSend({ channel: "push", sender: "bot", lastVisitorMessageAt: last, now }).allowed, true);
  });

  it("refuses with a reason when the visitor never wrote", () => {
    const d = checkSend({ channel: "bm", sender: "human", lastVisitorMessageAt: undefined, now: last });
    assert.equal(d.allowed, false);
    assert.equal(!d.allowed && d.code, "no_visitor_message");
  });

  it("counts absolute time, so a DST change inside the window changes nothing", () => {
    // 2026-03-08 is the US spring-forward night; Europe changes on 2026-03-29.
    const beforeDst = at("2026-03-01T12:00:00-05:00");
    const closes = windowClosesAt("bm", beforeDst);
    assert.equal(closes.getTime() - beforeDst.getTime(), 30 * DAY_MS);
    assert.equal(closes.toISOString(), "2026-03-31T17:00:00.000Z");
  });

  it("anchors on the earlier of sendTime and arrival (clock skew never stretches the window)", () => {
    const received = at("2026-11-01T10:00:00Z");
    assert.deepEqual(windowAnchor(at("2026-11-01T10:05:00Z"), received), received);
    assert.deepEqual(windowAnchor(at("2026-11-01T09:00:00Z"), received), at("2026-11-01T09:00:00Z"));
    assert.deepEqual(windowAnchor(undefined, received), received);
    assert.deepEqual(windowAnchor(new Date("garbage"), received), received);
  });
});
