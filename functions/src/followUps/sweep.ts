import { detectRecovery, reviewFollowUp } from "../domain/followUps";
import { WINDOW_CLOSED_LOOKBACK_MS, windowClosedFact } from "../domain/insights";
import { followUpLogs } from "../logs";
import { threadsWithOpenWindows } from "../store/followUps";
import { countFact } from "../store/insights";
import { getBusinessSettings } from "../store/settings";
import type { Reading } from "../clock";
import { followUpSettings, reviewThread } from "./review";

export interface SweepResult {
  reviewed: number;
  changed: string[];
  /** Windows found closed on unresolved conversations and counted for Insights (leads lost). */
  windowsClosed: number;
}

/**
 * The hourly safety net: every thread whose windows may still be open is reviewed with the same
 * rule as the trigger; only threads that need a change open a transaction. A second run right
 * after changes nothing. It also counts, for Insights, the windows that closed since a few runs
 * ago with no reply: a window closing is no write, so no trigger sees it.
 */
export async function sweepFollowUps(clock: Reading): Promise<SweepResult> {
  const s = await followUpSettings();
  const timeZone = (await getBusinessSettings()).hours?.timeZone ?? "UTC";
  const longestWindowMs = Math.max(...Object.values(s.policies!).map((p) => p.windowMs));
  const openSince = clock().getTime() - longestWindowMs;
  const threads = await threadsWithOpenWindows(new Date(openSince - WINDOW_CLOSED_LOOKBACK_MS));
  const changed: string[] = [];
  let reviewed = 0;
  let windowsClosed = 0;
  for (const thread of threads) {
    const now = clock(thread.id);
    const closed = windowClosedFact(thread, now);
    if (closed && (await countFact(closed, timeZone))) windowsClosed += 1;
    if ((thread.lastVisitorMessageAt?.getTime() ?? 0) < openSince) continue; // closed for good
    reviewed += 1;
    if (reviewFollowUp(thread, s, now).action === "keep" && !detectRecovery(thread)) continue;
    const review = await reviewThread(thread.id, now, s);
    if (review.action !== "keep") changed.push(thread.id);
  }
  followUpLogs.sweep(reviewed, changed.length);
  return { reviewed, changed, windowsClosed };
}
