import { strict as assert } from "node:assert";
import { signLink } from "../../src/domain/resumeLinks";
import { localSecret } from "../support/reach";
import { adminDb, anonymousVisitor, HOSTING, uniqueId, widgetSend } from "../support/emulators";

/** The widget on a second device: it may write into a thread only once a resume link attached it. */
async function sendTo(visitor: { idToken: string }, threadId: string, text: string) {
  const res = await fetch(`${HOSTING}/api/widget/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${visitor.idToken}` },
    body: JSON.stringify({ text, clientMessageId: uniqueId("c"), threadId }),
  });
  return { status: res.status, body: (await res.json()) as { threadId?: string; error?: string } };
}

describe("widget on a resumed device", () => {
  it("refuses another visitor's thread until a resume link attaches this device, then writes into it", async () => {
    const first = await anonymousVisitor();
    const started = await widgetSend(first, "Hi from my laptop");
    const threadId = started.body.threadId!;
    const phone = await anonymousVisitor();

    const refused = await sendTo(phone, threadId, "sneaking in");
    assert.equal(refused.status, 403);
    assert.match(refused.body.error ?? "", /not open on this device/);

    const token = signLink(localSecret("LINK_SIGNING_SECRET"), { purpose: "resume", threadId }, { now: new Date() });
    const resume = await fetch(`${HOSTING}/api/resume`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${phone.idToken}` },
      body: JSON.stringify({ token }),
    });
    assert.equal(resume.status, 200);

    const joined = await sendTo(phone, threadId, "Hi again, from my phone");
    assert.equal(joined.status, 201, JSON.stringify(joined.body));
    assert.equal(joined.body.threadId, threadId);
    const texts = (await adminDb().collection(`threads/${threadId}/messages`).get()).docs
      .map((d) => d.get("text"))
      .sort();
    assert.deepEqual(texts, ["Hi again, from my phone", "Hi from my laptop"], "the refused message was not stored");
  });

  it("never creates a thread under an id the caller names", async () => {
    const visitor = await anonymousVisitor();
    const made = await sendTo(visitor, uniqueId("web_invented"), "hello");
    assert.equal(made.status, 403);
  });
});
