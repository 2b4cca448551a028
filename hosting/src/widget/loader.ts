// The embeddable loader (/widget.js, budget 3 KB gzipped). Draws the launcher in a shadow root
// (isolated from the page's CSS) and loads the chat app in an iframe on our origin only when the
// visitor opens it. Before the first click it makes no request and stores nothing; once the visitor
// has a thread, one flag on the page's origin lets a later visit load the app hidden for a badge.
// Arriving from the chat page with a one-time code, it opens the chat at once to redeem it.
import { ACCENT_PATTERN, textOn, type ToApp, type ToLoader } from "./protocol";

(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script || (window as { __afterchat?: boolean }).__afterchat) return; // one launcher per page
  (window as { __afterchat?: boolean }).__afterchat = true;
  const origin = new URL(script.src).origin;
  const data = script.dataset;
  const accent = data.accentColor && ACCENT_PATTERN.test(data.accentColor) ? data.accentColor : "#9a3412";
  const left = data.position === "left";
  const HAS_THREAD = "afterchat:thread";
  const LABEL_OPEN = "Open chat";

  const host = document.createElement("div");
  const root = host.attachShadow({ mode: "open" });
  const side = left ? "left" : "right";
  root.innerHTML = `<style>
:host{all:initial}
button{position:fixed;${side}:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;padding:0;background:${accent};color:${textOn(accent)};cursor:pointer;z-index:2147483646;box-shadow:0 4px 14px rgba(0,0,0,.3);display:grid;place-items:center}
button:focus-visible{outline:3px solid #1d4ed8;outline-offset:3px}
span{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#b91c1c;color:#fff;font:700 12px/20px system-ui,sans-serif}
iframe{position:fixed;${side}:20px;bottom:88px;width:380px;height:600px;max-height:calc(100vh - 108px);border:0;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.3);z-index:2147483647;background:#fff;color-scheme:light}
@media (max-width:520px),(max-height:560px){iframe{inset:0;width:100%;height:100%;max-height:none;border-radius:0}}
</style><button type="button" aria-expanded="false" aria-label="${LABEL_OPEN}"><svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg><span hidden></span></button>`;
  const button = root.querySelector("button")!;
  const badge = root.querySelector("span")!;
  let frame: HTMLIFrameElement | undefined;
  let open = false;
  const handoff = takeHandoffCode();

  /**
   * The chat page on our origin links back here with a one-time code (`#afterchat=<code>`, or
   * `?afterchat_code=<code>` where a site's router owns the fragment). It is taken out of the address
   * bar at once (not left in history or shared links) and handed to the chat app, which redeems it.
   */
  function takeHandoffCode(): string | undefined {
    const url = new URL(location.href);
    const fromHash = new URLSearchParams(url.hash.slice(1)).get("afterchat");
    const code = fromHash ?? url.searchParams.get("afterchat_code");
    if (!code || !/^[A-Za-z0-9_-]{43}$/.test(code)) return undefined;
    if (fromHash) url.hash = "";
    url.searchParams.delete("afterchat_code");
    history.replaceState(history.state, "", url.toString().replace(/#$/, ""));
    return code;
  }

  function appUrl(mode: "open" | "badge"): string {
    const p = new URLSearchParams({ mode });
    if (handoff) p.set("handoff", handoff);
    if (data.locale) p.set("locale", data.locale);
    if (data.greeting) p.set("greeting", data.greeting.slice(0, 300));
    p.set("accent", accent);
    return `${origin}/widget/#${p}`;
  }

  function load(mode: "open" | "badge"): HTMLIFrameElement {
    if (frame) return frame;
    frame = document.createElement("iframe");
    frame.title = "Chat";
    frame.referrerPolicy = "no-referrer";
    frame.hidden = mode === "badge";
    frame.src = appUrl(mode);
    root.append(frame);
    return frame;
  }

  function tell(message: ToApp): void {
    frame?.contentWindow?.postMessage(message, origin);
  }

  function setOpen(next: boolean): void {
    open = next;
    button.setAttribute("aria-expanded", String(open));
    button.setAttribute("aria-label", open ? "Close chat" : LABEL_OPEN);
    if (open) {
      const f = load("open");
      f.hidden = false;
      badge.hidden = true;
      f.focus();
      tell({ afterchat: "open" });
    } else if (frame) {
      frame.hidden = true;
      tell({ afterchat: "hidden" });
      button.focus();
    }
  }

  button.addEventListener("click", () => setOpen(!open));

  window.addEventListener("message", (event: MessageEvent<ToLoader>) => {
    if (event.origin !== origin || !frame || event.source !== frame.contentWindow) return;
    const msg = event.data;
    if (msg?.afterchat === "close" && open) setOpen(false);
    if (msg?.afterchat === "erased") {
      try {
        localStorage.removeItem(HAS_THREAD);
      } catch {
        /* storage blocked: nothing was stored */
      }
      return;
    }
    if (msg?.afterchat !== "unread") return;
    // The app reports unread replies only once the visitor has a thread: remember that (and only
    // that) on this site, so a later visit can load the app hidden and show a badge.
    try {
      localStorage.setItem(HAS_THREAD, "1");
    } catch {
      /* storage blocked: no badge on later visits, nothing else changes */
    }
    if (!open) {
      badge.hidden = !(msg.count > 0);
      badge.textContent = String(Math.min(msg.count, 99));
      button.setAttribute("aria-label", msg.count > 0 ? `${LABEL_OPEN} (${msg.count} unread)` : LABEL_OPEN);
    }
  });

  function mount(): void {
    document.body.append(host);
    let hasThread = false;
    try {
      hasThread = localStorage.getItem(HAS_THREAD) === "1";
    } catch {
      /* storage blocked */
    }
    if (handoff)
      setOpen(true); // the visitor followed the chat page's link: the conversation opens here
    else if (hasThread) load("badge");
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
