// End to end: `npm run doctor` in its own process, with its real client libraries and real ADC
// refresh-token exchange, against the stand-in serving a healthy and a broken project.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadDeclared, StaleBuild, type Declared } from "../manifest";
import { startStandin, writeUserCredentials, type Standin } from "../standin";
import { PROJECT, recording } from "./support";

const ROOT = resolve(__dirname, "..", "..", "..");
const FUNCTIONS = join(ROOT, "functions");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the npm script as the owner would; async, so the stand-in in this process can answer. */
function doctor(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((done) => {
    execFile(
      "npm",
      ["run", "--silent", "doctor", "--", ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ...env,
          // Never Google: no metadata server probing, and any stray https call to a real API fails at once.
          METADATA_SERVER_DETECTION: "none",
          HTTPS_PROXY: "http://127.0.0.1:9",
          NO_PROXY: "127.0.0.1",
        },
        timeout: 60_000,
      },
      (err, stdout, stderr) => done({ code: typeof err?.code === "number" ? err.code : err ? 1 : 0, stdout, stderr }),
    );
  });
}

/** The build the doctor reads: built now if missing or older than the source. */
function declaredCode(): Declared {
  try {
    return loadDeclared(FUNCTIONS);
  } catch (err) {
    if (!(err instanceof StaleBuild)) throw err;
    const build = spawnSync("npm", ["run", "build", "-w", "functions"], { cwd: ROOT, stdio: "inherit" });
    assert.equal(build.status, 0, "npm run build -w functions");
    return loadDeclared(FUNCTIONS);
  }
}

const failures = (stdout: string) => stdout.split("\n").filter((l) => l.startsWith("✘"));
const fixAfter = (stdout: string, start: string) => {
  const lines = stdout.split("\n");
  const i = lines.findIndex((l) => l.startsWith(start));
  assert.ok(i >= 0, `no line starts with ${start}\n${stdout}`);
  return lines[i + 1]?.replace(/^ {4}fix: /, "");
};

