import type { Representative } from "../../contract/tasks";
import { createHash } from "node:crypto";
import { CARD_SUGGESTIONS_MAX, cardsOf, type CardContent, type Image, type RichCard } from "../../contract/richContent";
import { SUGGESTIONS_MAX, type Suggestion } from "../../contract/suggestions";

/** Google's limit on `text` and `fallback` (reference §2.1). */
export const BM_TEXT_MAX = 3072;

/**
 * Longer replies are split, not refused: an agent cannot see the channel's limit while typing
 * (the widget allows 4,096 characters). Cuts fall on a paragraph, line, sentence or word
 * boundary when one exists in the second half of a chunk.
 */
export function splitText(text: string, max = BM_TEXT_MAX): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = bestCut(window, Math.floor(max / 2));
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

function bestCut(window: string, minCut: number): number {
  for (const sep of ["\n\n", "\n", ". ", "! ", "? ", " "]) {
    const at = window.lastIndexOf(sep);
    if (at >= minCut) return at + sep.length;
  }
  return window.length;
}

const UUID_NAMESPACE = Buffer.from("6f1d7c2e9a3b4d5e8f60718293a4b5c6", "hex");

/**
 * RFC 4122 version-5 UUID for one part of one stored message: the same message always gets the
 * same `messageId`, so a retried send is recognised by Google (ALREADY_EXISTS) instead of doubled,
 * and a receipt maps back to our message.
 */
