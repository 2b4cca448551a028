// Measures what each web push option adds to the pages a visitor loads (docs/reach.md):
// the standard Web Push protocol (our push window + service worker, no SDK) against Firebase Cloud
// Messaging (firebase/app + firebase/messaging in the window, firebase/messaging/sw in the worker).
// Usage: node tools/measure-push.mjs   (prints a table; bundles like hosting/build.mjs: esbuild, minified)
import { buildSync } from "esbuild";
import { gzipSync } from "node:zlib";
import { root } from "./proc.mjs";

const hosting = `${root}/hosting`;
const fcmWindow = `
import { initializeApp } from "firebase/app";
import { getMessaging, getToken } from "firebase/messaging";
(async () => {
  const app = initializeApp({ apiKey: "k", projectId: "p", appId: "a", messagingSenderId: "1" });
  const reg = await navigator.serviceWorker.register("/firebase-messaging-sw.js");
  const token = await getToken(getMessaging(app), { vapidKey: "BKey", serviceWorkerRegistration: reg });
  await fetch("/api/push/subscriptions", { method: "POST", body: JSON.stringify({ token }) });
})();`;
const fcmWorker = `
import { initializeApp } from "firebase/app";
import { getMessaging, onBackgroundMessage } from "firebase/messaging/sw";
onBackgroundMessage(getMessaging(initializeApp({ apiKey: "k", projectId: "p", appId: "a", messagingSenderId: "1" })), (p) => self.registration.showNotification(p.notification?.title ?? ""));`;

function measure(label, input, format = "esm") {
  const r = buildSync({
    ...(input.file
      ? { entryPoints: [`${hosting}/src/${input.file}`] }
      : { stdin: { contents: input.code, resolveDir: hosting, loader: "ts" } }),
    bundle: true,
    minify: true,
    format,
    target: "es2020",
    write: false,
    legalComments: "none",
  });
  const bytes = Buffer.from(r.outputFiles[0].contents);
  return { label, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const rows = [
  measure("widget: openPushWindow (both options)", { file: "push/opener.ts" }),
  measure("push window, standard Web Push", { file: "push/main.ts" }),
  measure("push window, FCM getToken", { code: fcmWindow }),
  measure("service worker, standard Web Push", { file: "push/sw.ts" }, "iife"),
  measure("service worker, FCM", { code: fcmWorker }, "iife"),
];
for (const r of rows)
  console.log(`${r.label.padEnd(40)} ${String(r.raw).padStart(8)} B  gzip ${String(r.gzip).padStart(7)} B`);
