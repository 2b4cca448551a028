// The webhook's own capacity: the same signed messages as the emulator rows, against bmWebhook
// served in one Node process (bench/webhookServer.mjs), on the same Firestore emulator.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { root } from "../../tools/proc.mjs";
import { measureWebhook } from "./webhook.mjs";

export const BENCH_PROJECT = "demo-afterchat-bench";

export async function measureWebhookInProcess() {
  const child = spawn(process.execPath, [`${root}/bench/webhookServer.mjs`], {
    env: { ...process.env, BENCH_PROJECT },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const [chunk] = await once(child.stdout, "data");
    const url = `http://127.0.0.1:${Number(String(chunk).trim())}/`;
    child.stdout.resume(); // its log lines: read and dropped, so the pipe never fills
    return await measureWebhook({ url, projectId: BENCH_PROJECT });
  } finally {
    child.kill();
  }
}