export function bmMessageUuid(threadId: string, messageId: string, part = 0): string {
  const h = createHash("sha1").update(UUID_NAMESPACE).update(`${threadId}/${messageId}/${part}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Agents speak as HUMAN with their display name and avatar (https only); automated messages as BOT. */
export function representativeFor(from: string, authorName: string | undefined, avatarUrl?: string): Representative {
  if (from === "agent")
    return {
      representativeType: "HUMAN",
      ...(authorName ? { displayName: authorName.slice(0, 100) } : {}),
      ...(avatarUrl?.startsWith("https://") ? { avatarImage: avatarUrl } : {}),
    };
  return { representativeType: "BOT" };
}

export type BmSuggestion = Suggestion;

export interface BmMessageBody {
  messageId: string;
  representative: Representative;
  /** Exactly one of text, image, richCard (Google's Message content union). */
  text?: string;
  image?: Image;
  richCard?: RichCard;
  suggestions?: BmSuggestion[];
  fallback: string;
}

/** One chip as a line of plain text: an action chip with its number or link. */
function chipLine(s: Suggestion): string[] {
  if ("reply" in s) return [s.reply.text];
  if ("action" in s) {
    const target = s.action.dialAction?.phoneNumber ?? s.action.openUrlAction?.url;
    return [target ? `${s.action.text}: ${target}` : s.action.text];
  }
  return [];
}

/** Blocks joined by a blank line, cut to Google's fallback limit (3,072 characters). */
function fitFallback(blocks: string[]): string {
  const full = blocks.filter((b) => b.length > 0).join("\n\n");
  return full.length <= BM_TEXT_MAX ? full : `${full.slice(0, BM_TEXT_MAX - 1)}…`;
}

/**
 * What a device that cannot show the message's rich parts displays instead: the text, then each
 * chip as a line (an action chip with its number or link), when that fits Google's limit.
 */
export function fallbackText(text: string, suggestions: readonly Suggestion[] = []): string {
  const lines = suggestions.flatMap(chipLine);
  const full = lines.length ? `${text}\n\n${lines.join("\n")}` : text;
  return full.length <= BM_TEXT_MAX ? full : text.slice(0, BM_TEXT_MAX);
}

/** A card as text: title, description, then its chips, one per line. */
function cardText(c: CardContent): string {
  return [c.title, c.description, (c.suggestions ?? []).flatMap(chipLine).join("\n")]
    .filter((s): s is string => Boolean(s))
    .join("\n");
}

/** The fallback of a rich card: each card as text (a carousel's separated by blank lines), then the message's chips. */
export function cardFallback(card: RichCard, suggestions: readonly Suggestion[] = []): string {
  return fitFallback([...cardsOf(card).map(cardText), suggestions.flatMap(chipLine).join("\n")]);
}

/** The fallback of an image: its alt text (or "Image") and its link, then the message's chips. */
export function imageFallback(image: Image, suggestions: readonly Suggestion[] = []): string {
  const label = image.contentInfo.altText || "Image";
  return fitFallback([`${label}: ${image.contentInfo.fileUrl}`, suggestions.flatMap(chipLine).join("\n")]);
}

/** Live-agent chips may only come from a BOT: a HUMAN's are dropped rather than have Google refuse the message. */
function chipsFor(representative: Representative, suggestions: readonly Suggestion[] | undefined, max: number) {
  return (suggestions ?? [])
    .filter((s) => representative.representativeType === "BOT" || !("liveAgentRequest" in s))
    .slice(0, max);
}

/**
 * A text message, always with a `fallback` (Google shows it on devices that cannot render the rest,
 * and refuses forceFallback without one). Live-agent chips may only come from a BOT: a HUMAN's are
 * dropped rather than have Google refuse the whole message.
 */
export function textMessageBody(m: {
  uuid: string;
  text: string;
  representative: Representative;
  suggestions?: readonly BmSuggestion[];
}): BmMessageBody {
  const chips = chipsFor(m.representative, m.suggestions, SUGGESTIONS_MAX);
  return {
    messageId: m.uuid,
    representative: m.representative,
    text: m.text,
    ...(chips.length ? { suggestions: chips } : {}),
    fallback: fallbackText(m.text, chips),
  };
}

/** What one stored message holds for Business Messages. */
export interface OutboundContent {
  text: string;
  suggestions?: readonly Suggestion[];
  richCard?: RichCard;
  /** Google's Image JSON (stored as `imageContent`: a message's `image` is a visitor's inbound one). */
  imageContent?: Image;
}

export type BmPart = { text: string } | { image: Image } | { richCard: RichCard };

/**
 * A Google message has exactly one content (text, image or richCard), so a reply with text and a card
 * becomes several messages, in reading order: the text (split when over 3,072 characters), the image,
 * the card. Each part has its own UUID (bmMessageUuid(thread, message, index)) and the outbox records
 * progress per part, so a retry resumes after what Google accepted: exactly once per part.
 */
export function bmParts(content: OutboundContent): BmPart[] {
  return [
    ...splitText(content.text).map((text) => ({ text })),
    ...(content.imageContent ? [{ image: content.imageContent }] : []),
    ...(content.richCard ? [{ richCard: content.richCard }] : []),
  ];
}

/**
 * The body of one part. The message's chips go on the last part (where the visitor answers); a card's
 * own chips stay in the card (HUMAN cards lose live-agent chips, as text messages do).
 */
export function partBody(m: {
  uuid: string;
  part: BmPart;
  last: boolean;
  representative: Representative;
  suggestions?: readonly Suggestion[];
}): BmMessageBody {
  const chips = m.last ? chipsFor(m.representative, m.suggestions, SUGGESTIONS_MAX) : [];
  const head = { messageId: m.uuid, representative: m.representative };
  const tail = chips.length ? { suggestions: chips } : {};
  if ("text" in m.part)
    return textMessageBody({ uuid: m.uuid, text: m.part.text, representative: m.representative, suggestions: chips });
  if ("image" in m.part) return { ...head, image: m.part.image, ...tail, fallback: imageFallback(m.part.image, chips) };
  const richCard = stripCardLiveAgent(m.part.richCard, m.representative);
  return { ...head, richCard, ...tail, fallback: cardFallback(richCard, chips) };
}

function stripCardLiveAgent(card: RichCard, representative: Representative): RichCard {
  const fix = (c: CardContent): CardContent =>
    c.suggestions ? { ...c, suggestions: chipsFor(representative, c.suggestions, CARD_SUGGESTIONS_MAX) } : c;
  if ("standaloneCard" in card) return { standaloneCard: { cardContent: fix(card.standaloneCard.cardContent) } };
  return { carouselCard: { ...card.carouselCard, cardContents: card.carouselCard.cardContents.map(fix) } };
}

export type FailureClass =
  | { kind: "retry"; reason: string }
  | { kind: "permanent"; reason: string; unreachable: boolean }
  | { kind: "already-done" };

/**
 * What an API answer means for delivery (reference §2.3): 429 and 5xx are transient; an id we
 * already used means our earlier attempt landed; everything else will not get better by retrying.
 */
export function classifyFailure(
  status: number,
  googleStatus?: string,
  googleMessage?: string,
  op: "message" | "event" | "receipt" | "survey" = "message",
): FailureClass {
  if (status === 409 || googleStatus === "ALREADY_EXISTS") return { kind: "already-done" };
  // A survey's RESOURCE_EXHAUSTED is the once-per-24-hours rule, not load: retrying cannot help.
  if (op === "survey" && (status === 429 || googleStatus === "RESOURCE_EXHAUSTED"))
    return {
      kind: "permanent",
      unreachable: false,
      reason: "Business Messages allows one survey per conversation every 24 hours (RESOURCE_EXHAUSTED).",
    };
  if (status === 429) return { kind: "retry", reason: "Business Messages asked us to slow down (429)." };
  // 503 is treated as final for this API (issue 17, checked against Google's client and samples):
  // retrying it for minutes only delays the agent learning that the message did not go.
  if (status === 503)
    return {
      kind: "permanent",
      unreachable: false,
      reason: "Business Messages said the service is unavailable for this agent or conversation (503).",
    };
  if (status >= 500) return { kind: "retry", reason: `Business Messages had a server error (${status}).` };
  if (status === 403) {
    return {
      kind: "permanent",
      unreachable: true,
      reason:
        "Business Messages refused delivery (403): the conversation no longer exists or the visitor blocked the business. It reopens if they write again.",
    };
  }
  if (status === 404) {
    return {
      kind: "permanent",
      unreachable: true,
      reason: "Business Messages does not know this conversation (404). It reopens if the visitor writes again.",
    };
  }
  if (status === 400 && googleStatus === "FAILED_PRECONDITION") {
    return {
      kind: "permanent",
      unreachable: false,
      reason: "The visitor's device cannot show this message (400 FAILED_PRECONDITION).",
    };
  }
  if (status === 401)
    return {
      kind: "permanent",
      unreachable: false,
      reason: "Business Messages rejected our credentials (401): check the service account.",
    };
  const detail = googleMessage ? `: ${googleMessage.slice(0, 200)}` : "";
  return {
    kind: "permanent",
    unreachable: false,
    reason: `Business Messages rejected the message (${status}${googleStatus ? ` ${googleStatus}` : ""})${detail}.`,
  };
}
