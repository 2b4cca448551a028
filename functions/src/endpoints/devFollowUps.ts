import type { Response } from "express";
import type { Request } from "firebase-functions/https";
import { clock } from "../clock";
import { runningInEmulator } from "../config";
import { DevClockChange, InsightsBackfillBatch, RunDue } from "../contract/dev";
import { deliverFollowUp, type DeliverOutcome } from "../followUps/deliver";
import { sweepFollowUps } from "../followUps/sweep";
import { defineHttpApi } from "../http/api";
import { sweepRetention } from "../lifecycle/retention";
import { backfillInsights } from "../insights/backfill";
import { HttpError, parseOr400 } from "../http/errors";
import { wakeOverdueSnoozes } from "../snooze/wake";
import { resetDevClock, setDevClockOffset } from "../store/devClock";
import { getFollowUpThread, threadsWithPlannedFollowUps } from "../store/followUps";

/** POST /clock {offsetMs, threadId?} | {reset: true}: shifts the dev clock (globally or for one thread). */
async function setClock(req: Request, res: Response): Promise<void> {
  const body = parseOr400(DevClockChange, req.body ?? {});
  if ("reset" in body) await resetDevClock();
  else await setDevClockOffset(body.offsetMs, body.threadId);
  res.json({ ok: true });
}

/**
 * POST /run-due {threadId?}: "run due follow-ups now" for the local demo: moves each planned
 * follow-up's thread clock to its due time and runs it through the task handler's own code.
 */
async function runDue(req: Request, res: Response): Promise<void> {
  const { threadId } = parseOr400(RunDue, req.body ?? {});
  const thread = threadId ? await getFollowUpThread(threadId) : undefined;
  const threads = threadId
    ? thread?.followUp?.state === "planned"
      ? [thread]
      : []
    : await threadsWithPlannedFollowUps();
  const results: Array<{ threadId: string; outcome: DeliverOutcome }> = [];
  for (const t of threads) {
    const f = t.followUp!;
    if (!f.taskId) continue;
    await setDevClockOffset(f.dueAt.getTime() - Date.now(), t.id);
    const now = await clock.now(t.id);
    results.push({ threadId: t.id, outcome: await deliverFollowUp({ threadId: t.id, taskId: f.taskId }, now) });
  }
  res.json({ results });
}

/**
 * POST /sweep: runs the hourly sweep now (the emulator does not run schedules). Its retention part
 * has a short budget here: `retention.done` false means "call again" (the hourly run has minutes).
 */
async function sweep(_req: Request, res: Response): Promise<void> {
  const reading = await clock.reading();
  const followUps = await sweepFollowUps(reading);
  const woken = await wakeOverdueSnoozes(reading);
  res.json({ ...followUps, woken, retention: await sweepRetention(reading, { budgetMs: DEV_RETENTION_BUDGET_MS }) });
}

const DEV_RETENTION_BUDGET_MS = 20_000;
/**
 * POST /insights-backfill {after?, limit?}: rebuilds Insights from the stored threads, one bounded
 * batch a call; call again with `after: next` until `next` is null (production: docs/operations.md).
 */
async function insightsBackfill(req: Request, res: Response): Promise<void> {
  const batch = parseOr400(InsightsBackfillBatch, req.body ?? {});
  res.json(await backfillInsights(await clock.now(), batch));
}

/**
 * The emulator's controls for tests and the local demo: the dev clock, "run due follow-ups now" and
 * the sweep. The only place that sets the dev clock; answers 404 anywhere but the emulator.
 */
export const devFollowUps = defineHttpApi(
  "devFollowUps",
  { timeoutSeconds: 120 },
  {
    prefix: /^$/, // reached only at its own URL on the functions emulator, never through Hosting
    bodyMaxBytes: 8 * 1024,
    before: () => {
      if (!runningInEmulator()) throw new HttpError(404, "not found");
      return false;
    },
    routes: {
      "/clock": { POST: setClock },
      "/run-due": { POST: runDue },
      "/sweep": { POST: sweep },
      "/insights-backfill": { POST: insightsBackfill },
    },
  },
);
