// One-off for a deployed project: rebuilds Insights' daily counters from the threads and messages
// written before they existed (docs/operations.md). Run by the project's owner with their own
// Google credentials, after `npm run build -w functions` (it runs the functions' own backfill code):
//   npm run insights:backfill -- --project <projectId> [--quota-project <projectId>] [--after <threadId>] [--batch <n>]
// Safe to run twice and while the business is live: each fact is counted under the id the live
// triggers give it. It works in bounded batches (500 threads by default, in document-id order) and
// prints the cursor after each: an interrupted run resumes with --after <the last cursor printed>.
// Locally the emulator-only devFollowUps endpoint runs one batch a call (POST /insights-backfill).
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { root } from "./proc.mjs";

const USAGE =
  "usage: npm run insights:backfill -- --project <projectId> [--quota-project <projectId>] [--after <threadId>] [--batch <1-1000>]";
const require = createRequire(`${root}/functions/package.json`);

const { values } = parseArgs({
  options: {
    project: { type: "string" },
    "quota-project": { type: "string" },
    after: { type: "string" },
    batch: { type: "string" },
  },
});
const batch = Number(values.batch ?? 500);
if (!values.project || values.project.startsWith("demo-") || !Number.isInteger(batch) || batch < 1 || batch > 1000) {
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
const total = { threads: 0, facts: 0, counted: 0 };
let after = values.after;
do {
  const result = await backfill(new Date(), { after, limit: batch });
  for (const k of Object.keys(total)) total[k] += result[k];
  after = result.next ?? undefined;
  console.log(
    `${total.threads} threads so far (${total.counted} facts newly counted)` +
      (after ? `; to resume: --after ${after}` : "; done"),
  );
} while (after);
console.log(
  `${values.project}: ${total.threads} threads, ${total.facts} facts, ${total.counted} newly counted ` +
    `(${((Date.now() - started) / 1000).toFixed(0)} s)`,
);
