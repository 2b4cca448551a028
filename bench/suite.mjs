// Runs inside `firebase emulators:exec` (see run.mjs): every figure measured in this one run, each
// beside its target and, where one exists, as a ratio to a floor measured in this same run.
import { writeFileSync } from "node:fs";
import { root, urls, waitForHttp } from "../tools/proc.mjs";
import { seed } from "../tools/seed.mjs";
import { startServices, stopServices } from "../tools/services.mjs";
import { measureBytes } from "./sections/bytes.mjs";
import { measureColdStart } from "./sections/coldStart.mjs";
import { measureEndToEnd } from "./sections/endToEnd.mjs";
import { measureEmulatorHttp } from "./sections/emulatorHttp.mjs";
import { measureFloor } from "./sections/firestore.mjs";
import { measureInsights } from "./sections/insights.mjs";
import { measureOps } from "./sections/ops.mjs";
import { measureWebhook, webhookAvailable } from "./sections/webhook.mjs";
import { measureWebhookInProcess } from "./sections/webhookInProcess.mjs";

const KB = 1024;
const rows = [];
const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

function row(section, metric, value, { unit = "", target = "", ok = null, ratio = null } = {}) {
  rows.push({ section, metric, value, unit, target, ok, ratio });
}

// BENCH_ONLY="insights,firestore ops" runs only those sections (`npm run bench` passes the environment on).
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());

async function step(name, fn) {
  if (only && !only.includes(name)) return undefined;
  process.stdout.write(`… ${name}\n`);
  try {
    return await fn();
  } catch (err) {
    row(name, "error", err.message, { ok: false });
    return undefined;
  }
}

await waitForHttp(`${urls.functions}/health`);
await seed();
// The local stand-ins npm start and npm test run (simulator, mail, push, events webhook sink): the
// configuration in functions/.env.local points at them, so without them every event delivery fails.
const serviceChildren = await startServices({ stdio: "ignore" });

const bytes = await step("bytes", measureBytes);
if (bytes) {
  row("bytes", "widget loader (gzip)", bytes.loader.gzip, {
    unit: "B",
    target: `≤ ${3 * KB}`,
    ok: bytes.loader.gzip <= 3 * KB,
  });
  row("bytes", "widget loader (brotli)", bytes.loader.brotli, { unit: "B" });
  row("bytes", "requests before interaction", bytes.requestsBeforeInteraction, {
    target: "1 (the loader)",
    ok: bytes.requestsBeforeInteraction <= 1,
  });
  row("bytes", "opened widget (gzip)", bytes.openedWidget.gzip, {
    unit: "B",
    target: `≤ ${60 * KB}`,
    ok: bytes.openedWidget.gzip <= 60 * KB,
  });
  row("bytes", "opened widget (brotli)", bytes.openedWidget.brotli, { unit: "B" });
  row("bytes", "chat page behind a reply link (gzip)", bytes.chatPage.gzip, {
    unit: "B",
    target: `≤ ${30 * KB}`,
    ok: bytes.chatPage.gzip <= 30 * KB,
  });
  row("bytes", "chat page (brotli)", bytes.chatPage.brotli, { unit: "B" });
  row("bytes", "chat page: link → first paint, phone (Fast 3G, 4× CPU)", bytes.chatPage.firstPaintMs, { unit: "ms" });
  row("bytes", "console first load (gzip)", bytes.consoleFirstLoad.gzip, { unit: "B" });
  row("bytes", "console first load (brotli)", bytes.consoleFirstLoad.brotli, { unit: "B" });
}

const cold = await step("cold start", () => measureColdStart());
if (cold) {
  row("cold start", "firebase-functions + firebase-admin (floor)", fmt(cold.baselineMs), { unit: "ms" });
  for (const f of cold.perFunction) {
    row("cold start", f.function, fmt(f.ms), { unit: "ms", ratio: f.ratio, target: "≤ 1.3×", ok: f.ratio <= 1.3 });
  }
}

