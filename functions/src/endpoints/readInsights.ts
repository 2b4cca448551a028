import { clock } from "../clock";
import { insightsReport, lastDays } from "../domain/insights";
import { defineCallable } from "../http/callable";
import { readDailyCounters } from "../store/insights";
import { getBusinessSettings } from "../store/settings";

/**
 * Agents and admins: Insights for the last 7, 30 or 90 days (today included) in the business's
 * zone. One range query over the closed days' rollups and one over the shards not folded yet;
 * closed days found as shards are folded on the way, so the next open reads one document per
 * closed day plus today's shards. Never reads a thread.
 */
export const readInsights = defineCallable("readInsights", { roles: ["agent", "admin"] }, async ({ rangeDays }) => {
  const now = await clock.now();
  const timeZone = (await getBusinessSettings(now.getTime())).hours?.timeZone ?? "UTC";
  const days = lastDays(now, rangeDays, timeZone);
  const today = days[days.length - 1]!;
  const { byDay, reads } = await readDailyCounters(days[0]!, today, today);
  return { timeZone, ...insightsReport(days, byDay), reads };
});
