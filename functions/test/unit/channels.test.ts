import { strict as assert } from "node:assert";
import { channelPolicies, checkSend, windowAnchor, windowClosesAt } from "../../src/domain/channels";
import { DAY_MS } from "../../src/domain/time";

const at = (iso: string) => new Date(iso);

describe("channel policies and windows", () => {
  const last = at("2026-11-01T10:00:00.000Z");

  it("Business Messages: 30 days after the visitor's last message, closed at the exact boundary", () => {
    const closesAt = new Date(last.getTime() + 30 * DAY_MS);
    const justBefore = checkSend({
      channel: "bm",
      lastVisitorMessageAt: last,
      now: new Date(closesAt.getTime() - 1),
    });
    assert.equal(justBefore.allowed, true);
    assert.deepEqual(justBefore.allowed && justBefore.closesAt, closesAt);
    const atBoundary = checkSend({ channel: "bm", lastVisitorMessageAt: last, now: closesAt });
    assert.equal(atBoundary.allowed, false);
    assert.equal(!atBoundary.allowed && atBoundary.code, "window_closed");
    assert.match(!atBoundary.allowed ? atBoundary.reason : "", /^Business Messages window closed/);
    const web = checkSend({
      channel: "web",
      lastVisitorMessageAt: last,
      now: new Date(last.getTime() + 31 * DAY_MS),
    });
    assert.match(!web.allowed ? web.reason : "", /^The chat widget window closed on /);
  });

  it("web push and email follow the business setting", () => {
    const policies = channelPolicies({ reachWindowDays: 3 });
    const now = new Date(last.getTime() + 4 * DAY_MS);
    assert.equal(checkSend({ channel: "email", lastVisitorMessageAt: last, now, policies }).allowed, false);
    assert.equal(checkSend({ channel: "push", lastVisitorMessageAt: last, now }).allowed, true);
  });

  it("refuses with a reason when the visitor never wrote", () => {
    const d = checkSend({ channel: "bm", lastVisitorMessageAt: undefined, now: last });
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

  it("is the same instant whatever time zone the message time is written in", () => {
    const instants = [
      "2026-11-01T17:00:00+07:00",
      "2026-11-01T10:00:00Z",
      "2026-11-01T05:00:00-05:00",
      "2026-11-01T15:45:00+05:45",
    ].map(at);
    const closes = instants.map((i) => windowClosesAt("bm", i).toISOString());
    assert.deepEqual(new Set(closes), new Set(["2026-12-01T10:00:00.000Z"]));
  });

  it("across the European autumn DST change the window is 720 real hours (the local wall clock shifts by one hour)", () => {
    // 2026-10-25 03:00 CEST → 02:00 CET. A message at 12:00 CEST closes at 11:00 CET, 30 × 24 h later.
    const sent = at("2026-10-20T12:00:00+02:00");
    const closesAt = windowClosesAt("bm", sent);
    assert.equal(closesAt.toISOString(), "2026-11-19T10:00:00.000Z");
    assert.equal(closesAt.getTime(), at("2026-11-19T11:00:00+01:00").getTime());
    const oneMsBefore = checkSend({
      channel: "bm",
      lastVisitorMessageAt: sent,
      now: new Date(closesAt.getTime() - 1),
    });
    assert.equal(oneMsBefore.allowed, true);
    // Counting "30 calendar days at 12:00 local" would wrongly allow one more hour.
    const wallClockNoon = checkSend({
      channel: "bm",
      lastVisitorMessageAt: sent,
      now: at("2026-11-19T11:30:00+01:00"),
    });
    assert.equal(wallClockNoon.allowed, false);
  });

  it("clock skew: a sender clock ahead never stretches the window; a message delivered late keeps its send time", () => {
    const received = at("2026-11-01T10:00:00Z");
    const ahead = windowAnchor(at("2026-11-01T10:07:00Z"), received);
    assert.equal(windowClosesAt("bm", ahead).toISOString(), "2026-12-01T10:00:00.000Z");
    // Delivered two days after the user sent it: the 30 days run from sendTime.
    const late = windowAnchor(at("2026-10-30T10:00:00Z"), received);
    assert.equal(windowClosesAt("bm", late).toISOString(), "2026-11-29T10:00:00.000Z");
    const d = checkSend({ channel: "bm", lastVisitorMessageAt: late, now: at("2026-11-29T10:00:00Z") });
    assert.equal(d.allowed, false);
  });

  it("our own clock running behind the anchor (now before the visitor's message) still allows sending", () => {
    const d = checkSend({
      channel: "bm",
      lastVisitorMessageAt: last,
      now: new Date(last.getTime() - 30_000),
    });
    assert.equal(d.allowed, true);
  });
});
