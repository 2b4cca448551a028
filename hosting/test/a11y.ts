// axe-core in the page: WCAG 2.1 A and AA rules, run where the page (or the widget's frame) is.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { Frame, Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** The WCAG 2.1 A/AA violations axe finds in this document, one readable line per element. */
export async function accessibilityViolations(where: Page | Frame): Promise<string[]> {
  if (!(await where.evaluate("typeof window.axe === 'object'"))) await where.evaluate(AXE_SOURCE);
  const violations = (await where.evaluate(
    `window.axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(TAGS)} }, resultTypes: ["violations"] })
       .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
         nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`,
  )) as Violation[];
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(n.target)} ${n.failureSummary ?? ""}`),
  );
}
