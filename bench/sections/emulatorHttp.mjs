// Context for the webhook rows, not a target: the functions emulator's own cost for one HTTP
// request through Hosting (GET /api/health: no Firestore, no work). Every emulated request goes
// Hosting proxy → functions emulator → a worker process that serves one request at a time, so this
// bounds what any function can reach here, whatever its code does.
import { ms, now, pool, summarize } from "../stats.mjs";

const HEALTH = "http://127.0.0.1:5000/api/health";

async function get() {
  const res = await fetch(HEALTH);
  await res.arrayBuffer();
  return res.status;
}

export async function measureEmulatorHttp({ sequential = 200, total = 1000, concurrency = 20 } = {}) {
  await get();
  const latencies = [];
  let errors = 0;
  for (let i = 0; i < sequential; i++) {
    const t = now();
    if ((await get()) !== 200) errors++;
    latencies.push(ms(t));
  }
  const t = now();
  await pool(total, concurrency, async () => {
    if ((await get()) !== 200) errors++;
  });
  return {
    latency: summarize(latencies),
    throughput: { total, concurrency, perSecond: total / (ms(t) / 1000) },
    errors,
  };
}
