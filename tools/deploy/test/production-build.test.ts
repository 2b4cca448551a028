// What `firebase deploy` ships from hosting/: `npm run build` (firebase.json's predeploy), built here
// into a temp dir. No emulators needed.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localAddresses } from "../../../hosting/local-addresses.mjs";

const HOSTING = new URL("../../../hosting/", import.meta.url).pathname;

function buildInto(...flags: string[]): { dir: string; files: Map<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "afterchat-build-"));
  const run = spawnSync("node", ["build.mjs", "--out", dir, ...flags], { cwd: HOSTING, encoding: "utf8" });
  assert.equal(run.status, 0, `node build.mjs ${flags.join(" ")} failed:\n${run.stdout}\n${run.stderr}`);
  return { dir, files: new Map(filesUnder(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")])) };
}

function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** The files (of `files`) whose text contains `needle`. */
const filesWith = (files: Map<string, string>, needle: string) =>
  [...files].filter(([, text]) => text.includes(needle)).map(([f]) => f);

describe("production build (what firebase deploy ships)", () => {
  let prod: ReturnType<typeof buildInto>;
  let local: ReturnType<typeof buildInto>;
  before(() => {
    prod = buildInto();
    local = buildInto("--local");
  });
  after(() => {
    for (const b of [prod, local]) if (b) rmSync(b.dir, { recursive: true, force: true });
  });

  it("serves a plain page at / that says what the site is and links to the console: no demo, no widget", () => {
    const home = prod.files.get("index.html")!;
    assert.match(home, /<title>Afterchat<\/title>/);
    assert.match(home, /href="\/console\/"/);
    assert.doesNotMatch(home, /<script/i);
    assert.doesNotMatch(home, /Sunrise Bakery|widget\.js/);
    // A reply email's link opens the chat page: the widget app in page mode, not this widget-less page.
    assert.match(prod.files.get("t/index.html")!, /<html lang="en" data-mode="page">/);
    assert.match(prod.files.get("t/index.html")!, /src="\/widget\/app\.js"/);
    // The local demo still has its bakery page with the live widget.
    assert.match(local.files.get("index.html")!, /Sunrise Bakery/);
    assert.match(local.files.get("index.html")!, /widget\.js/);
  });

  it("keeps the chat page behind reply links within 30 KB gzip (its page and the widget's app.js)", () => {
    const budgets = JSON.parse(prod.files.get("widget-budgets.json")!) as { name: string; gzip: number; ok: boolean }[];
    const chat = budgets.find((b) => b.name.startsWith("chat page"));
    assert.ok(chat, "the build measures the chat page");
    assert.ok(chat.ok && chat.gzip <= 30 * 1024, `chat page: ${chat.gzip} B gzip`);
    assert.equal(prod.files.has("t/main.js"), false, "no second chat bundle (and no Firebase SDK) behind the link");
  });

  it("names no local address in any page or script (CSP included)", () => {
    const leaks = [...prod.files].flatMap(([f, text]) => localAddresses(text).map((a) => `${f}: ${a}`));
    assert.deepEqual(leaks, []);
    assert.deepEqual(filesWith(prod.files, "127.0.0.1"), []);
    const csp = /connect-src ([^;"]*)/.exec(prod.files.get("widget/index.html")!)![1];
    assert.deepEqual(
      csp.split(/\s+/).filter((s) => s !== "'self'" && !s.startsWith("https://")),
      [],
      `widget CSP connect-src: ${csp}`,
    );
  });

  it("carries no emulator wiring, demo project, dev clock or seed admin", () => {
    for (const needle of [
      "demo-afterchat",
      "demo-key",
      "/api/dev/",
      "devFollowUps",
      "dev/clock",
      "admin@example.com",
      "admin-password",
      ":9099",
      ":8080",
      ":5001",
    ])
      assert.deepEqual(filesWith(prod.files, needle), [], `production files naming ${needle}`);
  });

  it("the local build is what wires the emulators (so the checks above can fail)", () => {
    assert.ok(filesWith(local.files, "http://127.0.0.1:9099").includes("widget/app.js"));
    assert.ok(filesWith(local.files, "demo-afterchat").includes("console/main.js"));
    assert.ok(localAddresses(local.files.get("widget/index.html")!).length > 0);
  });

  it("tells a local address from Firebase Auth's own http://localhost labels", () => {
    assert.deepEqual(localAddresses('x="http://localhost:5000"'), ["localhost"]);
    assert.deepEqual(localAddresses("connect-src http://127.0.0.1:8080"), ["127.0.0.1"]);
    const sdk = 'return f(n,"POST","/v1/accounts:signInWithIdp",me(n,e))}var cw="http://localhost",mn=1';
    assert.deepEqual(localAddresses(sdk), []);
    assert.deepEqual(localAddresses('hE=500,fE="_blank",pE="http://localhost",Hs=1'), []);
    assert.deepEqual(localAddresses(`${sdk};fetch("http://localhost")`), ["localhost"]);
  });
});
