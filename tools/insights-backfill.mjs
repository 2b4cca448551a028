// One-off for a deployed project: rebuilds Insights' daily counters from the threads and messages
// written before they existed (docs/operations.md). Run by the project's owner with their own
// Google credentials, after `npm run build -w functions` (it runs the functions' own backfill code):
//   npm run insights:backfill -- --project <projectId> [--quota-project <projectId>]
// Safe to run twice and while the business is live: each fact is counted under the id the live
// triggers give it. Locally the emulator-only devFollowUps endpoint does the same (POST /insights-backfill).
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { root } from "./proc.mjs";

const USAGE = "usage: npm run insights:backfill -- --project <projectId> [--quota-project <projectId>]";
const require = createRequire(`${root}/functions/package.json`);

const { values } = parseArgs({ options: { project: { type: "string" }, "quota-project": { type: "string" } } });
if (!values.project || values.project.startsWith("demo-")) {
  console.error(
    `${USAGE}\n(locally: curl -X POST http://127.0.0.1:5001/demo-afterchat/us-central1/devFollowUps/insights-backfill)`,
  );
  process.exit(2);
}
for (const name of ["FIRESTORE_EMULATOR_HOST", "FUNCTIONS_EMULATOR"]) delete process.env[name];
process.env.GOOGLE_CLOUD_PROJECT = values.project;
process.env.GCLOUD_PROJECT = values.project;
// User credentials need a quota project, else Firestore answers 403 (as for admin:create).
process.env.GOOGLE_CLOUD_QUOTA_PROJECT =
  values["quota-project"] ?? process.env.GOOGLE_CLOUD_QUOTA_PROJECT ?? values.project;

let backfill;
try {
  ({ backfillInsights: backfill } = require(`${root}/functions/lib/insights/backfill.js`));
} catch {
  console.error("Build the functions first: npm run build -w functions");
  process.exit(2);
}
const started = Date.now();
const result = await backfill(new Date());
console.log(
  `${values.project}: ${result.threads} threads, ${result.facts} facts, ${result.counted} newly counted ` +
    `(${((Date.now() - started) / 1000).toFixed(0)} s)`,
);
