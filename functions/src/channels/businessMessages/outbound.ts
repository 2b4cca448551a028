import type { Representative } from "../../contract/tasks";
import { createHash } from "node:crypto";

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

export interface BmSuggestion {
  reply?: { text: string; postbackData: string };
  action?: {
    text: string;
    postbackData: string;
    openUrlAction?: { url: string };
    dialAction?: { phoneNumber: string };
  };
  liveAgentRequest?: Record<string, never>;
}

export interface BmMessageBody {
  messageId: string;
  representative: Representative;
  text: string;
  suggestions?: BmSuggestion[];
  fallback?: string;
}

/** A text message; `fallback` is set whenever suggestions ride along (else FAILED_PRECONDITION on old devices). */
export function textMessageBody(m: {
  uuid: string;
  text: string;
  representative: Representative;
  suggestions?: BmSuggestion[];
}): BmMessageBody {
  const body: BmMessageBody = { messageId: m.uuid, representative: m.representative, text: m.text };
  if (m.suggestions?.length) {
    body.suggestions = m.suggestions.slice(0, 13);
    body.fallback = m.text.slice(0, BM_TEXT_MAX);
  }
  return body;
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
