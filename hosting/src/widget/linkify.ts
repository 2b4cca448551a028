/**
 * Splits untrusted text into plain-text and link segments. Only http(s) URLs become links;
 * everything is later rendered with textContent / createTextNode, never as HTML.
 */
export type Segment = { text: string } | { text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
// Punctuation that usually ends a sentence rather than a URL.
const TRAILING = /[.,;:!?)\]}]+$/;

export function safeHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const raw = match[0].replace(TRAILING, "");
    const start = match.index ?? 0;
    const href = safeHref(raw);
    if (!href) continue;
    if (start > last) segments.push({ text: text.slice(last, start) });
    segments.push({ text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

/** DOM nodes for a message body: text nodes and safe anchors. */
export function renderText(text: string): Node[] {
  return linkify(text).map((s) => {
    if (!("href" in s)) return document.createTextNode(s.text);
    const a = document.createElement("a");
    a.href = s.href;
    a.textContent = s.text;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  });
}
