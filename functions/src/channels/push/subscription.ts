import { hashId } from "../../domain/ids";

/** One document per endpoint: subscribing twice from the same browser changes nothing. */
export function subscriptionId(endpoint: string): string {
  return hashId("push-endpoint", endpoint);
}

/**
 * Push services are https. The function POSTs to a URL the visitor gave, so anything else is
 * refused (no requests to internal hosts); the local push stand-in is allowed by name only.
 */
export function endpointAllowed(endpoint: string, httpOrigins: string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return !isLiteralPrivateHost(url.hostname);
  return url.protocol === "http:" && httpOrigins.includes(url.origin);
}

function isLiteralPrivateHost(host: string): boolean {
  return (
    host === "localhost" ||
    /^(127|10|0)\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    /^169\.254\./.test(host) ||
    host.startsWith("[")
  );
}
