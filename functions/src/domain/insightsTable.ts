/**
 * The Insights table: one row per day, one column per figure. Dependency-free, so the console's
 * Insights chunk renders and exports (CSV) exactly what the readInsights callable computed.
 */
export interface InsightRow {
  /** yyyy-mm-dd in the business's zone (the totals row: first..last). */
  day: string;
  startedWeb: number;
  startedBm: number;
  /** First responses to conversations started within opening hours, and their median / p90 (minutes). */
  responsesOpen: number;
  medianOpenMin: number | null;
  p90OpenMin: number | null;
  /** The same for conversations started outside opening hours. */
  responsesClosed: number;
  medianClosedMin: number | null;
  p90ClosedMin: number | null;
  /** Replies that reached visitors after they left, by channel. */
  reachedPush: number;
  reachedEmail: number;
  reachedBm: number;
  followUpsSent: number;
  /** Leads recovered, and per follow-up or continuity message sent (0..1). */
  recovered: number;
  recoveryRate: number | null;
  /** Windows that closed with no reply: the leads lost. */
  windowsClosed: number;
}

/** Column order and headers of the CSV (and the order of the figures on screen). */
export const INSIGHT_COLUMNS: ReadonlyArray<readonly [keyof InsightRow, string]> = [
  ["day", "day"],
  ["startedWeb", "conversations_web"],
  ["startedBm", "conversations_business_messages"],
  ["responsesOpen", "first_responses_open_hours"],
  ["medianOpenMin", "median_first_response_open_hours_min"],
  ["p90OpenMin", "p90_first_response_open_hours_min"],
  ["responsesClosed", "first_responses_outside_hours"],
  ["medianClosedMin", "median_first_response_outside_hours_min"],
  ["p90ClosedMin", "p90_first_response_outside_hours_min"],
  ["reachedPush", "reached_after_left_push"],
  ["reachedEmail", "reached_after_left_email"],
  ["reachedBm", "reached_after_left_business_messages"],
  ["followUpsSent", "follow_ups_sent"],
  ["recovered", "leads_recovered"],
  ["recoveryRate", "recovery_rate"],
  ["windowsClosed", "windows_closed_no_reply"],
];

/** An empty cell for "no data" (a median with no response), never the text "null". */
export function cell(value: string | number | null): string {
  return value === null ? "" : String(value);
}

/** RFC 4180 CSV: a header row, then one row per day. Values are numbers and dates: nothing to quote. */
export function insightsCsv(rows: InsightRow[]): string {
  const lines = [INSIGHT_COLUMNS.map(([, header]) => header).join(",")];
  for (const row of rows) lines.push(INSIGHT_COLUMNS.map(([key]) => cell(row[key])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
