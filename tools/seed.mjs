// Seeds the local emulators: the admin agent, demo business settings, one sample thread and
// the Pub/Sub events topic. Safe to run again (every write is an upsert).
import { createRequire } from "node:module";
import { PROJECT_ID, root, urls } from "./proc.mjs";

export const SEED_ADMIN = { email: "admin@example.com", password: "admin-password", displayName: "Ada Admin" };
export const EVENTS_TOPIC = "afterchat-events";

const require = createRequire(`${root}/functions/package.json`);

function useEmulators() {
  process.env.GCLOUD_PROJECT ??= PROJECT_ID;
  process.env.FIRESTORE_EMULATOR_HOST ??= urls.firestore;
  process.env.FIREBASE_AUTH_EMULATOR_HOST ??= urls.auth;
  process.env.PUBSUB_EMULATOR_HOST ??= urls.pubsub;
}

async function upsertAdmin(auth) {
  let user;
  try {
    user = await auth.getUserByEmail(SEED_ADMIN.email);
  } catch {
    user = await auth.createUser({ ...SEED_ADMIN, emailVerified: true });
  }
  await auth.setCustomUserClaims(user.uid, { role: "admin" });
  return user.uid;
}

export const DEMO_SETTINGS = {
  name: "Sunrise Bakery",
  greeting: "Hi! Ask us anything about orders, cakes or opening hours.",
  awayMessage: "We're baking right now. Leave a message and we'll reply, even after you've left.",
  hours: {
    timeZone: "Asia/Ho_Chi_Minh",
    days: [null, ...Array(5).fill({ open: "07:00", close: "19:00" }), { open: "08:00", close: "14:00" }],
  },
  allowedOrigins: ["http://127.0.0.1:5000", "http://localhost:5000"],
  reachWindowDays: 30,
  followUpMarginHours: 24,
  followUpTemplate: "Hi again from Sunrise Bakery! Still thinking about that order? Just reply here.",
  continuityDelayMinutes: 2,
  // The demo page is the business's site: the chat page behind reply emails links back to it.
  siteUrl: "http://127.0.0.1:5000/",
};

async function seedSampleThread(db) {
  const { newThread, applyVisitorMessage } = require("./lib/domain/thread.js");
  const { webThreadIdFor, messageIdFor } = require("./lib/domain/ids.js");
  const uid = "sample-visitor";
  const id = webThreadIdFor(uid);
  const at = new Date(Date.now() - 3 * 3600_000);
  const text = "Hello! Do you make gluten-free birthday cakes? I need one for Saturday.";
  const thread = applyVisitorMessage(
    newThread({
      id,
      origin: "web",
      visitor: { displayName: "Linh (sample)", locale: "vi", email: "linh@example.com" },
      visitorUids: [uid],
      now: at,
    }),
    { text, anchor: at, receivedAt: at },
  );
  const { id: _id, ...doc } = thread;
  const messageId = messageIdFor("web", `${uid}:sample-1`);
  await db.doc(`threads/${id}`).set(JSON.parse(JSON.stringify(doc), reviveDates));
  await db.doc(`threads/${id}/messages/${messageId}`).set({ from: "visitor", text, createdAt: at });
  return id;
}

/** JSON round trip loses Dates; turn ISO strings back into Dates for Firestore Timestamps. */
function reviveDates(_key, value) {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)
    ? new Date(value)
    : value;
}

async function ensureTopic() {
  const url = `http://${process.env.PUBSUB_EMULATOR_HOST}/v1/projects/${PROJECT_ID}/topics/${EVENTS_TOPIC}`;
  const res = await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });
  if (!res.ok && res.status !== 409) throw new Error(`creating topic ${EVENTS_TOPIC}: HTTP ${res.status}`);
}

export async function seed() {
  useEmulators();
  const { initializeApp, getApps } = require("firebase-admin/app");
  const { getAuth } = require("firebase-admin/auth");
  const { getFirestore } = require("firebase-admin/firestore");
  const app = getApps()[0] ?? initializeApp({ projectId: PROJECT_ID });
  const db = getFirestore(app);
  const adminUid = await upsertAdmin(getAuth(app));
  await db
    .doc(`agents/${adminUid}`)
    .set({ email: SEED_ADMIN.email, displayName: SEED_ADMIN.displayName, role: "admin" }, { merge: true });
  await db.doc("settings/business").set(DEMO_SETTINGS);
  const sampleThreadId = await seedSampleThread(db);
  await ensureTopic();
  return { adminUid, sampleThreadId };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  seed()
    .then((r) => {
      console.log(`seeded: admin ${SEED_ADMIN.email} (${r.adminUid}), sample thread ${r.sampleThreadId}`);
      process.exit(0);
    })
    .catch((err) => {
      console.error(`seed failed: ${err.message}`);
      process.exit(1);
    });
}
