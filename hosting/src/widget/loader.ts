// The embeddable loader: draws the launcher and loads the chat app in an iframe on our origin
// only when the visitor opens it. Sets no cookie and makes no request before interaction.
(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const origin = script ? new URL(script.src).origin : location.origin;
  const button = document.createElement("button");
  button.type = "button";
  button.setAttribute("aria-label", "Open chat");
  button.textContent = "💬";
  button.style.cssText =
    "position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:#9a3412;color:#fff;font-size:24px;cursor:pointer;z-index:2147483646;box-shadow:0 4px 12px rgba(0,0,0,.25)";
  let frame: HTMLIFrameElement | null = null;
  button.addEventListener("click", () => {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.title = "Chat";
      frame.src = `${origin}/widget/`;
      frame.style.cssText =
        "position:fixed;right:20px;bottom:88px;width:360px;height:520px;max-height:calc(100vh - 108px);border:0;border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.25);z-index:2147483647;background:#fff";
      document.body.appendChild(frame);
    } else {
      frame.hidden = !frame.hidden;
    }
    button.setAttribute("aria-label", frame.hidden ? "Open chat" : "Close chat");
  });
  document.body.appendChild(button);
})();
