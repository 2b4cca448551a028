import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { collection, doc, getDoc, getDocs } from "firebase/firestore";
import {
  adminDb,
  anonymousVisitor,
  callable,
  consoleUser,
  PROJECT_ID,
  uniqueId,
  widgetSend,
} from "../support/emulators";

describe("walking skeleton: widget message in, agent reply out", function () {
  let rules: RulesTestEnvironment;

  before(async () => {
    rules = await initializeTestEnvironment({
      projectId: PROJECT_ID,
      firestore: { rules: readFileSync(`${__dirname}/../../../firestore.rules`, "utf8") },
    });
  });
  after(() => rules?.cleanup());

  it("stores a visitor message through the function, readable by an agent but not another visitor; the reply joins the thread", async () => {
    const visitorA = await anonymousVisitor();
    const visitorB = await anonymousVisitor();
    const agent = await consoleUser("agent");

    const sent = await widgetSend(visitorA, "Do you deliver on Sundays?");
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const threadId = sent.body.threadId!;

    const thread = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    assert.equal(thread.origin, "web");
    assert.equal(thread.status, "open");
    assert.deepEqual(thread.visitorUids, [visitorA.uid]);
    assert.equal(thread.lastMessage.text, "Do you deliver on Sundays?");
    assert.equal(thread.unreadForAgents, 1);

    const asAgent = rules.authenticatedContext(agent.uid, { role: "agent" }).firestore();
    const agentView = await assertSucceeds(getDocs(collection(asAgent, `threads/${threadId}/messages`)));
    assert.deepEqual(
      agentView.docs.map((d) => d.get("text")),
      ["Do you deliver on Sundays?"],
    );

    const asB = rules.authenticatedContext(visitorB.uid).firestore();
    await assertFails(getDoc(doc(asB, `threads/${threadId}`)));
    await assertFails(getDocs(collection(asB, `threads/${threadId}/messages`)));

    const reply = await callable<{ messageId: string; channel: string }>(
      "agentReply",
      { threadId, text: "Yes, 8 to 12!", clientMessageId: uniqueId("reply") },
      agent.idToken,
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.error));
    assert.equal(reply.result?.channel, "web");

    const asA = rules.authenticatedContext(visitorA.uid).firestore();
    const visitorView = await assertSucceeds(getDocs(collection(asA, `threads/${threadId}/messages`)));
    const byAuthor = visitorView.docs.map((d) => [d.get("from"), d.get("text")]).sort();
    assert.deepEqual(byAuthor, [
      ["agent", "Yes, 8 to 12!"],
      ["visitor", "Do you deliver on Sundays?"],
    ]);
    const after = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    assert.equal(after.status, "pending");
    assert.equal(after.unreadForAgents, 0);
    assert.equal(after.messageCount, 2);
  });

  it("a retried widget send is stored once", async () => {
    const visitor = await anonymousVisitor();
    const id = uniqueId("retry");
    const first = await widgetSend(visitor, "once", id);
    const second = await widgetSend(visitor, "once", id);
    assert.equal(first.status, 201);
    assert.equal(second.status, 200);
    assert.equal(second.body.duplicate, true);
    const messages = await adminDb().collection(`threads/${first.body.threadId}/messages`).get();
    assert.equal(messages.size, 1);
  });

  it("refuses replies from users without an agent role, and bad input, with readable reasons", async () => {
    const visitor = await anonymousVisitor();
    const sent = await widgetSend(visitor, "hello");
    const nobody = await consoleUser(null);
    const denied = await callable(
      "agentReply",
      { threadId: sent.body.threadId, text: "hi", clientMessageId: uniqueId("x") },
      nobody.idToken,
    );
    assert.equal(denied.error?.status, "PERMISSION_DENIED");
    const agent = await consoleUser("agent");
    const empty = await callable(
      "agentReply",
      { threadId: sent.body.threadId, text: "   ", clientMessageId: uniqueId("x") },
      agent.idToken,
    );
    assert.equal(empty.error?.status, "INVALID_ARGUMENT");
    assert.match(empty.error?.message ?? "", /empty/);
    const missing = await callable(
      "agentReply",
      { threadId: "nope", text: "hi", clientMessageId: uniqueId("x") },
      agent.idToken,
    );
    assert.equal(missing.error?.status, "NOT_FOUND");
  });

  it("refuses a reply once every window has closed, saying why", async () => {
    const visitor = await anonymousVisitor();
    const sent = await widgetSend(visitor, "old message");
    const threadId = sent.body.threadId!;
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    await adminDb().doc(`threads/${threadId}`).update({ lastVisitorMessageAt: longAgo });
    const agent = await consoleUser("agent");
    const refused = await callable(
      "agentReply",
      { threadId, text: "too late?", clientMessageId: uniqueId("x") },
      agent.idToken,
    );
    assert.equal(refused.error?.status, "FAILED_PRECONDITION");
    assert.match(refused.error?.message ?? "", /window closed .* reopens when the visitor writes again/);
    const messages = await adminDb().collection(`threads/${threadId}/messages`).get();
    assert.equal(messages.size, 1);
  });

  it("rejects unauthenticated, malformed and oversized widget requests", async () => {
    const noAuth = await fetch("http://127.0.0.1:5000/api/widget/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "x", clientMessageId: "abcdefgh" }),
    });
    assert.equal(noAuth.status, 401);
    const visitor = await anonymousVisitor();
    const bad = await widgetSend(visitor, "");
    assert.equal(bad.status, 400);
    assert.match(bad.body.error ?? "", /empty/);
    const big = await widgetSend(visitor, "x".repeat(40_000));
    assert.equal(big.status, 413);
  });
});
