// Starts tools/webhook-process.mjs and speaks its control lines: the bench and the reliability
// tests use it the same way.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { root } from "./proc.mjs";

/**
 * @param {{ projectId: string, parking?: boolean }} options
 * @returns {Promise<{ url: string, park(at: "before-commit" | "after-commit"): Promise<void>,
 *   parked(): Promise<{ at: string, transaction?: string }>, kill(): Promise<void> }>}
 */
export async function startWebhookProcess({ projectId, parking = false }) {
  const child = spawn(process.execPath, [`${root}/tools/webhook-process.mjs`], {
    env: { ...process.env, AFTERCHAT_PROJECT: projectId, AFTERCHAT_PARKING: parking ? "1" : "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = once(child, "exit");
  const controls = [];
  const waiters = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.on("exit", wake);
  // Every stdout line is read (so the pipe never fills); function logs are dropped.
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (!line.startsWith('{"control"')) return;
    controls.push(JSON.parse(line));
    wake();
  });
  const next = (kind) =>
    new Promise((resolve, reject) => {
      const look = () => {
        const i = controls.findIndex((c) => c.control === kind);
        if (i >= 0) return resolve(controls.splice(i, 1)[0]);
        if (child.exitCode !== null || child.signalCode !== null)
          return reject(new Error(`webhook process exited (${child.exitCode}) before "${kind}"`));
        waiters.push(look);
      };
      look();
    });
  const { port } = await next("listening");
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    async park(at) {
      const res = await fetch(`${url}__park`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ at }),
      });
      if (!res.ok) throw new Error(`park: HTTP ${res.status}`);
    },
    parked: () => next("parked").then(({ at, transaction }) => ({ at, transaction })),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}
