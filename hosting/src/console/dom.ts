// A few lines instead of a framework: elements built with text nodes only, never HTML strings,
// so visitor-supplied text can never become markup.
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown>;

/** Set as DOM properties (live state); everything else becomes an attribute. */
const PROPERTIES = new Set(["value", "checked", "disabled", "hidden", "selected", "textContent"]);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    } else if (key === "class") {
      el.className = String(value);
    } else if (PROPERTIES.has(key)) {
      (el as unknown as Record<string, unknown>)[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

export function clear(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

const dateTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const timeOnly = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** "24 Dec, 14:00" */
export function formatDateTime(at: Date): string {
  return dateTime.format(at);
}

/** Inbox time: "14:05" today, "24 Dec, 14:05" otherwise. */
export function formatWhen(at: Date | undefined, now = new Date()): string {
  if (!at) return "";
  return at.toDateString() === now.toDateString() ? timeOnly.format(at) : dateTime.format(at);
}
