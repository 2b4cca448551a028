// What a deployed project's params and secrets must look like before any function serves a request.
// Pure: config.ts reads the values and refuses to start (onInit) with the problems these return.

/** Shortest accepted secret: 32 characters, e.g. `openssl rand -base64 32` gives 44. */
export const SECRET_MIN_LENGTH = 32;
/**
 * Least accepted entropy estimate (length × the value's own per-character Shannon entropy): 32 random
 * hex characters estimate at 97 bits or more (the worst of 20,000 draws), base64 of 32 bytes at 190.
 */
export const SECRET_MIN_BITS = 90;
const SECRET_HOWTO = "generate one with `openssl rand -base64 32`";

/** PUBLIC_URL goes into every link sent to visitors: an https origin that is not a local address. */
export function publicUrlProblem(value: string): string | undefined {
  const fix = "set PUBLIC_URL in functions/.env.<projectId> to your Hosting site, e.g. https://<project>.web.app";
  if (!value.trim()) return `PUBLIC_URL is not set: ${fix}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `PUBLIC_URL "${value}" is not a URL: ${fix}`;
  }
  if (url.protocol !== "https:") return `PUBLIC_URL "${value}" is not https: ${fix}`;
  if (isLocalHost(url.hostname)) return `PUBLIC_URL "${value}" is a local address: ${fix}`;
  return undefined;
}

/** App Check on the widget API needs the reCAPTCHA Enterprise key the widget gets its tokens with. */
export function appCheckProblem(enforced: string | undefined, siteKey: string | undefined): string | undefined {
  if (enforced !== "true" || siteKey?.trim()) return undefined;
  return (
    "WIDGET_APP_CHECK is true but WIDGET_APP_CHECK_SITE_KEY is empty: the widget could not get App Check " +
    "tokens and every visitor's message would be refused. Set the reCAPTCHA Enterprise site key (docs/widget.md)."
  );
}

function isLocalHost(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") || /^127\./.test(hostname) || hostname === "[::1]";
}

/** Shannon entropy of the value's own character distribution, times its length, in bits. */
export function entropyBits(value: string): number {
  const chars = [...value];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) perChar -= (n / chars.length) * Math.log2(n / chars.length);
  return perChar * chars.length;
}

/** A signing key (HMAC) must be long and random enough; the message never contains the value. */
export function secretProblem(name: string, value: string): string | undefined {
  const length = [...value].length;
  if (!length) return `${name} is empty: ${SECRET_HOWTO} and set it with \`firebase functions:secrets:set ${name}\``;
  if (length < SECRET_MIN_LENGTH)
    return `${name} is ${length} characters, fewer than ${SECRET_MIN_LENGTH}: ${SECRET_HOWTO} and set it again`;
  if (repeatsUnit(value)) return `${name} is one short piece repeated (guessable): ${SECRET_HOWTO} and set it again`;
  const bits = Math.floor(entropyBits(value));
  if (bits < SECRET_MIN_BITS)
    return `${name} looks guessable (about ${bits} bits of entropy, fewer than ${SECRET_MIN_BITS}): ${SECRET_HOWTO} and set it again`;
  return undefined;
}

/** "abcabcabc…": the per-character estimate cannot see repetition, so it is refused on its own. */
function repeatsUnit(value: string): boolean {
  return /^(.{1,16}?)\1+$/s.test(value);
}
