import { detectRecovery, reviewFollowUp } from "../domain/followUps";
import { followUpLogs } from "../logs";
import { threadsWithOpenWindows } from "../store/followUps";
import type { Reading } from "../clock";
import { followUpSettings, reviewThread } from "./review";

export interface SweepResult {
  reviewed: number;
  changed: string[];
}

/**
 * The hourly safety net: every thread whose windows may still be open is reviewed with the same
 * rule as the trigger; only threads that need a change open a transaction. A second run right
 * after changes nothing.
 */
export async function sweepFollowUps(clock: Reading): Promise<SweepResult> {
  const s = await followUpSettings();
  const longestWindowMs = Math.max(...Object.values(s.policies!).map((p) => p.windowMs));
  const threads = await threadsWithOpenWindows(new Date(clock().getTime() - longestWindowMs));
  const changed: string[] = [];
  for (const thread of threads) {
    const now = clock(thread.id);
    if (reviewFollowUp(thread, s, now).action === "keep" && !detectRecovery(thread)) continue;
    const review = await reviewThread(thread.id, now, s);
    if (review.action !== "keep") changed.push(thread.id);
  }
  followUpLogs.sweep(threads.length, changed.length);
  return { reviewed: threads.length, changed };
}
