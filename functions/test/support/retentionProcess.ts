// A retention sweep in a Node process of its own, writing under a project id of its own
// (AFTERCHAT_PROJECT), so no emulated trigger fires for the 1,000 threads the retention test seeds
// and erases: only the sweep's own code runs, as the hourly function runs it. The parent passes the
// sweeps to run as JSON in argv[2] and reads one JSON line per sweep on stdout (function logs are
// JSON lines too: ours carry a "sweep" key).
import { sweepRetention, type RetentionOptions } from "../../src/lifecycle/retention";
import { ops } from "../../src/store/ops";

interface Sweep {
  /** The sweep's clock. */
  nowMs: number;
  options?: RetentionOptions;
  /** Sweep again, on the same clock, until one reports done. */
  untilDone?: boolean;
}

async function main(sweeps: Sweep[]): Promise<void> {
  for (const s of sweeps) {
    for (let run = 1; ; run++) {
      ops.reset();
      const result = await sweepRetention(() => new Date(s.nowMs), s.options);
      process.stdout.write(`${JSON.stringify({ sweep: result, ops: ops.snapshot() })}\n`);
      if (!s.untilDone || result.done) break;
      if (run >= 30 || result.erased === 0) throw new Error(`sweeps stopped moving on: ${JSON.stringify(result)}`);
    }
  }
}

main(JSON.parse(process.argv[2]!) as Sweep[]).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
