// For the widget (docs/reach.md): open the push window from the "Notify me" click and answer its
// token request. Import this in the widget app; it adds a few hundred bytes and no SDK.
import { PUSH_WINDOW_PATH, type PushWindowMessage } from "./protocol";

export type PushWindowResult = Extract<PushWindowMessage, { type: "afterchat:push:done" }>["result"] | "closed";

/**
 * Must run inside the click handler (popup blockers). Resolves with what the visitor chose, or
 * "closed" when they closed the window first.
 */
export function openPushWindow(threadId: string, idToken: () => Promise<string>): Promise<PushWindowResult> {
  const url = `${location.origin}${PUSH_WINDOW_PATH}?thread=${encodeURIComponent(threadId)}`;
  const win = window.open(url, "afterchat-push", "popup,width=440,height=460");
  if (!win) return Promise.resolve("closed");
  return new Promise((resolve) => {
    const finish = (result: PushWindowResult) => {
      window.removeEventListener("message", onMessage);
      clearInterval(watch);
      resolve(result);
    };
    const onMessage = async (event: MessageEvent<PushWindowMessage>) => {
      if (event.origin !== location.origin || event.source !== win || event.data?.threadId !== threadId) return;
      if (event.data.type === "afterchat:push:need-token") {
        const reply: PushWindowMessage = { type: "afterchat:push:token", threadId, idToken: await idToken() };
        win.postMessage(reply, location.origin);
      } else if (event.data.type === "afterchat:push:done") finish(event.data.result);
    };
    window.addEventListener("message", onMessage);
    const watch = setInterval(() => win.closed && finish("closed"), 500);
  });
}
