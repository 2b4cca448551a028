// Cold import cost of each deployed function's module graph, in fresh Node processes, as a ratio
// to importing firebase-functions and firebase-admin alone (the floor any function pays).
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { root } from "../../tools/proc.mjs";
import { median } from "../stats.mjs";

const RUNS = 7;
const functionsDir = `${root}/functions`;

function importMs(code) {
  const script = `const t = performance.now(); ${code}; process.stdout.write(String(performance.now() - t));`;
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    samples.push(Number(execFileSync(process.execPath, ["-e", script], { cwd: functionsDir, encoding: "utf8" })));
  }
  return median(samples);
}

export function measureColdStart() {
  const baseline = importMs(`require("firebase-functions"); require("firebase-admin")`);
  const endpoints = readdirSync(`${functionsDir}/lib/endpoints`).filter((f) => f.endsWith(".js"));
  const perFunction = endpoints.map((file) => {
    const t = importMs(`require("./lib/endpoints/${file}")`);
    return { function: file.replace(/\.js$/, ""), ms: t, ratio: t / baseline };
  });
  return { baselineMs: baseline, runs: RUNS, perFunction };
}
