import { strict as assert } from "node:assert";
import { pushEndpointRefusal } from "../../src/domain/pushEndpoints";

describe("push endpoints: only the browsers' push services (issue 15)", () => {
  it("accepts FCM, Mozilla autopush, Windows WNS and Apple web push", () => {
    for (const ok of [
      "https://fcm.googleapis.com/fcm/send/dxyz:APA91b",
      "https://fcm.googleapis.com/wp/abc",
      "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
      "https://wns2-by3p.notify.windows.com/w/?token=BQYAAA",
      "https://web.push.apple.com/QGuQyavXutnMq",
      "https://FCM.googleapis.com:443/fcm/send/x",
    ]) {
      assert.equal(pushEndpointRefusal(ok), undefined, ok);
    }
  });

  const refused: Array<[string, string, string]> = [
    ["cloud metadata", "https://metadata.google.internal/computeMetadata/v1/", "unknown_service"],
    ["localhost with a trailing dot", "https://localhost./x", "unknown_service"],
    ["a push host with a trailing dot", "https://fcm.googleapis.com./fcm/send/x", "unknown_service"],
    ["an IPv4 address", "https://169.254.169.254/latest", "unknown_service"],
    ["a private IPv4 address", "https://10.0.0.8/x", "unknown_service"],
    ["an IPv6 address", "https://[::1]/x", "unknown_service"],
    ["another port", "https://fcm.googleapis.com:8443/fcm/send/x", "port"],
    ["plain http", "http://fcm.googleapis.com/fcm/send/x", "not_https"],
    ["credentials", "https://u:p@fcm.googleapis.com/fcm/send/x", "credentials"],
    ["a lookalike host", "https://fcm.googleapis.com.evil.example/x", "unknown_service"],
    ["a suffix without its dot", "https://evilpush.services.mozilla.com/x", "unknown_service"],
    ["any other host", "https://push.example/x", "unknown_service"],
    ["not a URL", "not a url", "not_a_url"],
    ["another scheme", "file:///etc/passwd", "not_https"],
  ];
  for (const [what, endpoint, reason] of refused) {
    it(`refuses ${what}`, () => assert.equal(pushEndpointRefusal(endpoint), reason));
  }

  it("allows the local stand-in only when its exact origin is passed (callers pass it under the emulator only)", () => {
    assert.equal(pushEndpointRefusal("http://127.0.0.1:5090/push/x", ["http://127.0.0.1:5090"]), undefined);
    assert.equal(pushEndpointRefusal("http://127.0.0.1:5090/push/x"), "not_https");
    assert.equal(pushEndpointRefusal("http://127.0.0.1:5091/push/x", ["http://127.0.0.1:5090"]), "not_https");
  });
});
