/**
 * Messages between the loader (on the business's page) and the chat app (our origin, in the
 * iframe). The loader checks the sender's origin and window; the app only ever acts on
 * open/hide, which a hostile host page could send anyway by showing or hiding the iframe.
 */
export type ToLoader =
  | { afterchat: "close" }
  | { afterchat: "unread"; count: number }
  /** The visitor deleted the conversation: the host page forgets there was one. */
  | { afterchat: "erased" };
export type ToApp = { afterchat: "open" } | { afterchat: "hidden" };

/** Options the loader passes in the iframe's URL fragment (never sent to a server). */
export interface LaunchOptions {
  mode: "open" | "badge";
  locale: string | null;
  greeting: string | null;
  accent: string | null;
  /** A one-time code from the chat page's link back to this site (docs/reach.md): redeemed once. */
  handoff: string | null;
}

export const ACCENT_PATTERN = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Black or white text, whichever contrasts more with the accent (WCAG relative luminance). */
export function textOn(accent: string): string {
  const hex = accent.length === 4 ? accent.replace(/[0-9a-f]/gi, (c) => c + c) : accent;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? "#000" : "#fff";
}
