// Webhook POST → the message visible to a console listener (the web SDK, signed in as the seed admin,
// listening to the inbox query the console uses).
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { root } from "../../tools/proc.mjs";
import { ms, now, summarize } from "../stats.mjs";
import { postSigned, textMessage } from "./webhook.mjs";

const require = createRequire(`${root}/hosting/package.json`);

export async function measureEndToEnd({ samples = 50 } = {}) {
  const { initializeApp } = require("firebase/app");
  const { getAuth, connectAuthEmulator, signInWithEmailAndPassword } = require("firebase/auth");
  const {
    getFirestore,
    connectFirestoreEmulator,
    collection,
    query,
    orderBy,
    limit,
    onSnapshot,
  } = require("firebase/firestore");
  const app = initializeApp({ apiKey: "fake-api-key", projectId: "demo-afterchat" }, `bench-${randomUUID()}`);
  const auth = getAuth(app);
  connectAuthEmulator(auth, "http://127.0.0.1:9099", { disableWarnings: true });
  const db = getFirestore(app);
  connectFirestoreEmulator(db, "127.0.0.1", 8080);
  await signInWithEmailAndPassword(auth, "admin@example.com", "admin-password");

  const waiting = new Map();
  const unsubscribe = onSnapshot(
    query(collection(db, "threads"), orderBy("lastActivityAt", "desc"), limit(20)),
    (snap) => {
      for (const doc of snap.docs) {
        const resolve = waiting.get(doc.get("lastMessage.text"));
        if (resolve) resolve();
      }
    },
  );
  const conversation = `bench-e2e-${randomUUID().slice(0, 8)}`;
  const latencies = [];
  try {
    for (let i = 0; i < samples; i++) {
      const text = `e2e ${i} ${randomUUID().slice(0, 6)}`;
      const seen = new Promise((resolve) => waiting.set(text, resolve));
      const t = now();
      await postSigned(textMessage(conversation, text));
      await Promise.race([
        seen,
        new Promise((_, reject) => setTimeout(() => reject(new Error("listener never saw the message")), 10_000)),
      ]);
      latencies.push(ms(t));
      waiting.delete(text);
    }
  } finally {
    unsubscribe();
  }
  return summarize(latencies);
}
