/**
 * Which browser origins may call the widget API. The chat app itself runs in an iframe on our
 * own origin, so its calls are same-origin; other origins are the business's own sites
 * (settings/business.allowedOrigins). A bearer token, not a cookie, authenticates the visitor,
 * so this is not CSRF protection: it keeps other sites' pages from using the API from their
 * visitors' browsers. Scripts outside a browser ignore CORS; rate limits and App Check handle those.
 */
export interface OriginPolicy {
  /** Exact origins (scheme://host[:port]) the business listed. */
  allowedOrigins: readonly string[];
  /** Hosts that are our own site (the request's Host, the public URL's host). */
  ownHosts: readonly string[];
}

export function normalizeOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export type OriginVerdict = "none" | "same-origin" | "allowed" | "refused";

export function judgeOrigin(origin: string | undefined, policy: OriginPolicy): OriginVerdict {
  if (!origin) return "none";
  const normalized = normalizeOrigin(origin);
  if (!normalized) return "refused";
  if (policy.ownHosts.includes(new URL(normalized).host)) return "same-origin";
  const allowed = policy.allowedOrigins.map(normalizeOrigin);
  return allowed.includes(normalized) ? "allowed" : "refused";
}
