// The service worker, served at /push-sw.js (scope "/"): shows the continuity notification and
// opens the thread (a resume link) when it is clicked. A business may host this same file on its
// own domain instead (docs/reach.md).
interface PushPayload {
  title?: string;
  body?: string;
  url?: string;
  threadId?: string;
}
interface SwNotification {
  data?: { url?: string };
  close(): void;
}
interface SwClient {
  url: string;
  focus(): Promise<unknown>;
  navigate?(url: string): Promise<unknown>;
}
interface SwScope {
  location: Location;
  registration: { showNotification(title: string, options: Record<string, unknown>): Promise<void> };
  clients: {
    matchAll(o: { type: "window"; includeUncontrolled: boolean }): Promise<SwClient[]>;
    openWindow(url: string): Promise<unknown>;
  };
  addEventListener(
    type: "push",
    fn: (e: { data?: { json(): unknown } | null; waitUntil(p: Promise<unknown>): void }) => void,
  ): void;
  addEventListener(
    type: "notificationclick",
    fn: (e: { notification: SwNotification; waitUntil(p: Promise<unknown>): void }) => void,
  ): void;
}
const sw = self as unknown as SwScope;

/** Only web URLs are opened: a payload can never make the browser open something else. */
function safeUrl(url: string | undefined): string {
  try {
    const parsed = new URL(url ?? "/", sw.location.origin);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : sw.location.origin;
  } catch {
    return sw.location.origin;
  }
}

sw.addEventListener("push", (event) => {
  let data: PushPayload = {};
  try {
    data = (event.data?.json() as PushPayload) ?? {};
  } catch {
    /* a payload we cannot read still shows a notification (userVisibleOnly) */
  }
  event.waitUntil(
    sw.registration.showNotification(data.title ?? "You have a new reply", {
      body: data.body ?? "",
      tag: `afterchat-${data.threadId ?? "reply"}`,
      renotify: true,
      data: { url: safeUrl(data.url) },
    }),
  );
});

sw.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = safeUrl(event.notification.data?.url);
  event.waitUntil(
    sw.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url === url);
      return open ? open.focus() : sw.clients.openWindow(url);
    }),
  );
});
