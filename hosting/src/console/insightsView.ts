// The Insights view (issue 19), loaded only when an agent opens it: its own chunk with uPlot, so the
// console's first load does not grow. What it needs from the console (the callable, the DOM helpers)
// is handed in by main.ts rather than imported, so esbuild splits no shared chunk off main.js.
import uPlot from "uplot";
import uPlotCss from "uplot/dist/uPlot.min.css";
import type { CallableResponse } from "../../../functions/src/contract/callables";
import { insightsCsv, type InsightRow } from "../../../functions/src/domain/insightsTable";
import type { call as Call } from "./backend";
import type { clear as Clear, h as H } from "./dom";

export interface InsightsDeps {
  call: typeof Call;
  h: typeof H;
  clear: typeof Clear;
}

type Report = CallableResponse<"readInsights">;
type Range = 7 | 30 | 90;

/** One figure: what its numbers and its chart show. */
interface Figure {
  id: string;
  title: string;
  /** The range's totals as [label, data-figure key, text]. */
  totals: (t: InsightRow) => Array<[string, string, string]>;
  series: Array<{ label: string; value: (r: InsightRow) => number | null; color: string }>;
}

const minutes = (m: number | null) =>
  m === null ? "—" : m < 60 ? `${m} min` : m < 48 * 60 ? `${(m / 60).toFixed(1)} h` : `${(m / 1440).toFixed(1)} d`;
const percent = (r: number | null) => (r === null ? "—" : `${Math.round(r * 100)}%`);

const FIGURES: Figure[] = [
  {
    id: "started",
    title: "Conversations started",
    totals: (t) => [
      ["Website", "startedWeb", String(t.startedWeb)],
      ["Business Messages", "startedBm", String(t.startedBm)],
    ],
    series: [
      { label: "Website", value: (r) => r.startedWeb, color: "#1d4ed8" },
      { label: "Business Messages", value: (r) => r.startedBm, color: "#047857" },
    ],
  },
  {
    id: "response",
    title: "First response time",
    totals: (t) => [
      ["Within opening hours, median", "medianOpenMin", minutes(t.medianOpenMin)],
      ["Within opening hours, p90", "p90OpenMin", minutes(t.p90OpenMin)],
      ["Outside opening hours, median", "medianClosedMin", minutes(t.medianClosedMin)],
      ["Outside opening hours, p90", "p90ClosedMin", minutes(t.p90ClosedMin)],
    ],
    series: [
      { label: "Median within hours (min)", value: (r) => r.medianOpenMin, color: "#1d4ed8" },
      { label: "Median outside hours (min)", value: (r) => r.medianClosedMin, color: "#b45309" },
    ],
  },
  {
    id: "reached",
    title: "Replies that reached visitors after they left",
    totals: (t) => [
      ["Web push", "reachedPush", String(t.reachedPush)],
      ["Email", "reachedEmail", String(t.reachedEmail)],
      ["Business Messages", "reachedBm", String(t.reachedBm)],
    ],
    series: [
      { label: "Web push", value: (r) => r.reachedPush, color: "#7c3aed" },
      { label: "Email", value: (r) => r.reachedEmail, color: "#1d4ed8" },
      { label: "Business Messages", value: (r) => r.reachedBm, color: "#047857" },
    ],
  },
  {
    id: "recovered",
    title: "Follow-ups and leads recovered",
    totals: (t) => [
      ["Follow-ups sent", "followUpsSent", String(t.followUpsSent)],
      ["Leads recovered", "recovered", String(t.recovered)],
      ["Recovery rate", "recoveryRate", percent(t.recoveryRate)],
    ],
    series: [
      { label: "Follow-ups sent", value: (r) => r.followUpsSent, color: "#b45309" },
      { label: "Leads recovered", value: (r) => r.recovered, color: "#047857" },
    ],
  },
  {
    id: "lost",
    title: "Windows closed with no reply (leads lost)",
    totals: (t) => [["Windows closed", "windowsClosed", String(t.windowsClosed)]],
    series: [{ label: "Windows closed", value: (r) => r.windowsClosed, color: "#b91c1c" }],
  },
];

let range: Range = 30;
let shown: Report | undefined;
let charts: uPlot[] = [];
let styled = false;

