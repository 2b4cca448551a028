import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { adminDb } from "../support/emulators";

// Business Messages deliveries are at least once, unordered and retried for 7 days: whatever arrives
// twice, shuffled or after a crash must end as exactly one message and consistent thread counters.
const WEBHOOK = "http://127.0.0.1:5000/api/bm/webhook";
const CLIENT_TOKEN = "local-client-token";

function textMessage(conversationId: string, text: string, sendTime: Date) {
  const requestId = randomUUID();
  return {
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
}

async function post(body: Buffer, timeoutMs = 30_000): Promise<number> {
  const signature = createHmac("sha512", CLIENT_TOKEN).update(body).digest("base64");
  const res = await fetch(WEBHOOK, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-signature": signature },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer();
  return res.status;
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

async function threadOf(conversationId: string) {
  const snap = await adminDb().collection("threads").where("bm.conversationId", "==", conversationId).get();
  assert.equal(snap.size, 1, `one thread for ${conversationId}`);
  const doc = snap.docs[0];
  const messages = await doc.ref.collection("messages").get();
  return { thread: doc.data(), messages: messages.docs.map((d) => d.data()) };
}

describe("reliability: Business Messages webhook", function () {
  // 1,300 deliveries each fan out to several trigger runs in the emulator: minutes, not seconds.
  this.timeout(900_000);

  it("replays 1,000 messages with 30% duplicates, shuffled, 20 at a time: exactly 1,000 stored, counters consistent", async () => {
    const run = randomUUID().slice(0, 8);
    const conversations = Array.from({ length: 100 }, (_, i) => `replay-${run}-${i}`);
    const base = Date.now() - 3_600_000;
    const originals = Array.from({ length: 1000 }, (_, i) => {
      const conversationId = conversations[i % conversations.length];
      return {
        conversationId,
        text: `message ${i}`,
        sendTime: new Date(base + i * 1000),
        body: Buffer.from(JSON.stringify(textMessage(conversationId, `message ${i}`, new Date(base + i * 1000)))),
      };
    });
    const duplicates = shuffle([...originals]).slice(0, 300);
    const deliveries = shuffle([...originals, ...duplicates]);
    // Google retries whatever is not acknowledged (for 7 days); so does this replay, a few times.
    const statuses: number[] = [];
    let retried = 0;
    // A delivery that errors or times out counts as unacknowledged (status 0), as it would for Google.
    const deliver = (body: Buffer) => post(body, 60_000).catch(() => 0);
    await pool(deliveries, 20, async (d) => {
      let status = await deliver(d.body);
      for (let attempt = 1; status !== 200 && attempt < 5; attempt++) {
        retried++;
        await new Promise((r) => setTimeout(r, 200 * attempt));
        status = await deliver(d.body);
      }
      statuses.push(status);
    });
    assert.equal(statuses.length, 1300);
    assert.deepEqual([...new Set(statuses)], [200], "every delivery, first or repeated, is acknowledged in the end");
    if (retried) console.log(`      (${retried} deliveries answered non-200 first and were retried, as Google would)`);

    let stored = 0;
    for (const conversationId of conversations) {
      const expected = originals.filter((o) => o.conversationId === conversationId);
      const { thread, messages } = await threadOf(conversationId);
      stored += messages.length;
      assert.equal(messages.length, expected.length, `${conversationId}: messages`);
      assert.deepEqual(messages.map((m) => m.text).sort(), expected.map((e) => e.text).sort());
      assert.equal(thread.messageCount, expected.length, `${conversationId}: messageCount`);
      assert.equal(thread.unreadForAgents, expected.length, `${conversationId}: unread`);
      const newest = expected[expected.length - 1];
      assert.equal(
        thread.lastMessage.text,
        newest.text,
        `${conversationId}: last message is the newest, whatever the arrival order`,
      );
      assert.equal(thread.lastVisitorMessageAt.toDate().getTime(), newest.sendTime.getTime());
    }
    assert.equal(stored, 1000);
  });

  it("a function process killed mid-request, then the retried webhook: nothing lost, nothing doubled", async () => {
    const conversationId = `crash-${randomUUID().slice(0, 8)}`;
    const body = Buffer.from(JSON.stringify(textMessage(conversationId, "survives a crash", new Date())));
    await post(
      Buffer.from(JSON.stringify(textMessage(conversationId, "before the crash", new Date(Date.now() - 1000)))),
    );
    const inFlight = post(body, 15_000).catch(() => 0); // answered with an error, or dropped
    await new Promise((r) => setTimeout(r, 30));
    const killed = killFunctionWorkers();
    assert.ok(killed > 0, "a functions runtime worker was running and was killed");
    await inFlight;
    let status = 0;
    for (let attempt = 0; attempt < 10 && status !== 200; attempt++) status = await post(body);
    assert.equal(status, 200, "the retry (as Google retries) is acknowledged");
    const { thread, messages } = await threadOf(conversationId);
    assert.deepEqual(messages.map((m) => m.text).sort(), ["before the crash", "survives a crash"]);
    assert.equal(thread.messageCount, 2);
    assert.equal(thread.lastMessage.text, "survives a crash");
  });
});

/** SIGKILLs the functions emulator's runtime workers (the processes that run our code). */
function killFunctionWorkers(): number {
  const out = execFileSync("sh", ["-c", "pgrep -f functionsEmulatorRuntime || true"], { encoding: "utf8" }).trim();
  const pids = out ? out.split("\n").map(Number) : [];
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  return pids.length;
}