const floor = await step("floor", () => measureFloor());
if (floor) {
  row(
    "floor",
    "bare transaction p50 / p95 / p99",
    `${fmt(floor.latency.p50)} / ${fmt(floor.latency.p95)} / ${fmt(floor.latency.p99)}`,
    { unit: "ms" },
  );
  row("floor", "bare transactions/s (20 in flight)", fmt(floor.throughput.perSecond, 0), { unit: "/s" });
}

const http = await step("emulator http", () => measureEmulatorHttp());
if (http) {
  row(
    "emulator",
    "GET /api/health p50 / p95 / p99 (no work)",
    `${fmt(http.latency.p50)} / ${fmt(http.latency.p95)} / ${fmt(http.latency.p99)}`,
    { unit: "ms" },
  );
  row("emulator", "GET /api/health/s (20 in flight)", fmt(http.throughput.perSecond, 0), { unit: "/s" });
}

if (await webhookAvailable()) {
  const hook = await step("webhook", () => measureWebhook());
  if (hook && floor) {
    row(
      "webhook",
      "ack p50 / p95 / p99",
      `${fmt(hook.latency.p50)} / ${fmt(hook.latency.p95)} / ${fmt(hook.latency.p99)}`,
      {
        unit: "ms",
        ratio: hook.latency.p50 / floor.latency.p50,
        target: "p50 ≤ 1.5× floor",
        ok: hook.latency.p50 <= 1.5 * floor.latency.p50,
      },
    );
    row("webhook", "sustained messages/s (20 in flight)", fmt(hook.throughput.perSecond, 0), {
      unit: "/s",
      ratio: hook.throughput.perSecond / floor.throughput.perSecond,
      target: "≥ 200",
      ok: hook.throughput.perSecond >= 200,
    });
    if (http) {
      row("webhook", "ack p50 above the emulator's own round trip", fmt(hook.latency.p50 - http.latency.p50), {
        unit: "ms",
        ratio: (hook.latency.p50 - http.latency.p50) / floor.latency.p50,
        target: "≤ 1.5× floor (context)",
      });
    }
    row("webhook", "lost after retries / non-200 answers (1000)", `${hook.lost} / ${hook.errors}`, {
      target: "0 / (retried)",
      ok: hook.lost === 0,
    });
  }
  const own = await step("webhook, own capacity", () => measureWebhookInProcess());
  if (own && floor) {
    const section = "webhook (1 process)";
    row(section, "ack p50 / p95 / p99", `${fmt(own.latency.p50)} / ${fmt(own.latency.p95)} / ${fmt(own.latency.p99)}`, {
      unit: "ms",
      ratio: own.latency.p50 / floor.latency.p50,
      target: "p50 ≤ 1.5× floor",
      ok: own.latency.p50 <= 1.5 * floor.latency.p50,
    });
    row(section, "sustained messages/s (20 in flight)", fmt(own.throughput.perSecond, 0), {
      unit: "/s",
      ratio: own.throughput.perSecond / floor.throughput.perSecond,
      target: "≥ 200",
      ok: own.throughput.perSecond >= 200,
    });
    row(section, "lost after retries / non-200 answers (1000)", `${own.lost} / ${own.errors}`, {
      target: "0 / (retried)",
      ok: own.lost === 0,
    });
  }
  const e2e = await step("end to end", () => measureEndToEnd());
  if (e2e)
    row("end to end", "webhook → console listener p50 / p95", `${fmt(e2e.p50)} / ${fmt(e2e.p95)}`, { unit: "ms" });
} else {
  row("webhook", "POST /api/bm/webhook", "not deployed in this build", { ok: false });
}

