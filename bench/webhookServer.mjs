// The deployed bmWebhook function, served by one plain Node process the way Cloud Run serves a v2
// function (concurrency 80: many requests share one instance), instead of by the functions emulator
// (a worker process per in-flight request). It writes to the same Firestore emulator, under its own
// project id so no emulated trigger fires: this measures the webhook's own code path.
// Prints the port it listens on. Started by bench/sections/webhookInProcess.mjs.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { root } from "../tools/proc.mjs";

const require = createRequire(`${root}/functions/package.json`);
for (const file of [".env.local", ".secret.local"]) {
  for (const line of readFileSync(`${root}/functions/${file}`, "utf8").split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] ??= m[2];
  }
}
const projectId = process.env.BENCH_PROJECT;
Object.assign(process.env, {
  GCLOUD_PROJECT: projectId,
  GOOGLE_CLOUD_PROJECT: projectId,
  FIREBASE_CONFIG: JSON.stringify({ projectId }),
});
const express = require("express");
const { bmWebhook } = require("./lib/endpoints/bmWebhook.js");

const app = express();
// Cloud Functions hands the handler the parsed body and the raw bytes (the signature covers them).
app.use(express.json({ limit: "1mb", verify: (req, _res, buf) => (req.rawBody = buf) }));
app.post("/", (req, res) => bmWebhook(req, res));
const server = app.listen(0, "127.0.0.1", () => console.log(server.address().port));
