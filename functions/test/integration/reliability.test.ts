// Business Messages deliveries are at least once, unordered and retried for 7 days: whatever arrives
// twice, shuffled or after a crash must end as exactly one message and consistent thread counters.
//
// Scale is proven where it is cheap: the deployed webhook handler served by one Node process (as
// Cloud Run serves it; tools/webhook-process.mjs) on the real Firestore emulator, under a project id
// of its own so no emulated trigger fires. A small replay through Hosting and the functions emulator
// proves the same holds with the real wiring and every trigger running.
import { strict as assert } from "node:assert";
import { createHmac, randomUUID } from "node:crypto";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { startWebhookProcess, type WebhookProcess } from "../../../tools/webhook-process-client.mjs";
import { bmThreadIdFor } from "../../src/domain/ids";
import { adminDb, requireEmulators } from "../support/emulators";
import { step, waitUntil } from "../support/wait";

const HOSTED_WEBHOOK = "http://127.0.0.1:5000/api/bm/webhook";
const CLIENT_TOKEN = "local-client-token";
const ONE_PROCESS_PROJECT = "demo-afterchat-reliability";

interface Delivery {
  conversationId: string;
  text: string;
  sendTime: Date;
  body: Buffer;
}

function textMessage(conversationId: string, text: string, sendTime: Date): Delivery {
  const requestId = randomUUID();
  const payload = {
    requestId,
    conversationId,
    agent: "brands/reliability/agents/reliability",
    sendTime: sendTime.toISOString(),
    context: { entryPoint: "PLACESHEET", userInfo: { displayName: "Replay User", userDeviceLocale: "en" } },
    message: {
      messageId: requestId,
      name: `conversations/${conversationId}/messages/${requestId}`,
      text,
      createTime: sendTime.toISOString(),
    },
  };
  return { conversationId, text, sendTime, body: Buffer.from(JSON.stringify(payload)) };
}

/** One signed delivery; an error or a dropped connection counts as unacknowledged (0), as for Google. */
async function deliver(url: string, body: Buffer, timeoutMs = 60_000): Promise<number> {
  const signature = createHmac("sha512", CLIENT_TOKEN).update(body).digest("base64");
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-signature": signature },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * Delivers until acknowledged, as Google retries anything but a 200 (with growing pauses, for 7
 * days). Several deliveries for one conversation in flight at once contend for its thread: the
 * emulator settles that by lock timeouts (seconds each), where Firestore lets the oldest win, so a
 * delivery may need a few retries here; what is asserted is the end state, not the latency.
 */
