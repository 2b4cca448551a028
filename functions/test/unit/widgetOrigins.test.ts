import { strict as assert } from "node:assert";
import { judgeOrigin } from "../../src/domain/origins";
import { newThread } from "../../src/domain/thread";
import { applyVisitorMessage } from "../../src/domain/thread";
import { EMAIL_CONSENT_VERSION, withVisitorEmail } from "../../src/domain/visitorContact";

const policy = { allowedOrigins: ["https://shop.example", "http://localhost:5000/"], ownHosts: ["acme.web.app"] };

describe("widget API origins", () => {
  it("same-origin (the chat app in its iframe) and listed sites pass; others are refused", () => {
    assert.equal(judgeOrigin("https://acme.web.app", policy), "same-origin");
    assert.equal(judgeOrigin("https://shop.example", policy), "allowed");
    assert.equal(judgeOrigin("http://localhost:5000", policy), "allowed");
    assert.equal(judgeOrigin("https://evil.example", policy), "refused");
    assert.equal(judgeOrigin("http://shop.example", policy), "refused"); // scheme matters
    assert.equal(judgeOrigin("null", policy), "refused"); // sandboxed or file: pages
  });

  it("no Origin header (not a browser, or a same-origin GET) is left to auth and rate limits", () => {
    assert.equal(judgeOrigin(undefined, policy), "none");
  });
});

describe("visitor email capture", () => {
  it("stores the email with the consent version and opens the email window", () => {
    const at = new Date("2026-11-26T10:00:00Z");
    const thread = applyVisitorMessage(
      newThread({ id: "t", origin: "web", visitor: { displayName: "V", locale: "en" }, visitorUids: ["u"], now: at }),
      { text: "hi", anchor: at, receivedAt: at },
    );
    assert.equal(thread.windows.email, undefined);
    const next = withVisitorEmail(thread, { email: "v@example.com", locale: "vi", at });
    assert.equal(next.visitor.email, "v@example.com");
    assert.equal(next.reach.email, true);
    assert.deepEqual(next.consent.email, { version: EMAIL_CONSENT_VERSION, at, locale: "vi" });
    assert.ok(next.windows.email && next.windows.email.getTime() > at.getTime());
  });
});
