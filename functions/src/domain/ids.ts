import { createHash } from "node:crypto";

/** Deterministic ids: a retried delivery of the same input maps to the same document. */
export function hashId(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

export function messageIdFor(source: "web" | "bm", key: string): string {
  return `${source}_${hashId(source, key)}`;
}

export function webThreadIdFor(visitorUid: string): string {
  return `web_${hashId("web-thread", visitorUid).slice(0, 24)}`;
}

export function bmThreadIdFor(conversationId: string): string {
  return `bm_${hashId("bm-thread", conversationId).slice(0, 24)}`;
}