/** Renders Insights into the pane (every time the agent opens it: the figures are read again). */
export async function showInsights(pane: HTMLElement, deps: InsightsDeps): Promise<void> {
  if (!styled) {
    document.head.append(deps.h("style", {}, uPlotCss));
    styled = true;
  }
  const { h, clear } = deps;
  const status = h("p", { id: "insights-status", role: "status" }, "Loading…");
  const body = h("div", { id: "insights-body" });
  const picker = h(
    "select",
    {
      id: "insights-range",
      onchange: (e: Event) => {
        range = Number((e.target as HTMLSelectElement).value) as Range;
        void load(deps, status, body);
      },
    },
    ...([7, 30, 90] as const).map((d) => h("option", { value: String(d), selected: d === range }, `Last ${d} days`)),
  );
  const download = h("button", { type: "button", id: "insights-csv", onclick: () => downloadCsv() }, "Download CSV");
  const title = h("h2", { id: "insights-title", tabindex: "-1" }, "Insights");
  clear(pane, title, h("div", { class: "insights-bar" }, h("label", {}, "Range ", picker), download), status, body);
  // Navigated to: start at the top (the pane kept its last scroll) with the heading in view and focused,
  // as a thread's title is, so a screen reader announces where the agent landed.
  pane.scrollTop = 0;
  title.focus();
  await load(deps, status, body);
}

/** Charts hold canvases and listeners: dropped when the view is left. */
export function hideInsights(): void {
  for (const c of charts) c.destroy();
  charts = [];
}

async function load(deps: InsightsDeps, status: HTMLElement, body: HTMLElement): Promise<void> {
  status.textContent = "Loading…";
  try {
    shown = await deps.call("readInsights", { rangeDays: range });
  } catch (err) {
    status.textContent = `Insights could not be loaded: ${(err as Error).message}`;
    return;
  }
  hideInsights();
  const report = shown;
  deps.clear(body, ...FIGURES.map((f) => figure(deps, f, report)), dailyTable(deps, report));
  status.textContent = `${report.rows.length} days to ${report.rows[report.rows.length - 1]?.day ?? ""}, in ${report.timeZone}.`;
  body.dataset.loaded = String(range);
}

function figure(deps: InsightsDeps, f: Figure, report: Report): HTMLElement {
  const { h } = deps;
  const chart = h("div", {
    class: "insights-chart",
    role: "img",
    "aria-label": `${f.title}, per day: ${f.series.map((s) => s.label).join(", ")}. The daily figures table below has the numbers.`,
  });
  const section = h(
    "section",
    { class: "insights-figure", "aria-labelledby": `fig-${f.id}` },
    h("h3", { id: `fig-${f.id}` }, f.title),
    h(
      "dl",
      {},
      ...f
        .totals(report.total)
        .flatMap(([label, key, text]) => [h("dt", {}, label), h("dd", { "data-figure": key }, text)]),
    ),
    chart,
  );
  // uPlot measures nothing itself: it draws at the size given, after the section is in the page.
  queueMicrotask(() => charts.push(drawChart(f, report.rows, chart)));
  return section;
}

function drawChart(f: Figure, rows: InsightRow[], into: HTMLElement): uPlot {
  const xs = rows.map((r) => Date.parse(`${r.day}T12:00:00Z`) / 1000);
  const data = [xs, ...f.series.map((s) => rows.map((r) => s.value(r)))] as uPlot.AlignedData;
  return new uPlot(
    {
      width: Math.min(360, Math.max(240, into.clientWidth || 320)),
      height: 140,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      // Points as well as lines: a median exists only on days with a response, often a lone point.
      series: [
        {},
        ...f.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          spanGaps: true,
          points: { show: true, size: 4 },
        })),
      ],
      axes: [{ stroke: "#4b5563" }, { stroke: "#4b5563", size: 40 }],
    },
    data,
    into,
  );
}

/** The numbers behind every chart, as text: what a screen reader reads, and what the CSV holds. */
function dailyTable({ h }: InsightsDeps, report: Report): HTMLElement {
  const cells = (r: InsightRow) =>
    [
      r.day,
      r.startedWeb,
      r.startedBm,
      minutes(r.medianOpenMin),
      minutes(r.medianClosedMin),
      r.reachedPush,
      r.reachedEmail,
      r.reachedBm,
      r.followUpsSent,
      r.recovered,
      r.windowsClosed,
    ].map(String);
  const headers = [
    "Day",
    "Website",
    "Business Messages",
    "Median response within hours",
    "Median response outside hours",
    "Push",
    "Email",
    "Business Messages replies",
    "Follow-ups",
    "Recovered",
    "Windows closed",
  ];
  return h(
    "details",
    { class: "insights-daily" },
    h("summary", {}, "Daily figures"),
    h(
      "table",
      { id: "insights-table" },
      h("caption", {}, `Per day, in ${report.timeZone}`),
      h("thead", {}, h("tr", {}, ...headers.map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ...report.rows.map((r) => h("tr", { "data-day": r.day }, ...cells(r).map((c) => h("td", {}, c))))),
    ),
  );
}

function downloadCsv(): void {
  if (!shown) return;
  const blob = new Blob([insightsCsv(shown.rows)], { type: "text/csv;charset=utf-8" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  const rows = shown.rows;
  link.download = `afterchat-insights-${rows[0]?.day ?? ""}-${rows[rows.length - 1]?.day ?? ""}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
