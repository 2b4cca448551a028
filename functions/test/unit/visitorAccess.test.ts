import { strict as assert } from "node:assert";
import { when } from "../../src/channels/email/template";
import { SettingsInput, siteUrlOf } from "../../src/contract/settings";
import { admitDevice, mayUseThread, MAX_VISITOR_UIDS, signOutOthers } from "../../src/domain/visitorAccess";

const now = new Date("2026-12-02T10:00:00Z");
const later = (ms: number) => new Date(now.getTime() + ms);

describe("devices admitted by a link (domain/visitorAccess.ts)", () => {
  const thread = { visitorUids: ["widget"], windows: { web: later(60_000) } };

  it("the widget visitor always may use its thread; a link device only while the reach window is open", () => {
    const admitted = { ...thread, ...admitDevice(thread, "phone", "link", now)! };
    assert.deepEqual(admitted.visitorUids, ["widget", "phone"]);
    assert.deepEqual(admitted.linkDevices, { phone: { via: "link", at: now } });
    assert.equal(mayUseThread(admitted, "phone", now), true);
    assert.equal(mayUseThread(admitted, "phone", later(60_000)), false, "closed at the exact boundary");
    assert.equal(mayUseThread(admitted, "widget", later(10 * 60_000)), true);
    assert.equal(mayUseThread(admitted, "stranger", now), false);
    assert.equal(mayUseThread({ ...admitted, windows: {} }, "phone", now), false, "no window, no access");
  });

  it("admitting twice changes nothing; the first uid and the newest devices are kept", () => {
    assert.equal(admitDevice({ ...thread, visitorUids: ["widget", "phone"] }, "phone", "link", now), undefined);
    let t: Parameters<typeof admitDevice>[0] = thread;
    for (let i = 0; i < MAX_VISITOR_UIDS + 3; i++) t = { ...t, ...admitDevice(t, `d${i}`, "handoff", now)! };
    assert.equal(t.visitorUids.length, MAX_VISITOR_UIDS);
    assert.equal(t.visitorUids[0], "widget");
    assert.equal(Object.keys(t.linkDevices!).length, MAX_VISITOR_UIDS - 1, "dropped devices leave linkDevices too");
  });
});

describe("sign out other devices", () => {
  it("keeps this device and the one that started the thread; nothing to do is undefined", () => {
    const thread = {
      visitorUids: ["widget", "phone", "tablet"],
      windows: { web: later(60_000) },
      linkDevices: { phone: { via: "link" as const, at: now }, tablet: { via: "handoff" as const, at: now } },
    };
    assert.deepEqual(signOutOthers(thread, "phone"), {
      visitorUids: ["widget", "phone"],
      linkDevices: { phone: { via: "link", at: now } },
      removed: 1,
    });
    assert.deepEqual(signOutOthers(thread, "widget")?.visitorUids, ["widget"]);
    assert.equal(signOutOthers({ ...thread, visitorUids: ["widget", "phone"] }, "phone"), undefined);
  });
});

describe("settings/business.siteUrl", () => {
  const base = {
    name: "Sunrise Bakery",
    greeting: "",
    awayMessage: "",
    followUpTemplate: "Still there?",
    allowedOrigins: [],
  };

  it("an admin saves an https URL, or nothing; anything else is refused with a reason", () => {
    assert.equal(SettingsInput.parse({ ...base, siteUrl: "https://shop.example/" }).siteUrl, "https://shop.example/");
    // The local demo's own page (the seed): savable, linked to only under the emulator (below).
    assert.equal(SettingsInput.parse({ ...base, siteUrl: "http://127.0.0.1:5000/" }).siteUrl, "http://127.0.0.1:5000/");
    assert.equal(SettingsInput.parse({ ...base, siteUrl: "" }).siteUrl, undefined);
    for (const bad of ["http://shop.example/", "javascript:alert(1)", "shop.example", "https://u:p@shop.example/"]) {
      const r = SettingsInput.safeParse({ ...base, siteUrl: bad });
      assert.equal(r.success, false, bad);
      assert.match(r.error!.issues[0]!.message, /https address/);
    }
  });

  it("pages get it only when it is https (http on a loopback host only under the emulator)", () => {
    assert.equal(siteUrlOf({ siteUrl: "https://shop.example/" }, false), "https://shop.example/");
    assert.equal(siteUrlOf({}, false), null);
    assert.equal(siteUrlOf({ siteUrl: "http://localhost:5086/" }, false), null);
    assert.equal(siteUrlOf({ siteUrl: "http://localhost:5086/" }, true), "http://localhost:5086/");
    assert.equal(siteUrlOf({ siteUrl: "http://shop.example/" }, true), null);
    assert.equal(siteUrlOf({ siteUrl: "javascript:alert(1)" }, true), null);
  });
});

describe("times in the continuity email", () => {
  it("are in the business's zone and name it", () => {
    const at = new Date("2026-12-02T03:15:00Z");
    assert.equal(when(at, "en", "Asia/Ho_Chi_Minh"), "Dec 2, 2026, 10:15 AM GMT+7 (Asia/Ho_Chi_Minh)");
    assert.equal(when(at, "en"), "Dec 2, 2026, 3:15 AM UTC");
  });
});
