// The webhook's own capacity: the same signed messages as the emulator rows, against bmWebhook
// served in one Node process (tools/webhook-process.mjs), on the same Firestore emulator.
import { startWebhookProcess } from "../../tools/webhook-process-client.mjs";
import { measureWebhook } from "./webhook.mjs";

export const BENCH_PROJECT = "demo-afterchat-bench";

export async function measureWebhookInProcess() {
  const server = await startWebhookProcess({ projectId: BENCH_PROJECT });
  try {
    return await measureWebhook({ url: server.url, projectId: BENCH_PROJECT });
  } finally {
    await server.kill();
  }
}
