// The deployed bmWebhook function served by one plain Node process, the way Cloud Run serves a v2
// function (concurrency 80: many requests share one instance), instead of by the functions emulator
// (a worker process per in-flight request). It writes to the Firestore emulator under a project id
// of its own (AFTERCHAT_PROJECT), so no emulated trigger fires: only the webhook's own code runs.
// Used by the bench (the webhook's capacity) and the reliability tests (exactly once at scale, crashes).
//
// Control lines on stdout are JSON with a "control" key (function logs are JSON lines too):
//   {"control":"listening","port":N}    once it accepts requests
//   {"control":"parked","at":"…","transaction":"<base64 id>"}
//                                        a transaction reached the point the test asked to park at
// With AFTERCHAT_PARKING=1 (tests only), POST /__park {"at":"before-commit"|"after-commit"} makes the
// next transaction commit stop there forever, so a test can kill the process with the transaction
// provably open (before) or committed but unacknowledged (after).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { root } from "./proc.mjs";

const require = createRequire(`${root}/functions/package.json`);
for (const file of [".env.local", ".secret.local"]) {
  for (const line of readFileSync(`${root}/functions/${file}`, "utf8").split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] ??= m[2];
  }
}
const projectId = process.env.AFTERCHAT_PROJECT;
if (!projectId || !process.env.FIRESTORE_EMULATOR_HOST) {
  console.error("webhook-process: set AFTERCHAT_PROJECT and FIRESTORE_EMULATOR_HOST");
  process.exit(2);
}
Object.assign(process.env, {
  GCLOUD_PROJECT: projectId,
  GOOGLE_CLOUD_PROJECT: projectId,
  FIREBASE_CONFIG: JSON.stringify({ projectId }),
});
const express = require("express");
const { bmWebhook } = require("./lib/endpoints/bmWebhook.js");

const control = (line) => process.stdout.write(`${JSON.stringify({ control: line.control, ...line })}\n`);
const app = express();
if (process.env.AFTERCHAT_PARKING === "1") parkOnCommit(app);
// Cloud Functions hands the handler the parsed body and the raw bytes (the signature covers them).
app.use(express.json({ limit: "1mb", verify: (req, _res, buf) => (req.rawBody = buf) }));
app.post("/", (req, res) => bmWebhook(req, res));
const server = app.listen(0, "127.0.0.1", () => control({ control: "listening", port: server.address().port }));

/** Test-only: the next transaction commit parks forever, before or after it reaches Firestore. */
function parkOnCommit(app) {
  const { Transaction } = require("firebase-admin/firestore");
  const commit = Transaction.prototype.commit;
  let parkAt;
  const park = (at, transaction) => {
    control({ control: "parked", at, transaction: transaction?.toString("base64") });
    return new Promise(() => {});
  };
  Transaction.prototype.commit = async function (...args) {
    const at = parkAt;
    parkAt = undefined;
    // The id lets a test release the dead transaction's locks, as Firestore does after 60 s idle.
    if (at === "before-commit") await park(at, await this._transactionIdPromise);
    const result = await commit.apply(this, args);
    if (at === "after-commit") await park(at);
    return result;
  };
  app.post("/__park", express.json(), (req, res) => {
    parkAt = req.body.at;
    res.json({ parkAt });
  });
}