async function deliverUntilAcknowledged(url: string, d: Delivery): Promise<{ retries: number }> {
  let retries = 0;
  await waitUntil(
    `"${d.text}" to be acknowledged`,
    async () => {
      const status = await deliver(url, d.body);
      if (status !== 200) retries++;
      return status === 200;
    },
    { timeoutMs: 180_000, intervalMs: (attempt) => Math.min(10_000, 250 * 2 ** attempt) * (0.5 + Math.random()) },
  );
  return { retries };
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** `count` messages spread over `conversations` conversations, one second apart, plus shuffled duplicates. */
function replayPlan(count: number, conversations: number, duplicateShare: number) {
  const run = randomUUID().slice(0, 8);
  const base = Date.now() - 3_600_000;
  const originals = Array.from({ length: count }, (_, i) =>
    textMessage(`replay-${run}-${i % conversations}`, `message ${i}`, new Date(base + i * 1000)),
  );
  const duplicates = shuffle([...originals]).slice(0, Math.round(count * duplicateShare));
  return { originals, deliveries: shuffle([...originals, ...duplicates]) };
}

async function replay(url: string, deliveries: Delivery[], inFlight: number): Promise<number> {
  let retries = 0;
  await pool(deliveries, inFlight, async (d) => {
    retries += (await deliverUntilAcknowledged(url, d)).retries;
  });
  return retries;
}

/** Each conversation holds exactly its messages, and its counters agree, whatever the arrival order. */
async function assertExactlyOnce(db: Firestore, originals: Delivery[]): Promise<number> {
  const byConversation = new Map<string, Delivery[]>();
  for (const d of originals) byConversation.set(d.conversationId, [...(byConversation.get(d.conversationId) ?? []), d]);
  let stored = 0;
  for (const [conversationId, expected] of byConversation) {
    const { thread, texts } = await threadOf(db, conversationId);
    stored += texts.length;
    assert.deepEqual(texts.sort(), expected.map((e) => e.text).sort(), `${conversationId}: messages`);
    assert.equal(thread.messageCount, expected.length, `${conversationId}: messageCount`);
    assert.equal(thread.unreadForAgents, expected.length, `${conversationId}: unread`);
    const newest = expected.reduce((a, b) => (b.sendTime > a.sendTime ? b : a));
    assert.equal(thread.lastMessage.text, newest.text, `${conversationId}: last message is the newest`);
    assert.equal(thread.lastVisitorMessageAt.toDate().getTime(), newest.sendTime.getTime());
  }
  return stored;
}

async function threadOf(db: Firestore, conversationId: string) {
  const ref = db.doc(`threads/${bmThreadIdFor(conversationId)}`);
  const [thread, messages] = await Promise.all([ref.get(), ref.collection("messages").get()]);
  assert.ok(thread.exists, `a thread for ${conversationId}`);
  return { thread: thread.data()!, texts: messages.docs.map((m) => m.get("text") as string) };
}

function oneProcessDb(): Firestore {
  requireEmulators();
  const app =
    getApps().find((a) => a.name === ONE_PROCESS_PROJECT) ??
    initializeApp({ projectId: ONE_PROCESS_PROJECT }, ONE_PROCESS_PROJECT);
  return getFirestore(app);
}

describe("reliability: Business Messages webhook", function () {
  this.timeout(300_000);

  describe("in one process, as Cloud Run serves it", () => {
    let server: WebhookProcess;
    before(async () => (server = await startWebhookProcess({ projectId: ONE_PROCESS_PROJECT })));
    after(() => server?.kill());

    it("replays 1,000 messages with 30% duplicates, shuffled, 20 in flight: exactly 1,000 stored, counters consistent", async () => {
      const { originals, deliveries } = replayPlan(1000, 250, 0.3);
      assert.equal(deliveries.length, 1300);
      const started = Date.now();
      const retries = await step("the 1,300 deliveries", () => replay(server.url, deliveries, 20));
      const seconds = (Date.now() - started) / 1000;
      console.log(`      (1,300 deliveries in ${seconds.toFixed(1)} s; ${retries} answered non-200 first and retried)`);
      assert.equal(await assertExactlyOnce(oneProcessDb(), originals), 1000);
    });
  });

  describe("through Hosting and the functions emulator, every trigger running", () => {
    it("replays 100 deliveries (75 messages, 25 duplicates), shuffled, 10 in flight: exactly 75 stored", async () => {
      const { originals, deliveries } = replayPlan(75, 25, 1 / 3);
      assert.equal(deliveries.length, 100);
      await step("the 100 deliveries", () => replay(HOSTED_WEBHOOK, deliveries, 10));
      assert.equal(await assertExactlyOnce(adminDb(), originals), 75);
    });
  });

  describe("an instance killed while a delivery's transaction is open", () => {
    /** A thread with one message, then a second delivery parked at `at` and the process killed there. */
    async function crashDuring(at: "before-commit" | "after-commit") {
      const conversationId = `crash-${at}-${randomUUID().slice(0, 8)}`;
      const first = textMessage(conversationId, "before the crash", new Date(Date.now() - 1000));
      const second = textMessage(conversationId, "survives a crash", new Date());
      const server = await startWebhookProcess({ projectId: ONE_PROCESS_PROJECT, parking: true });
      let inFlight: Promise<number> | undefined;
      let parked: { at: string; transaction?: string } | undefined;
      try {
        assert.equal(await deliver(server.url, first.body), 200);
        await server.park(at);
        inFlight = deliver(server.url, second.body);
        parked = await step(`the delivery to park ${at}`, () => server.parked());
      } finally {
        await server.kill();
      }
      assert.equal(parked.at, at);
      assert.equal(await inFlight, 0, "the parked delivery was never acknowledged");
      return { conversationId, second, transaction: parked.transaction };
    }

    /** Google's retry, answered by a fresh instance. */
    async function retry(delivery: Delivery) {
      const fresh = await startWebhookProcess({ projectId: ONE_PROCESS_PROJECT });
      try {
        await deliverUntilAcknowledged(fresh.url, delivery);
      } finally {
        await fresh.kill();
      }
    }

    /**
     * The dead instance's transaction keeps its locks until Firestore expires it (60 s idle; the
     * emulator does the same, measured at 59.5 s). Rolling it back is that expiry without the wait.
     */
    async function expire(transaction: string | undefined) {
      assert.ok(transaction, "the parked transaction was open and named");
      const host = process.env.FIRESTORE_EMULATOR_HOST;
      const url = `http://${host}/v1/projects/${ONE_PROCESS_PROJECT}/databases/(default)/documents:rollback`;
      const res = await fetch(url, { method: "POST", body: JSON.stringify({ transaction }) });
      assert.equal(res.status, 200, await res.text());
    }

    it("killed before the commit: nothing of it was stored, and Google's retry stores it once", async () => {
      const { conversationId, second, transaction } = await crashDuring("before-commit");
      const db = oneProcessDb();
      const afterCrash = await threadOf(db, conversationId);
      assert.deepEqual(afterCrash.texts, ["before the crash"], "the parked write never landed");
      await expire(transaction);
      await retry(second);
      const { thread, texts } = await threadOf(db, conversationId);
      assert.deepEqual(texts.sort(), ["before the crash", "survives a crash"]);
      assert.equal(thread.messageCount, 2);
      assert.equal(thread.lastMessage.text, "survives a crash");
    });

    it("killed after the commit, before the 200: the message was stored, and the retry adds nothing", async () => {
      const { conversationId, second } = await crashDuring("after-commit");
      const db = oneProcessDb();
      assert.equal((await threadOf(db, conversationId)).thread.messageCount, 2, "the commit landed before the kill");
      await retry(second);
      const { thread, texts } = await threadOf(db, conversationId);
      assert.deepEqual(texts.sort(), ["before the crash", "survives a crash"]);
      assert.equal(thread.messageCount, 2);
      assert.equal(thread.unreadForAgents, 2);
    });
  });
});