const opsCounts = await step("firestore ops", () => measureOps());
if (opsCounts) {
  const { firstMessage: f, nextMessage: n, agentReply: a } = opsCounts;
  row("ops", "inbound message, new thread (reads/writes)", `${f.reads} / ${f.writes}`, {
    target: "≤ 1 / 2",
    ok: f.reads <= 1 && f.writes <= 2,
  });
  row("ops", "inbound message, existing thread", `${n.reads} / ${n.writes}`, {
    target: "≤ 1 / 2",
    ok: n.reads <= 1 && n.writes <= 2,
  });
  row("ops", "agent reply", `${a.reads} / ${a.writes}`);
  if (opsCounts.followUpPlan)
    row("ops", "plan a follow-up", `${opsCounts.followUpPlan.reads} / ${opsCounts.followUpPlan.writes}`);
  if (opsCounts.followUpSend)
    row("ops", "send a due follow-up", `${opsCounts.followUpSend.reads} / ${opsCounts.followUpSend.writes}`);
  const { erase, eraseAgain } = opsCounts;
  // docs/privacy.md: n + 3 reads and n + 2 writes for a thread with n documents under it.
  row("ops", `erase a thread of ${erase.documents} documents`, `${erase.reads} / ${erase.writes}`, {
    target: "n+2 / n+1 (n = documents)",
    ok: erase.reads <= erase.documents + 2 && erase.writes <= erase.documents + 1,
  });
  row("ops", "erase a thread already erased", `${eraseAgain.reads} / ${eraseAgain.writes}`, {
    target: "≤ 2 / 0",
    ok: eraseAgain.reads <= 2 && eraseAgain.writes === 0,
  });
  const r = opsCounts.retention;
  // docs/privacy.md: per expired thread with one document under it, 5 reads and 3 writes; per sweep,
  // the settings and the last (empty) query.
  row("ops", `retention sweep, ${r.threads} expired threads (1 doc each)`, `${r.reads} / ${r.writes}`, {
    target: "≤ 5 / 3 per thread, + 2 reads",
    ok: r.erased === r.threads && r.reads <= 5 * r.threads + 2 && r.writes <= 3 * r.threads,
  });
  row("ops", "retention sweep, time for those threads", `${fmt(r.ms)}`, { unit: "ms" });
}

const insights = await step("insights", () => measureInsights());
if (insights) {
  // Extra writes per message: a fact is 2 writes (its marker and its shard); most messages make none.
  row("insights", "count one fact (reads/writes)", `${insights.oneFact.reads} / ${insights.oneFact.writes}`, {
    target: "0 / 2",
    ok: insights.oneFact.reads === 0 && insights.oneFact.writes === 2,
  });
  row("insights", "the same fact retried", `${insights.retried.reads} / ${insights.retried.writes}`, {
    target: "0 / 0 (not counted)",
    ok: insights.retried.writes === 0 && insights.retried.counted === false,
  });
  row("insights", "open 90 days, 48 facts/day, before rollups", insights.unfolded, {
    target: `≤ ${90 * 16}`,
    ok: insights.unfolded <= 90 * 16,
  });
  row(
    "insights",
    "open 90 days, first open: folds 89 days (r/w)",
    `${insights.firstOpen.reads} / ${insights.firstOpen.writes}`,
  );
  row("insights", "open 90 days, folded (reads)", insights.secondOpen.reads, {
    target: `≤ ${insights.bound} (90 + 16 shards)`,
    ok: insights.secondOpen.reads <= insights.bound,
  });
  const m = insights.perMessage;
  row("insights", `extra writes per message (${m.messages} msgs, ${m.facts} facts)`, fmt(m.perMessage, 2), {
    target: "≤ 2",
    ok: m.perMessage <= 2,
  });
  row("insights", "open 90 days, this run's data, folded (reads)", insights.here, {
    target: `≤ ${insights.bound}`,
    ok: insights.here <= insights.bound,
  });
}

const widths = [20, 46, 26, 8, 24, 6];
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(" ");
console.log(`\n${line(["section", "metric", "value", "ratio", "target", "met"])}`);
for (const r of rows) {
  const value = `${r.value}${r.unit && r.unit !== "/s" ? ` ${r.unit}` : r.unit}`;
  console.log(
    line([
      r.section,
      r.metric,
      value,
      r.ratio === null ? "" : `${fmt(r.ratio, 2)}×`,
      r.target,
      r.ok === null ? "" : r.ok ? "yes" : "MISSED",
    ]),
  );
}
writeFileSync(
  `${root}/bench/results.json`,
  JSON.stringify({ measuredAt: new Date().toISOString(), rows, raw: { bytes, cold, floor } }, null, 2),
);
console.log(`\nwritten: bench/results.json`);
// Listeners and SDK clients keep handles open; the run is over.
await stopServices(serviceChildren);
process.exit(0);
