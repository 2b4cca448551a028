// `npm run admin:create` under the owner's user credentials: the quota project that keeps Auth and
// Firestore from answering 403 (the bootstrap itself is tested on the emulators in console.test.ts).
import { strict as assert } from "node:assert";

// A dynamic import: the script's top-level await keeps it from being require()d.
type AdminCreate = typeof import("../../admin-create.mjs");
let options: AdminCreate["options"];
let quotaProjectFor: AdminCreate["quotaProjectFor"];
let UsageError: AdminCreate["UsageError"];

describe("admin:create quota project", () => {
  before(async () => {
    ({ options, quotaProjectFor, UsageError } = await import("../../admin-create.mjs"));
  });

  it("takes --quota-project for a deployed project, and refuses it with --emulator or when malformed", () => {
    const opts = options(["Owner@Shop.com", "--project", "shop-chat", "--quota-project", "shop-billing"]);
    assert.deepEqual(
      { email: opts.email, projectId: opts.projectId, quotaProject: opts.quotaProject },
      { email: "owner@shop.com", projectId: "shop-chat", quotaProject: "shop-billing" },
    );
    assert.equal(options(["a@b.co", "--project", "shop-chat"]).quotaProject, undefined);
    assert.throws(() => options(["a@b.co", "--emulator", "--quota-project", "shop-billing"]), UsageError);
    assert.throws(() => options(["a@b.co", "--project", "shop-chat", "--quota-project", "Not A Project"]), UsageError);
  });

  it("bills the option, else the environment's or ADC's quota project, else (user credentials) the project", () => {
    const base = { projectId: "shop-chat", userCredentials: true };
    assert.equal(quotaProjectFor({ ...base, quotaProject: "q", envQuotaProject: "e", adcQuotaProject: "a" }), "q");
    assert.equal(quotaProjectFor({ ...base, envQuotaProject: "e", adcQuotaProject: "a" }), "e");
    assert.equal(quotaProjectFor({ ...base, adcQuotaProject: "a" }), "a");
    assert.equal(quotaProjectFor(base), "shop-chat");
    // A service account bills its own project: no header needed, none forced on it.
    assert.equal(quotaProjectFor({ projectId: "shop-chat", userCredentials: false }), undefined);
  });
});
