// `npm run bench`: builds, then measures inside `firebase emulators:exec` (bench/suite.mjs) and
// prints one table; results go to bench/results.json. Timing never fails anything.
import { describe, emulatorEnv } from "../tools/emulators.mjs";
import { firebaseBin, PROJECT_ID, root, run } from "../tools/proc.mjs";

const setup = emulatorEnv();
if (setup.source === "unavailable") {
  console.error("The Firestore and Pub/Sub emulators are unavailable here: the bench cannot run.");
  process.exit(1);
}
console.log(describe(setup));
if ((await run("npm", ["run", "build:local"])) !== 0) process.exit(1);
const code = await run(
  firebaseBin,
  [
    "emulators:exec",
    "--project",
    PROJECT_ID,
    "--only",
    "auth,firestore,functions,tasks,pubsub,hosting",
    `node ${root}/bench/suite.mjs`,
  ],
  { env: { ...setup.env, BENCH_QUIET: "1" } },
);
process.exit(code);
