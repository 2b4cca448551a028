import type { Response } from "express";
import { onRequest, type Request } from "firebase-functions/https";
import { z } from "zod";
import { runningInEmulator, REGION } from "../config";
import { followUpClock } from "../followUps/clock";
import { deliverFollowUp, type DeliverOutcome } from "../followUps/deliver";
import { wakeOverdueSnoozes } from "../snooze/wake";
import { sweepFollowUps } from "../followUps/sweep";
import { HttpError, parseOr400, sendError } from "../http/errors";
import { logs } from "../logs";
import { resetDevClock, setDevClockOffset } from "../store/devClock";
import { getFollowUpThread, threadsWithPlannedFollowUps } from "../store/followUps";

const ThreadId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
const Clock = z.union([
  z.object({ reset: z.literal(true) }),
  z.object({ offsetMs: z.number().int(), threadId: ThreadId.optional() }),
]);
const RunDue = z.object({ threadId: ThreadId.optional() });

/** POST /clock {offsetMs, threadId?} | {reset: true}: shifts the follow-up clock (globally or for one thread). */
async function clock(req: Request, res: Response): Promise<void> {
  const body = parseOr400(Clock, req.body ?? {});
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
    const now = (await followUpClock())(t.id);
    results.push({ threadId: t.id, outcome: await deliverFollowUp({ threadId: t.id, taskId: f.taskId }, now) });
  }
  res.json({ results });
}

/** POST /sweep: runs the hourly sweep now (the emulator does not run schedules). */
async function sweep(_req: Request, res: Response): Promise<void> {
  const clock = await followUpClock();
  const followUps = await sweepFollowUps(clock);
  res.json({ ...followUps, woken: await wakeOverdueSnoozes(clock) });
}

const ROUTES: Record<string, (req: Request, res: Response) => Promise<void>> = {
  "/clock": clock,
  "/run-due": runDue,
  "/sweep": sweep,
};

/** Emulator-only helpers for tests and the local demo; answers 404 anywhere else. */
export const devFollowUps = onRequest({ region: REGION }, async (req, res) => {
  try {
    if (!runningInEmulator()) throw new HttpError(404, "not found");
    const route = ROUTES[req.path.replace(/^\/api\/dev\/followups/, "")];
    if (!route) throw new HttpError(404, "no such dev route");
    if (req.method !== "POST") throw new HttpError(405, "use POST");
    await route(req, res);
  } catch (err) {
    if (err instanceof HttpError) return sendError(res, err);
    logs.unexpectedError("devFollowUps", err);
    sendError(res, new HttpError(500, "internal error"));
  }
});
