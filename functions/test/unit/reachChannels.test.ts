import { strict as assert } from "node:assert";
import { emailText, escapeHtml, headerText, renderContinuityEmail } from "../../src/channels/email/template";
import { subscriptionId } from "../../src/channels/push/subscription";
import { PushSubscription as PushSubscriptionSchema } from "../../src/contract/reach";

const XSS = "<img src=x onerror=alert(1)>";

describe("continuity email template", () => {
  const input = {
    businessName: "Sunrise <Bakery> & Co",
    visitorName: "Linh",
    replies: [
      { authorName: "Ada", text: XSS, createdAt: new Date("2026-11-20T10:00:00Z") },
      { text: "Line one\nline \"two\" & 'three'", createdAt: new Date("2026-11-20T10:01:00Z") },
    ],
    resumeUrl: "https://shop.example/t/resume.web_1.abc.nonce.sig",
    unsubscribeUrl: "https://shop.example/api/email/unsubscribe?token=unsubscribe.web_1.x&y=1",
  };

  it("puts replies in the HTML only as escaped text", () => {
    const email = renderContinuityEmail(input);
    assert.ok(!email.html.includes("<img"), "no tag from a reply survives");
    assert.ok(email.html.includes("&lt;img src=x onerror=alert(1)&gt;"));
    assert.ok(email.html.includes("line &quot;two&quot; &amp; &#39;three&#39;"));
    assert.ok(email.html.includes("Sunrise &lt;Bakery&gt; &amp; Co"));
    assert.ok(!/<script/i.test(email.html));
  });

  it("has a plain-text part with the replies verbatim, the resume link and the unsubscribe link", () => {
    const email = renderContinuityEmail(input);
    assert.ok(email.text.includes(XSS));
    assert.ok(email.text.includes(`Continue the conversation: ${input.resumeUrl}`));
    assert.ok(email.text.includes(`Stop these emails: ${input.unsubscribeUrl}`));
    assert.ok(
      email.html.includes('href="https://shop.example/api/email/unsubscribe?token=unsubscribe.web_1.x&amp;y=1"'),
    );
    assert.equal(email.headers["List-Unsubscribe"], `<${input.unsubscribeUrl}>`);
    assert.equal(email.headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
  });

  it("names the business and the count in a one-line subject", () => {
    assert.equal(renderContinuityEmail(input).subject, "Sunrise <Bakery> & Co sent you 2 replies");
    assert.equal(
      renderContinuityEmail({ ...input, replies: [input.replies[0]!] }).subject,
      "Sunrise <Bakery> & Co replied to your message",
    );
    assert.equal(headerText("a\r\nBcc: evil@example.com"), "a Bcc: evil@example.com");
    assert.equal(headerText("Minh\u001b[31m red\u0007"), "Minh[31m red", "no control characters in headers");
    assert.equal(
      emailText("a\r\nb\rc\td\u001b[0m\u0000\u0085e"),
      "a\nb\nc\td[0me",
      "email text keeps tab and line feed only",
    );
    assert.equal(escapeHtml(`&<>"'`), "&amp;&lt;&gt;&quot;&#39;");
  });
});

describe("push subscriptions", () => {
  const p256dh = Buffer.alloc(65, 4).toString("base64url");
  const auth = Buffer.alloc(16, 1).toString("base64url");

  it("accepts a browser's subscription JSON and refuses broken keys", () => {
    assert.equal(
      PushSubscriptionSchema.safeParse({
        endpoint: "https://fcm.googleapis.com/fcm/send/abc",
        expirationTime: null,
        keys: { p256dh, auth },
      }).success,
      true,
    );
    assert.equal(
      PushSubscriptionSchema.safeParse({ endpoint: "https://x.example/1", keys: { p256dh: "short", auth } }).success,
      false,
    );
    assert.equal(PushSubscriptionSchema.safeParse({ endpoint: "not a url", keys: { p256dh, auth } }).success, false);
  });

  it("one id per endpoint", () => {
    assert.equal(subscriptionId("https://a.example/1"), subscriptionId("https://a.example/1"));
    assert.notEqual(subscriptionId("https://a.example/1"), subscriptionId("https://a.example/2"));
  });
});
