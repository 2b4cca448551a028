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

// Receives the signed event webhook locally (issue 6; docs/events.md).
services.push({ name: "webhook sink", script: "webhook-sink.mjs", url: "http://127.0.0.1:5077", health: "/health" });
