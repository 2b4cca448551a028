// `npm start`: build, run the emulators for demo-afterchat, seed, print the URLs.
// Ctrl-C stops every child process (the emulators' Java processes included).
import { spawn } from "node:child_process";
import { describe, EmulatorSetupError, emulatorEnv } from "./emulators.mjs";
import { firebaseBin, PROJECT_ID, root, run, urls, waitForHttp } from "./proc.mjs";
import { seed, SEED_ADMIN } from "./seed.mjs";
import { services, startServices } from "./services.mjs";

const EMULATORS = "auth,firestore,functions,tasks,pubsub,hosting";
const children = [];
let stopping = false;

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping Afterchat…");
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGINT");
    } catch {
      /* already gone */
    }
  }
  const force = setTimeout(() => {
    for (const child of children) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    process.exit(code);
  }, 15_000);
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null))).then(() => {
    clearTimeout(force);
    process.exit(code);
  });
}

/** Starts a long-running child in its own process group so Ctrl-C reaches all its descendants. */
export function startChild(cmd, args, opts) {
  const child = spawn(cmd, args, { cwd: root, stdio: "inherit", detached: true, ...opts });
  children.push(child);
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`${cmd} ${args[0] ?? ""} exited (${code}); stopping.`);
      stopAll(code || 1);
    }
  });
  return child;
}

async function main() {
  let setup;
  try {
    setup = emulatorEnv();
  } catch (err) {
    if (err instanceof EmulatorSetupError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  if (setup.source === "unavailable") {
    console.error("The Firestore and Pub/Sub emulators are not installed and cannot be downloaded here.");
    process.exit(1);
  }
  console.log(describe(setup));
  if ((await run("npm", ["run", "build:local"])) !== 0) process.exit(1);

  process.on("SIGINT", () => stopAll(0));
  process.on("SIGTERM", () => stopAll(0));
  for (const child of await startServices({ detached: true })) {
    children.push(child);
  }
  startChild(firebaseBin, ["emulators:start", "--project", PROJECT_ID, "--only", EMULATORS], { env: setup.env });

  // Hosting answers seconds before the functions are loaded: wait for a function itself.
  await waitForHttp(`${urls.functions}/health`, { timeoutMs: 180_000 });
  await waitForHttp(`${urls.hosting}/api/health`);
  const seeded = await seed();
  console.log(`
  Demo business page   ${urls.hosting}/
  Agent console        ${urls.hosting}/console/   (${SEED_ADMIN.email} / ${SEED_ADMIN.password})
  Sample thread        ${seeded.sampleThreadId}
${services.map((s) => `  ${s.name.padEnd(20)} ${s.url}/`).join("\n")}

Afterchat is ready. Press Ctrl-C to stop.`);
}

main().catch((err) => {
  console.error(`npm start failed: ${err.message}`);
  stopAll(1);
});
