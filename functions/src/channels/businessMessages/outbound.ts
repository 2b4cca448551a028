import type { Representative } from "../../contract/tasks";
import { createHash } from "node:crypto";
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

/** Agents speak as HUMAN with their display name; automated messages as BOT. */
export function representativeFor(from: string, authorName: string | undefined): Representative {
  if (from === "agent")
    return { representativeType: "HUMAN", ...(authorName ? { displayName: authorName.slice(0, 100) } : {}) };
  return { representativeType: "BOT" };
}

export type BmSuggestion = Suggestion;

export interface BmMessageBody {
  messageId: string;
  representative: Representative;
  text: string;
  suggestions?: BmSuggestion[];
  fallback: string;
}

/**
 * What a device that cannot show the message's rich parts displays instead: the text, then each
 * chip as a line (an action chip with its number or link), when that fits Google's limit.
 */
export function fallbackText(text: string, suggestions: readonly Suggestion[] = []): string {
  const lines = suggestions.flatMap((s) => {
    if ("reply" in s) return [s.reply.text];
    if ("action" in s) {
      const target = s.action.dialAction?.phoneNumber ?? s.action.openUrlAction?.url;
      return [target ? `${s.action.text}: ${target}` : s.action.text];
    }
    return [];
  });
  const full = lines.length ? `${text}\n\n${lines.join("\n")}` : text;
  return full.length <= BM_TEXT_MAX ? full : text.slice(0, BM_TEXT_MAX);
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
  const chips = (m.suggestions ?? [])
    .filter((s) => m.representative.representativeType === "BOT" || !("liveAgentRequest" in s))
    .slice(0, SUGGESTIONS_MAX);
  return {
    messageId: m.uuid,
    representative: m.representative,
    text: m.text,
    ...(chips.length ? { suggestions: chips } : {}),
    fallback: fallbackText(m.text, chips),
  };
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
