import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { startupProblems } from "../../src/config";
import { entropyBits, publicUrlProblem, secretProblem } from "../../src/domain/deploymentChecks";

const strong = () => randomBytes(32).toString("base64");

describe("deployment checks (cold start)", () => {
  it("PUBLIC_URL must be an https origin that is not a local address", () => {
    assert.equal(publicUrlProblem("https://shop-chat.web.app"), undefined);
    assert.equal(publicUrlProblem("https://chat.example.com/"), undefined);
    assert.match(publicUrlProblem("http://127.0.0.1:5000")!, /not https/);
    assert.match(publicUrlProblem("http://shop-chat.web.app")!, /not https/);
    assert.match(publicUrlProblem("https://localhost:5000")!, /local address/);
    assert.match(publicUrlProblem("https://127.0.0.1")!, /local address/);
    assert.match(publicUrlProblem("")!, /not set/);
    assert.match(publicUrlProblem("shop-chat.web.app")!, /not a URL/);
  });

  it("signing secrets need 32 characters and real randomness; the message never shows the value", () => {
    assert.equal(secretProblem("LINK_SIGNING_SECRET", strong()), undefined);
    assert.equal(secretProblem("LINK_SIGNING_SECRET", randomBytes(16).toString("hex")), undefined);
    assert.match(secretProblem("BM_CLIENT_TOKEN", "")!, /is empty/);
    assert.match(secretProblem("BM_CLIENT_TOKEN", "local-client-token")!, /18 characters, fewer than 32/);
    assert.match(secretProblem("BM_CLIENT_TOKEN", "a".repeat(40))!, /repeated/);
    assert.match(secretProblem("BM_CLIENT_TOKEN", "password".repeat(5))!, /repeated/);
    const lowEntropy = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";
    const problem = secretProblem("BM_CLIENT_TOKEN", lowEntropy)!;
    assert.match(problem, /guessable \(about \d+ bits/);
    assert.ok(!problem.includes(lowEntropy));
  });

  it("estimates entropy from the value's own characters", () => {
    assert.equal(entropyBits("aaaa"), 0);
    assert.equal(entropyBits("abab"), 4);
    assert.ok(entropyBits(strong()) > 150);
  });

  it("a deployed function refuses http PUBLIC_URL and weak mounted secrets; the emulator is not checked", () => {
    const ok = { PUBLIC_URL: "https://shop.web.app", LINK_SIGNING_SECRET: strong(), BM_CLIENT_TOKEN: strong() };
    assert.deepEqual(startupProblems(ok), []);
    // A function sees only the secrets it declares: an unmounted one is not a problem.
    assert.deepEqual(startupProblems({ PUBLIC_URL: "https://shop.web.app" }), []);
    const bad = startupProblems({ PUBLIC_URL: "http://127.0.0.1:5000", LINK_SIGNING_SECRET: "short" });
    assert.equal(bad.length, 2);
    assert.match(bad[0], /PUBLIC_URL "http:\/\/127.0.0.1:5000" is not https/);
    assert.match(bad[1], /LINK_SIGNING_SECRET is 5 characters/);
    const local = { FUNCTIONS_EMULATOR: "true", PUBLIC_URL: "http://127.0.0.1:5000", LINK_SIGNING_SECRET: "local" };
    assert.deepEqual(startupProblems(local), []);
  });

  it("App Check on the widget API without the widget's site key is refused at startup", () => {
    const base = { PUBLIC_URL: "https://shop.web.app" };
    assert.deepEqual(startupProblems({ ...base, WIDGET_APP_CHECK: "false" }), []);
    assert.deepEqual(startupProblems({ ...base, WIDGET_APP_CHECK: "true", WIDGET_APP_CHECK_SITE_KEY: "6Lc-key" }), []);
    const [problem] = startupProblems({ ...base, WIDGET_APP_CHECK: "true", WIDGET_APP_CHECK_SITE_KEY: "" });
    assert.match(problem, /WIDGET_APP_CHECK_SITE_KEY is empty/);
  });
});