describe("npm run doctor (end to end, against the stand-in)", function () {
  this.timeout(120_000);
  let declared: Declared;
  const dir = mkdtempSync(join(tmpdir(), "doctor-adc-"));
  const withQuota = writeUserCredentials(dir, PROJECT);
  const withoutQuota = writeUserCredentials(dir);

  before(() => {
    declared = declaredCode();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function against(
    name: "healthy" | "broken",
    adc: string,
    extra: string[] = [],
  ): Promise<Run & { standin: Standin }> {
    const standin = await startStandin(recording(name));
    try {
      const run = await doctor(
        ["--project", PROJECT, "--api-root", standin.apiRoot, "--public-url", standin.siteUrl, ...extra],
        {
          GOOGLE_APPLICATION_CREDENTIALS: adc,
          NODE_EXTRA_CA_CERTS: standin.caFile,
        },
      );
      return { ...run, standin };
    } finally {
      await standin.close();
    }
  }

  let healthy: Run & { standin: Standin };

  it("a healthy project: every check passes, exit 0", async () => {
    const run = (healthy = await against("healthy", withQuota));
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(failures(run.stdout), []);
    assert.match(run.stdout, /^All \d+ checks pass\.$/m);
    for (const q of declared.queues) {
      assert.match(
        run.stdout,
        new RegExp(`^✔ task queue ${q.functionId} \\(${q.region}\\): RUNNING, as the code declares`, "m"),
      );
    }
    for (const s of declared.secrets) assert.match(run.stdout, new RegExp(`^✔ secret ${s}: exists`, "m"));
    assert.match(run.stdout, /^✔ credentials: user credentials, quota project afterchat-demo$/m);
  });

  it("asks Cloud Tasks for exactly the queues the code declares, by function id, with the owner's token and quota project", async () => {
    const { standin } = healthy;
    const queues = standin.requests.filter((r) => r.service === "cloudtasks").map((r) => r.path);
    assert.deepEqual(
      queues.sort(),
      declared.queues.map((q) => `/v2/projects/${PROJECT}/locations/${q.region}/queues/${q.functionId}`).sort(),
    );
    assert.equal(standin.requests.filter((r) => r.service === "oauth2").length, 1, "one refresh-token exchange");
    assert.ok(standin.requests.filter((r) => r.service !== "oauth2").every((r) => r.quotaProject === PROJECT));
    assert.ok(
      standin.requests.every((r) => r.service !== "unknown"),
      JSON.stringify(standin.requests),
    );
  });

  it("a broken project: each fault on its own line with one fix, exit 1", async () => {
    const run = await against("broken", withQuota);
    assert.equal(run.code, 1, run.stderr);
    const expected: Array<[string, string]> = [
      [
        "✘ APIs enabled:",
        "gcloud services enable cloudscheduler.googleapis.com firebaserules.googleapis.com --project=afterchat-demo",
      ],
      [
        "✘ task queue sendFollowUp (us-central1): missing",
        "npx firebase deploy --only functions:sendFollowUp --project=afterchat-demo",
      ],
      [
        "✘ task queue continuityTask (us-central1): differs from the code",
        "npx firebase deploy --only functions:continuityTask --project=afterchat-demo",
      ],
      [
        "✘ task queue wakeSnoozed (us-central1): paused",
        "gcloud tasks queues resume wakeSnoozed --location=us-central1 --project=afterchat-demo",
      ],
      ["✘ secret SMTP_URL: missing", "npx firebase functions:secrets:set SMTP_URL --project=afterchat-demo"],
      [
        "✘ Pub/Sub topic afterchat-events: missing",
        "gcloud pubsub topics create afterchat-events --project=afterchat-demo",
      ],
      ["✘ PUBLIC_URL serves /widget.js:", "npx firebase deploy --only hosting --project=afterchat-demo"],
      [
        "✘ 123456789012-compute has roles/cloudtasks.taskDeleter:",
        "gcloud projects add-iam-policy-binding afterchat-demo --member=serviceAccount:123456789012-compute@developer.gserviceaccount.com --role=roles/cloudtasks.taskDeleter --condition=None",
      ],
    ];
    for (const [line, fix] of expected) assert.equal(fixAfter(run.stdout, line), fix, line);
    assert.match(
      fixAfter(run.stdout, "✘ Auth: Anonymous sign-in:"),
      /^curl -sS -X PATCH .*updateMask=signIn\.anonymous\.enabled"$/,
    );
    assert.match(
      fixAfter(run.stdout, "✘ Auth: sign-up open to the widget:"),
      /updateMask=client\.permissions\.disabledUserSignup"$/,
    );
    assert.equal(failures(run.stdout).length, 14, run.stdout);
    assert.match(run.stdout, /^14 of \d+ checks fail\.$/m);
  });

  it("user credentials without a quota project: said plainly, fixed by --quota-project", async () => {
    const bare = await against("healthy", withoutQuota);
    assert.equal(bare.code, 1);
    assert.equal(
      fixAfter(bare.stdout, "✘ credentials:"),
      "gcloud auth application-default set-quota-project afterchat-demo",
    );
    assert.match(
      bare.stdout,
      /^✘ APIs enabled: could not read it: 403 serviceusage\.googleapis\.com refuses user credentials without a quota project$/m,
    );
    const flagged = await against("healthy", withoutQuota, ["--quota-project", PROJECT]);
    assert.equal(flagged.code, 0, flagged.stdout);
    assert.ok(flagged.standin.requests.filter((r) => r.service !== "oauth2").every((r) => r.quotaProject === PROJECT));
  });

  it("no credentials: one line saying to log in", async () => {
    const run = await doctor(["--project", PROJECT, "--api-root", "http://127.0.0.1:9"], {
      GOOGLE_APPLICATION_CREDENTIALS: join(dir, "missing.json"),
    });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(fixAfter(run.stdout, "✘ credentials:"), "gcloud auth application-default login");
  });

  it("a wrong command line exits 2 with the usage", async () => {
    const none = await doctor([], {});
    assert.equal(none.code, 2);
    assert.match(none.stderr, /usage: npm run doctor -- --project <projectId>/);
    const demo = await doctor(["--project", "demo-afterchat"], {});
    assert.equal(demo.code, 2);
    assert.match(demo.stderr, /--project is an emulator-only project/);
  });
});
