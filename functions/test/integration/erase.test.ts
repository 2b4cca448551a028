// Erase and export (issue 14, docs/privacy.md): a thread with everything a thread can carry is
// erased through the widget API and the admin callables, then the database is searched for what
// is left of it. The tasks that outlive an erase are run and must not bring anything back.
import { strict as assert } from "node:assert";
import { continuityTask } from "../../src/endpoints/continuityTask";
import { sendFollowUp } from "../../src/endpoints/sendFollowUp";
import { wakeSnoozed } from "../../src/endpoints/wakeSnoozed";
import { eraseThread } from "../../src/lifecycle/erase";
import { ops } from "../../src/store/ops";
import {
  adminDb,
  anonymousVisitor,
  callable,
  consoleUser,
  HOSTING,
  uniqueId,
  widgetSend,
  type SignedIn,
} from "../support/emulators";
import { agentReplies, browserSubscription, continuityDecision, subscribePush } from "../support/reach";
import { runTask } from "../support/wrapped";
import { waitUntil } from "../support/wait";

const SINK = "http://127.0.0.1:5077";

async function widget(path: string, visitor: SignedIn, body: unknown) {
  const res = await fetch(`${HOSTING}/api/widget${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${visitor.idToken}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const erase = (visitor: SignedIn, threadId: string) => widget("/erase", visitor, { threadId });

let admin: (SignedIn & { email: string }) | undefined;
let agent: (SignedIn & { email: string }) | undefined;

/**
 * A thread with every kind of data it can have: visitor and agent messages, an email given with
 * consent, a push subscription, an internal note, an agent's follow-up (its agents-only details),
 * continuity state, both typing signals, a snooze, and a subcollection nobody has written code for
 * yet, two levels deep (the erase must not need to know its name).
 */
async function fullThread(email = `${uniqueId("v")}@example.com`) {
  admin ??= await consoleUser("admin");
  agent ??= await consoleUser("agent");
  const visitor = await anonymousVisitor();
  const sent = await widgetSend(visitor, "My number is 0901 234 567, call me about the cake");
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const threadId = sent.body.threadId!;
  const saved = await widget("/email", visitor, { threadId, email, consent: true, locale: "en" });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal((await subscribePush(visitor, threadId, browserSubscription("push").subscription)).status, 201);
  const note = await callable(
    "addNote",
    { threadId, text: "Lives at 12 Hang Bac", clientNoteId: uniqueId("note") },
    agent.idToken,
  );
  assert.equal(note.status, 200, JSON.stringify(note.error));
  const replyId = await agentReplies(threadId, "We will call you tomorrow");
  await continuityDecision(threadId, replyId); // reach/state written; its task has finished
  const plan = await callable("scheduleFollowUp", { threadId, afterDays: 2, text: "Still want it?" }, agent.idToken);
  assert.equal(plan.status, 200, JSON.stringify(plan.error));
  const db = adminDb();
  await db.doc(`threads/${threadId}/typing/agent`).set({ until: new Date(Date.now() + 5000), name: "Lan" });
  await db.doc(`threads/${threadId}/signals/typing`).set({ visitorTyping: true, channel: "bm", at: new Date() });
  await db.doc(`threads/${threadId}/futureFeature/a/deeper/b`).set({ visitorUid: visitor.uid, email });
  const snoozedUntil = new Date(Date.now() + 3 * 86_400_000);
  await db.doc(`threads/${threadId}`).update({ status: "snoozed", snoozedUntil });
  const collections = (await db.doc(`threads/${threadId}`).listCollections()).map((c) => c.id).sort();
  return { visitor, threadId, email, replyId, snoozedUntil, collections };
}

/** Every document that still carries the visitor's uid or email, wherever it is. */
async function tracesOf(uid: string, email: string, subcollections: string[]): Promise<string[]> {
  const db = adminDb();
  const found: string[] = [];
  const carries = (data: unknown) => {
    const json = JSON.stringify(data);
    return json.includes(uid) || json.toLowerCase().includes(email.toLowerCase());
  };
  for (const root of await db.listCollections()) {
    if (root.id === "threads") {
      const byUid = await root.where("visitorUids", "array-contains", uid).get();
      const byEmail = await root.where("visitor.email", "==", email).get();
      found.push(...[...byUid.docs, ...byEmail.docs].map((d) => d.ref.path));
      continue;
    }
    for (const d of (await root.get()).docs) if (carries(d.data())) found.push(d.ref.path);
  }
  // Under any thread, in every kind of subcollection the erased thread had (and their children).
  for (const name of [...subcollections, "deeper"]) {
    for (const d of (await db.collectionGroup(name).get()).docs) if (carries(d.data())) found.push(d.ref.path);
  }
  return found;
}

async function listedUnder(threadId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of await adminDb().doc(`threads/${threadId}`).listCollections()) out[c.id] = (await c.get()).size;
  return out;
}

/** Every stored document under a document, at any depth (a collection's missing parents hold none). */
async function documentsUnder(ref: FirebaseFirestore.DocumentReference): Promise<number> {
  let n = 0;
  for (const c of await ref.listCollections()) {
    for (const d of await c.listDocuments()) n += ((await d.get()).exists ? 1 : 0) + (await documentsUnder(d));
  }
  return n;
}

const erasures = async () => (await adminDb().doc("stats/erasures").get()).data() ?? {};

describe("erase and export (data lifecycle)", function () {
  this.timeout(300_000);

  it("the visitor's Delete conversation leaves nothing: every subcollection empty, no uid or email anywhere", async () => {
    const t = await fullThread();
    for (const name of ["messages", "notes", "followUps", "pushSubscriptions", "reach", "typing", "signals"])
      assert.ok(t.collections.includes(name), `the fixture has ${name} (has ${t.collections.join(", ")})`);
    assert.ok((await tracesOf(t.visitor.uid, t.email, t.collections)).length > 0, "the search finds the live thread");
    const before = await erasures();

    const res = await erase(t.visitor, t.threadId);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { ok: true, erased: true });

    assert.equal((await adminDb().doc(`threads/${t.threadId}`).get()).exists, false);
    const left = await listedUnder(t.threadId);
    assert.ok(
      Object.values(left).every((n) => n === 0),
      `every subcollection is empty: ${JSON.stringify(left)}`,
    );
    assert.deepEqual(await tracesOf(t.visitor.uid, t.email, t.collections), []);
    const after = await erasures();
    assert.equal(Number(after.threads ?? 0) - Number(before.threads ?? 0), 1, "counted once in stats/erasures");
    assert.equal(Number(after.visitor ?? 0) - Number(before.visitor ?? 0), 1);
    for (const key of Object.keys(after))
      assert.ok(
        ["threads", "visitor", "admin", "retention", "lastErasedAt"].includes(key),
        `stats/erasures holds counts only: ${key}`,
      );

    const event = await waitUntil("the thread.erased delivery", async () => {
      const all = (await (await fetch(`${SINK}/deliveries`)).json()) as Array<{ type: string; body: string }>;
      return all.find((d) => d.type === "thread.erased" && JSON.parse(d.body).threadId === t.threadId);
    });
    const body = JSON.parse(event.body) as { data: Record<string, unknown> };
    assert.deepEqual(Object.keys(body.data).sort(), ["by", "documents", "origin"]);
    assert.equal(body.data.by, "visitor");
    for (const secret of [t.visitor.uid, t.email, "0901", "Hang Bac", "Lan"])
      assert.ok(!event.body.includes(secret), `the event carries no ${secret}`);

    // Erasing again (the widget retried, or a second tab): a clear 404, nothing changes.
    const again = await erase(t.visitor, t.threadId);
    assert.equal(again.status, 404);
    assert.match(String(again.body.error), /no such thread/);
    assert.deepEqual(await erasures(), after, "a second erase counts nothing");
  });

  it("tasks still queued for an erased thread find nothing and bring nothing back", async () => {
    const t = await fullThread();
    const followUp = (await adminDb().doc(`threads/${t.threadId}`).get()).get("followUp") as { taskId: string | null };
    assert.equal((await erase(t.visitor, t.threadId)).status, 200);

    await runTask(sendFollowUp, { threadId: t.threadId, taskId: followUp.taskId ?? "fu_gone" });
    const at = t.snoozedUntil.toISOString();
    await runTask(wakeSnoozed, { threadId: t.threadId, until: at, at });
    await runTask(continuityTask, { threadId: t.threadId, messageId: t.replyId, replyAt: new Date().toISOString() });

    assert.equal((await adminDb().doc(`threads/${t.threadId}`).get()).exists, false);
    assert.deepEqual(await listedUnder(t.threadId), {}, "no task wrote under the erased thread");
  });

  it("another visitor cannot erase a thread; bad input is refused with a reason", async () => {
    const t = await fullThread();
    const kept = await listedUnder(t.threadId);
    const stranger = await anonymousVisitor();
    await widgetSend(stranger, "I have a thread of my own"); // a real visitor, with a thread, but not this one
    const refused = await erase(stranger, t.threadId);
    assert.equal(refused.status, 404);
    assert.match(String(refused.body.error), /no such thread for this visitor/);
    assert.equal((await adminDb().doc(`threads/${t.threadId}`).get()).exists, true);
    assert.deepEqual(await listedUnder(t.threadId), kept, "nothing under the thread was touched");

    const malformed = await widget("/erase", t.visitor, { threadId: "../threads/x" });
    assert.equal(malformed.status, 400);
    assert.match(String(malformed.body.error), /threadId/);
    const anonymous = await fetch(`${HOSTING}/api/widget/erase`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ threadId: t.threadId }),
    });
    assert.equal(anonymous.status, 401);
  });

  it("admins export a thread as JSON and erase it; agents and visitors cannot do either", async () => {
    const t = await fullThread();
    const visitorCall = await callable("exportThread", { threadId: t.threadId }, t.visitor.idToken);
    assert.equal(visitorCall.error?.status, "PERMISSION_DENIED");
    for (const name of ["exportThread", "eraseThread"]) {
      const r = await callable(name, { threadId: t.threadId }, agent!.idToken);
      assert.equal(r.error?.status, "PERMISSION_DENIED", `${name} by an agent`);
      assert.match(r.error!.message, /Only admins/);
    }
    const byAgent = await callable("eraseVisitorData", { email: t.email }, agent!.idToken);
    assert.equal(byAgent.error?.status, "PERMISSION_DENIED");
    assert.equal((await adminDb().doc(`threads/${t.threadId}`).get()).exists, true, "nothing was erased");

    const exported = await callable<{
      threadId: string;
      thread: Record<string, unknown>;
      messages: Array<Record<string, unknown>>;
      notes: Array<Record<string, unknown>>;
      followUps: Array<Record<string, unknown>>;
    }>("exportThread", { threadId: t.threadId }, admin!.idToken);
    assert.equal(exported.status, 200, JSON.stringify(exported.error));
    const x = exported.result!;
    assert.equal(x.threadId, t.threadId);
    assert.equal((x.thread.visitor as { email: string }).email, t.email);
    assert.deepEqual(
      x.messages.map((m) => m.text),
      ["My number is 0901 234 567, call me about the cake", "We will call you tomorrow"],
    );
    assert.match(String(x.messages[0]!.createdAt), /^\d{4}-\d\d-\d\dT/, "times are ISO strings");
    assert.deepEqual(
      x.notes.map((n) => n.text),
      ["Lives at 12 Hang Bac"],
    );
    assert.deepEqual(
      x.followUps.map((f) => f.text),
      ["Still want it?"],
    );

    const erased = await callable("eraseThread", { threadId: t.threadId }, admin!.idToken);
    assert.equal(erased.status, 200, JSON.stringify(erased.error));
    assert.equal((erased.result as { status: string }).status, "erased");
    assert.ok((erased.result as { deleted: number }).deleted >= 10);
    assert.deepEqual(await tracesOf(t.visitor.uid, t.email, t.collections), []);

    const twice = await callable("eraseThread", { threadId: t.threadId }, admin!.idToken);
    assert.deepEqual(twice.result, { threadId: t.threadId, status: "not_found", deleted: 0 });
    const gone = await callable("exportThread", { threadId: t.threadId }, admin!.idToken);
    assert.equal(gone.error?.status, "NOT_FOUND");
    const never = await callable("eraseThread", { threadId: "web_never_existed" }, admin!.idToken);
    assert.deepEqual(never.result, { threadId: "web_never_existed", status: "not_found", deleted: 0 });
    const bad = await callable("eraseThread", { threadId: "a/b" }, admin!.idToken);
    assert.equal(bad.error?.status, "INVALID_ARGUMENT");
  });

  it("an erasure request by email erases every thread carrying the address, and only those", async () => {
    const typed = `${uniqueId("Person")}@Example.com`;
    const first = await fullThread(typed);
    const second = await fullThread(typed.toLowerCase());
    const other = await fullThread();
    const r = await callable<{ erased: Array<{ threadId: string; status: string }> }>(
      "eraseVisitorData",
      { email: typed },
      admin!.idToken,
    );
    assert.equal(r.status, 200, JSON.stringify(r.error));
    assert.deepEqual(
      r.result!.erased.map((e) => `${e.threadId}:${e.status}`).sort(),
      [`${first.threadId}:erased`, `${second.threadId}:erased`].sort(),
      "as typed and lower-cased",
    );
    for (const t of [first, second]) assert.deepEqual(await tracesOf(t.visitor.uid, t.email, t.collections), []);
    assert.equal(
      (await adminDb().doc(`threads/${other.threadId}`).get()).exists,
      true,
      "another visitor's thread stays",
    );
    const none = await callable<{ erased: unknown[] }>("eraseVisitorData", { email: typed }, admin!.idToken);
    assert.deepEqual(none.result, { erased: [] });
  });

  it("costs: reads and writes of an erase, counted in this process", async () => {
    const t = await fullThread();
    const docs = await documentsUnder(adminDb().doc(`threads/${t.threadId}`));
    ops.reset();
    const result = await eraseThread(t.threadId, { by: "admin", now: new Date() });
    const cost = ops.snapshot();
    assert.equal(result.deleted, docs + 1);
    // 1 thread read + 1 listing + the names query (1 read per document) + 1 listing after; a write per document.
    assert.deepEqual(cost, { reads: 3 + docs, writes: docs + 2 }, `erase of ${docs + 1} documents`);
    console.log(`      erase of a thread with ${docs} documents under it: ${cost.reads} reads, ${cost.writes} writes`);
    ops.reset();
    await eraseThread(t.threadId, { by: "admin", now: new Date() });
    assert.deepEqual(ops.snapshot(), { reads: 2, writes: 0 }, "erasing a missing thread: 2 reads, no write");
  });
});
