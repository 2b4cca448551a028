// Local stand-ins for what cannot run here (Google's Business Messages API, an SMTP provider...),
// started beside the emulators by `npm start` and by the emulator test run.
// Each entry: { name, script (path under tools/), url, health (path answering 200 when ready) }.
import { spawn } from "node:child_process";
import { root, waitForHttp } from "./proc.mjs";

export const services = [
  {
    name: "Business Messages simulator",
    script: "bm-simulator/server.mjs",
    url: "http://127.0.0.1:5055",
    health: "/health",
  },
  // Issue 7 (docs/reach.md): continuity email and web push, reached by the functions.
  { name: "Mail catcher", script: "mail-catcher/server.mjs", url: "http://127.0.0.1:5080", health: "/health" },
  { name: "Push service", script: "push-service/server.mjs", url: "http://127.0.0.1:5090", health: "/health" },
];

/** Starts every local service; resolves once each answers its health path. */
export async function startServices({ stdio = "inherit", detached = false } = {}) {
  const children = services.map((s) => {
    const child = spawn(process.execPath, [`${root}/tools/${s.script}`], { cwd: root, stdio, detached });
    child.on("error", (err) => console.error(`${s.name}: ${err.message}`));
    return child;
  });
  await Promise.all(services.map((s) => waitForHttp(`${s.url}${s.health}`, { timeoutMs: 30_000 })));
  return children;
}

/**
 * Stops the services, background triggers first (through the Emulator Hub, when there is one): otherwise
 * the trigger runs still queued (a bench's 1,000 erase events) go on against a stopped webhook sink, each
 * failing and redelivered, and the emulators' shutdown waits on them.
 */
export async function stopServices(children) {
  const hub = process.env.FIREBASE_EMULATOR_HUB;
  if (hub) {
    const url = `http://${hub}/functions/disableBackgroundTriggers`;
    await fetch(url, { method: "PUT" }).catch((err) => console.error(`background triggers off: ${err.message}`));
  }
  for (const child of children) child.kill();
}

// Receives the signed event webhook locally (issue 6; docs/events.md).
services.push({ name: "webhook sink", script: "webhook-sink.mjs", url: "http://127.0.0.1:5077", health: "/health" });
