// The security headers Hosting serves (firebase.json `hosting.headers`, issue 15), read from the
// Hosting emulator, which applies the same configuration as production.
import { strict as assert } from "node:assert";
import { HOSTING } from "../support/emulators";

async function headersOf(path: string): Promise<Headers> {
  const res = await fetch(`${HOSTING}${path}`, { redirect: "manual" });
  await res.arrayBuffer();
  assert.ok(res.status < 400, `${path} answered ${res.status}`);
  return res.headers;
}

const csp = (h: Headers) => h.get("content-security-policy") ?? "";

describe("Hosting security headers (firebase.json)", function () {
  const everyPage = ["/", "/console/", "/console/some/thread", "/t/", "/t/resume.abc.def", "/widget/", "/push/"];
  const notFramed = ["/", "/console/", "/console/some/thread", "/t/", "/t/resume.abc.def", "/push/"];
  const tokenPages = ["/t/", "/t/resume.abc.def", "/push/"];

  for (const path of [...everyPage, "/widget.js", "/push-sw.js"]) {
    it(`${path}: nosniff and HSTS`, async () => {
      const h = await headersOf(path);
      assert.equal(h.get("x-content-type-options"), "nosniff");
      assert.match(h.get("strict-transport-security") ?? "", /^max-age=31536000; includeSubDomains$/);
    });
  }

  for (const path of notFramed) {
    it(`${path}: may not be framed by any site and runs only the site's own scripts`, async () => {
      const h = await headersOf(path);
      assert.match(csp(h), /(^|;\s*)frame-ancestors 'none'(;|$)/);
      assert.match(csp(h), /base-uri 'none'/);
      assert.match(csp(h), /object-src 'none'/);
      assert.match(csp(h), /(^|;\s*)script-src 'self'(;|$)/, "only the site's own scripts, none inline");
      assert.equal(h.get("x-frame-options"), "DENY");
    });
  }

  for (const path of tokenPages) {
    it(`${path}: sends no referrer (the page's address may carry a link token or a thread)`, async () => {
      assert.equal((await headersOf(path)).get("referrer-policy"), "no-referrer");
    });
  }

  it("/console/: tells other sites at most its origin (never which thread; an API key restricted by referrer keeps working)", async () => {
    assert.equal((await headersOf("/console/some/thread")).get("referrer-policy"), "strict-origin");
  });

  it("/widget/: stays embeddable in the business's pages, with the rest of the policy", async () => {
    const h = await headersOf("/widget/");
    assert.doesNotMatch(csp(h), /frame-ancestors/);
    assert.equal(h.get("x-frame-options"), null);
    assert.match(csp(h), /object-src 'none'/);
    const loader = await headersOf("/widget.js");
    assert.equal(loader.get("access-control-allow-origin"), "*", "the loader's own headers are kept");
  });

  it("no header Hosting adds names a local address (the same file is deployed)", async () => {
    for (const path of [...everyPage, "/widget.js"]) {
      const h = await headersOf(path);
      for (const [name, value] of h) assert.doesNotMatch(value, /127\.0\.0\.1|localhost/, `${path} ${name}`);
    }
  });
});
