// The functions manifest as `firebase deploy` reads it: firebase-functions' own loader over the built
// code (what its discovery server returns), so params and regions are checked where deploy sees them.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { REGION } from "../../../functions/src/contract/deployment";
import { staleBuild } from "../../doctor/manifest";

const ROOT = new URL("../../../", import.meta.url).pathname;

interface Param {
  name: string;
  type: string;
  default?: unknown;
  input?: { text?: { validationRegex?: string } };
}
interface Stack {
  endpoints: Record<string, { region?: string[] }>;
  params: Param[];
}

describe("functions manifest (what firebase deploy reads)", () => {
  let stack: Stack;
  before(async function () {
    this.timeout(180_000);
    // npm test has just built it (and runs this suite beside the emulators, which load that build).
    if (staleBuild(join(ROOT, "functions"))) {
      const build = spawnSync("npm", ["run", "build", "-w", "functions"], { cwd: ROOT, encoding: "utf8" });
      assert.equal(build.status, 0, `npm run build -w functions:\n${build.stdout}\n${build.stderr}`);
    }
    const require = createRequire(join(ROOT, "package.json"));
    const { loadStack } = require(join(ROOT, "node_modules/firebase-functions/lib/runtime/loader.js"));
    delete process.env.FUNCTIONS_EMULATOR; // as firebase deploy's discovery loads the code
    stack = await loadStack(join(ROOT, "functions"));
  });

  it("PUBLIC_URL has no default, and the deploy prompt accepts only an https origin", () => {
    const param = stack.params.find((p) => p.name === "PUBLIC_URL")!;
    assert.ok(param, "PUBLIC_URL is declared");
    assert.equal(param.default, undefined, "a default would be pre-filled at the deploy prompt");
    const accepts = new RegExp(param.input!.text!.validationRegex!);
    for (const good of ["https://shop-chat.web.app", "https://chat.example.com/"]) assert.ok(accepts.test(good), good);
    for (const bad of ["http://127.0.0.1:5000", "http://shop-chat.web.app", "https://shop-chat.web.app/chat", ""])
      assert.ok(!accepts.test(bad), bad);
  });

  it("no param defaults to a local address", () => {
    const local = stack.params.filter((p) => /127\.0\.0\.1|localhost/.test(String(p.default ?? "")));
    assert.deepEqual(
      local.map((p) => p.name),
      [],
    );
  });

  it("the emulator's dev controls are not deployed, and every Hosting rewrite names a deployed function", () => {
    assert.equal("devFollowUps" in stack.endpoints, false, "devFollowUps (the dev clock) is emulator-only");
    const hosting = (
      JSON.parse(readFileSync(join(ROOT, "firebase.json"), "utf8")) as {
        hosting: { rewrites: Array<{ function?: { functionId: string } }> };
      }
    ).hosting;
    const targets = hosting.rewrites.flatMap((r) => (r.function ? [r.function.functionId] : []));
    assert.ok(targets.length > 0);
    assert.deepEqual(
      targets.filter((id) => !(id in stack.endpoints)),
      [],
      "a rewrite to a function that is not deployed fails the deploy",
    );
  });

  it("every function deploys to the one region", () => {
    const regions = new Set(Object.values(stack.endpoints).flatMap((e) => e.region ?? []));
    assert.ok(Object.keys(stack.endpoints).length > 0);
    assert.deepEqual([...regions], [REGION]);
  });

  it("a deployed function refuses to start on an http PUBLIC_URL, with one clear log line", () => {
    // A fresh process, as a cold start: firebase-functions runs onInit before the first request.
    const coldStart = (publicUrl: string) =>
      spawnSync(
        process.execPath,
        [
          "-e",
          `const res = { status() { return res; }, json() {}, send() {}, set() {}, setHeader() {}, end() {}, on() {} };
           require("./functions/lib/index.js").health({ method: "GET", headers: {}, url: "/api/health" }, res)
             .then(() => console.log("SERVED"), (e) => console.log("REFUSED " + e.message));`,
        ],
        {
          cwd: ROOT,
          encoding: "utf8",
          env: { PATH: process.env.PATH, GCLOUD_PROJECT: "shop-chat", PUBLIC_URL: publicUrl },
        },
      );
    const refused = coldStart("http://127.0.0.1:5000");
    assert.match(
      refused.stdout,
      /REFUSED Afterchat refuses to start: PUBLIC_URL "http:\/\/127\.0\.0\.1:5000" is not https/,
    );
    const logLines = refused.stderr.split("\n").filter((l) => l.includes('"severity":"ERROR"'));
    assert.equal(logLines.length, 1, refused.stderr);
    const served = coldStart("https://shop-chat.web.app");
    assert.doesNotMatch(served.stdout + served.stderr, /refuses to start/);
    assert.match(served.stdout, /SERVED/);
  });
});
