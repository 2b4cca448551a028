// An agent's rich card or image (Google's Business Messages RichCard / Image JSON, stored on the message as
// `richCard` / `imageContent`) shown in the widget as accessible text: each card a group named by its title,
// its description, its image as a link labelled with the alt text, and its chips as buttons (reply) or links
// (open URL, dial). Everything is untrusted here: text nodes only, links only https (or tel: for dial).
// Images are links, not <img>: the widget's CSP keeps `img-src 'self' data:`, so a card cannot make a
// visitor's browser fetch a third-party host before they choose to.

export interface CardChip {
  text: string;
  /** reply: sent as the visitor's message; url: an https link; tel: a dial link. */
  kind: "reply" | "url" | "tel";
  target?: string;
}
export interface CardView {
  title?: string;
  description?: string;
  image?: { url: string; alt: string };
  chips: CardChip[];
}

const str = (v: unknown, max: number): string | undefined =>
  typeof v === "string" && v.trim() ? v.trim().slice(0, max) : undefined;

/** https only, parsed (no javascript:, data:, or relative links). */
export function safeHttps(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  try {
    const u = new URL(v);
    return u.protocol === "https:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function chipOf(s: unknown): CardChip[] {
  const o = s as { reply?: { text?: unknown }; action?: Record<string, unknown> } | null;
  const reply = str(o?.reply?.text, 25);
  if (reply) return [{ text: reply, kind: "reply" }];
  const text = str(o?.action?.text, 25);
  if (!text) return [];
  const url = safeHttps((o?.action?.openUrlAction as { url?: unknown } | undefined)?.url);
  if (url) return [{ text, kind: "url", target: url }];
  const phone = str((o?.action?.dialAction as { phoneNumber?: unknown } | undefined)?.phoneNumber, 32);
  if (phone && /^\+?[0-9 ().-]+$/.test(phone))
    return [{ text, kind: "tel", target: `tel:${phone.replace(/[^+0-9]/g, "")}` }];
  return [];
}

function imageOf(contentInfo: unknown, fallbackAlt: string): CardView["image"] {
  const c = contentInfo as { fileUrl?: unknown; altText?: unknown } | undefined;
  const url = safeHttps(c?.fileUrl);
  return url ? { url, alt: str(c?.altText, 500) ?? fallbackAlt } : undefined;
}

/** The cards of a stored message, read defensively (the message was validated when stored, but is data here). */
export function cardViewsOf(richCard: unknown, imageContent: unknown, imageLabel = "Image"): CardView[] {
  const views: CardView[] = [];
  const image = imageOf((imageContent as { contentInfo?: unknown } | undefined)?.contentInfo, imageLabel);
  if (image) views.push({ image, chips: [] });
  const rc = richCard as
    { standaloneCard?: { cardContent?: unknown }; carouselCard?: { cardContents?: unknown } } | undefined;
  const contents = rc?.standaloneCard?.cardContent
    ? [rc.standaloneCard.cardContent]
    : Array.isArray(rc?.carouselCard?.cardContents)
      ? (rc.carouselCard.cardContents as unknown[]).slice(0, 10)
      : [];
  for (const c of contents) {
    const card = c as {
      title?: unknown;
      description?: unknown;
      media?: { contentInfo?: unknown };
      suggestions?: unknown;
    };
    const title = str(card?.title, 200);
    const view: CardView = {
      title,
      description: str(card?.description, 2000),
      image: imageOf(card?.media?.contentInfo, title ?? imageLabel),
      chips: Array.isArray(card?.suggestions) ? card.suggestions.slice(0, 4).flatMap(chipOf) : [],
    };
    if (view.title || view.description || view.image) views.push(view);
  }
  return views;
}

/** One card as DOM: a named group; a reply chip calls `onReply` with its text. */
export function renderCard(view: CardView, onReply: (text: string) => void, cardLabel: string): HTMLElement {
  const box = document.createElement("div");
  box.className = "card";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", view.title ?? view.image?.alt ?? cardLabel);
  if (view.title) {
    const title = document.createElement("p");
    title.className = "card-title";
    title.textContent = view.title;
    box.append(title);
  }
  if (view.description) {
    const description = document.createElement("p");
    description.textContent = view.description;
    box.append(description);
  }
  if (view.image) {
    const link = document.createElement("a");
    link.href = view.image.url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.textContent = view.image.alt;
    box.append(link);
  }
  if (view.chips.length) {
    const chips = document.createElement("div");
    chips.className = "card-chips"; // not "chips": chipRow owns the message's own row
    for (const chip of view.chips) {
      if (chip.kind === "reply") {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = chip.text;
        button.addEventListener("click", () => onReply(chip.text));
        chips.append(button);
      } else {
        const link = document.createElement("a");
        link.href = chip.target!;
        if (chip.kind === "url") {
          link.target = "_blank";
          link.rel = "noopener noreferrer";
        }
        link.textContent = chip.text;
        chips.append(link);
      }
    }
    box.append(chips);
  }
  return box;
}
