import { strict as assert } from "node:assert";
import { firstLines, renderAgentAlert } from "../../src/channels/email/agentAlert";
import { ALERT_BATCH_MS, decideAlert, isAway, planAlert } from "../../src/domain/agentAlerts";

const at = new Date("2026-12-02T22:00:00Z");
const minutes = (n: number) => new Date(at.getTime() + n * 60_000);

describe("agent alerts: when an away agent gets an email", () => {
  it("away two minutes after the last heartbeat, or without one", () => {
    assert.equal(isAway(undefined, at), true);
    assert.equal(isAway(minutes(-1), at), false);
    assert.equal(isAway(minutes(-2), at), true);
  });

  it("the first message is emailed now; the next within 15 minutes waits for the batch's end", () => {
    assert.deepEqual(planAlert(undefined, at), { action: "schedule", dueAt: at });
    const sent = { lastSentAt: at, sentThrough: at, scheduledFor: null };
    assert.deepEqual(planAlert(sent, minutes(3)), {
      action: "schedule",
      dueAt: new Date(at.getTime() + ALERT_BATCH_MS),
    });
    assert.deepEqual(planAlert(sent, minutes(20)), { action: "schedule", dueAt: minutes(20) });
  });

  it("a message while an email is pending rides along; a pending email long overdue is planned again", () => {
    assert.deepEqual(planAlert({ lastSentAt: at, scheduledFor: minutes(15) }, minutes(5)), { action: "none" });
    assert.deepEqual(planAlert({ lastSentAt: at, scheduledFor: minutes(15) }, minutes(40)), {
      action: "schedule",
      dueAt: minutes(40),
    });
  });

  it("the task sends only as the scheduled one, on time, to an agent still away, with what they have not seen", () => {
    const state = { sentThrough: minutes(-30), scheduledFor: at };
    const base = { state, dueAt: at, now: at, lastHeartbeat: undefined, optedOut: false };
    assert.deepEqual(decideAlert(base), { action: "send", since: minutes(-30) });
    assert.deepEqual(decideAlert({ ...base, lastHeartbeat: minutes(-10) }), { action: "send", since: minutes(-10) });
    assert.deepEqual(decideAlert({ ...base, dueAt: minutes(-15) }), { action: "skip", reason: "superseded" });
    assert.deepEqual(decideAlert({ ...base, now: minutes(-10) }), { action: "skip", reason: "early" });
    assert.deepEqual(decideAlert({ ...base, lastHeartbeat: minutes(-1) }), { action: "skip", reason: "agent_present" });
    assert.deepEqual(decideAlert({ ...base, optedOut: true }), { action: "skip", reason: "opted_out" });
  });
});

describe("agent alert email", () => {
  const input = {
    businessName: "Sunrise Bakery",
    visitorName: "Curious Otter",
    channel: "bm" as const,
    messages: [{ text: "<script>alert(1)</script>\n\n line two \nthree\nfour", createdAt: at }],
    threadUrl: "https://x.web.app/console/#/t/bm_1",
    consoleUrl: "https://x.web.app/console/",
  };

  it("names the visitor and channel, shows the first lines escaped, and links to the thread", () => {
    const mail = renderAgentAlert(input);
    assert.equal(mail.subject, "New message from Curious Otter");
    assert.match(mail.text, /Curious Otter wrote on Business Messages/);
    assert.ok(mail.text.includes("<script>alert(1)</script>\n line two\nthree\n…"));
    assert.ok(!mail.html.includes("<script>"));
    assert.ok(mail.html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert.ok(mail.html.includes('href="https://x.web.app/console/#/t/bm_1"'));
  });

  it("a header-injecting name stays on one line", () => {
    const mail = renderAgentAlert({ ...input, visitorName: "Eve\r\nBcc: all@example.com" });
    assert.equal(mail.subject, "New message from Eve Bcc: all@example.com");
  });

  it("first lines: long lines are cut", () => {
    assert.equal(firstLines("a".repeat(300)).length, 200);
  });
});
