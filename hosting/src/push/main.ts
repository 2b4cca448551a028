// The push window, /push/?thread=<id>: top-level on our origin, because browsers refuse a
// notification prompt from a cross-origin iframe. Asks permission after a click, subscribes with
// the service worker /push-sw.js (standard Web Push, VAPID), and stores the subscription for the
// thread with the visitor's ID token, which it asks from the widget that opened it.
import { ID_PATTERN } from "../../../functions/src/contract/patterns";
import type { PushWindowMessage } from "./protocol";

const button = document.getElementById("enable") as HTMLButtonElement;
const status = document.getElementById("status") as HTMLParagraphElement;
const threadId = new URLSearchParams(location.search).get("thread") ?? "";

function say(text: string, kind: "info" | "error" = "info"): void {
  status.dataset.kind = kind;
  status.textContent = text;
}

function tellOpener(result: Extract<PushWindowMessage, { type: "afterchat:push:done" }>["result"]): void {
  const message: PushWindowMessage = { type: "afterchat:push:done", threadId, result };
  window.opener?.postMessage(message, location.origin);
}

/** iPhone/iPad: web push exists only for web apps added to the Home Screen (iOS 16.4+). */
function iosOutsideHomeScreen(): boolean {
  const ios =
    /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  const standalone =
    (navigator as { standalone?: boolean }).standalone === true || matchMedia("(display-mode: standalone)").matches;
  return ios && !standalone;
}

function askOpenerForToken(timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!window.opener) return reject(new Error("no opener"));
    const timer = setTimeout(() => reject(new Error("no answer from the chat")), timeoutMs);
    window.addEventListener("message", function onMessage(event: MessageEvent<PushWindowMessage>) {
      if (event.origin !== location.origin || event.source !== window.opener) return;
      if (event.data?.type !== "afterchat:push:token" || event.data.threadId !== threadId) return;
      clearTimeout(timer);
      window.removeEventListener("message", onMessage);
      resolve(event.data.idToken);
    });
    const ask: PushWindowMessage = { type: "afterchat:push:need-token", threadId };
    window.opener.postMessage(ask, location.origin);
  });
}

function urlBase64ToBytes(base64url: string): Uint8Array {
  const base64 = base64url
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

async function enable(): Promise<void> {
  button.disabled = true;
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    tellOpener("denied");
    return say("Notifications are blocked for this site. You can still leave your email in the chat.", "error");
  }
  say("Turning on notifications…");
  const config = (await (await fetch("/api/push/config")).json()) as {
    enabled: boolean;
    vapidPublicKey: string | null;
  };
  if (!config.enabled || !config.vapidPublicKey) {
    tellOpener("unsupported");
    return say("Notifications are not set up on this site yet. Leave your email in the chat instead.", "error");
  }
  await navigator.serviceWorker.register("/push-sw.js", { scope: "/" });
  const registration = await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: urlBase64ToBytes(config.vapidPublicKey) as BufferSource,
    }));
  const idToken = await askOpenerForToken();
  const res = await fetch("/api/push/subscriptions", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${idToken}` },
    body: JSON.stringify({ threadId, subscription: subscription.toJSON() }),
  });
  if (!res.ok) throw new Error(`subscribe HTTP ${res.status}`);
  tellOpener("subscribed");
  say("Done. We'll notify this browser when we reply. You can close this window.");
  button.hidden = true;
  setTimeout(() => window.close(), 2500);
}

if (!ID_PATTERN.test(threadId)) {
  button.hidden = true;
  say("Open this window from the chat's “Notify me” button.", "error");
} else if (iosOutsideHomeScreen()) {
  button.hidden = true;
  tellOpener("unsupported");
  say(
    "On iPhone and iPad, notifications work only for sites added to the Home Screen. Leave your email in the chat and we'll email you instead.",
    "error",
  );
} else if (!("serviceWorker" in navigator) || !("PushManager" in window) || typeof Notification === "undefined") {
  button.hidden = true;
  tellOpener("unsupported");
  say("This browser cannot show notifications from websites. Leave your email in the chat instead.", "error");
} else {
  button.addEventListener("click", () => {
    enable().catch((err: unknown) => {
      console.error(err);
      tellOpener("failed");
      button.disabled = false;
      say("Notifications could not be turned on. Please try again, or leave your email in the chat.", "error");
    });
  });
  button.disabled = false; // disabled in the HTML until this listener exists: an early click did nothing
}
