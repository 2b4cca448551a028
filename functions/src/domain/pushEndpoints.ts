// Where the functions may POST a web push (issue 15). A push subscription's endpoint comes from the
// visitor's browser, so it is untrusted: without a check, anyone could make the functions send
// requests to internal hosts (metadata.google.internal, localhost, private addresses, other ports).
// Only the browser vendors' push services are accepted.

/** The push services of the browsers in use: exact hosts, or any subdomain of a suffix. */
const PUSH_HOSTS = ["fcm.googleapis.com", "web.push.apple.com"];
const PUSH_HOST_SUFFIXES = [".push.services.mozilla.com", ".notify.windows.com"];

export type PushEndpointRefusal = "not_a_url" | "not_https" | "credentials" | "port" | "unknown_service";

/**
 * Why an endpoint is refused, or undefined when the functions may POST to it: https on the default
 * port, no credentials, a known push service's host. `localOrigins` are exact origins also allowed
 * (the local push stand-in under the emulator; callers pass none when deployed).
 */
export function pushEndpointRefusal(
  endpoint: string,
  localOrigins: readonly string[] = [],
): PushEndpointRefusal | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "not_a_url";
  }
  if (url.username || url.password) return "credentials";
  if (localOrigins.includes(url.origin)) return undefined;
  if (url.protocol !== "https:") return "not_https";
  if (url.port !== "") return "port";
  // URL lower-cases the host; a trailing dot ("fcm.googleapis.com.") is another name and is refused.
  const host = url.hostname;
  return PUSH_HOSTS.includes(host) || PUSH_HOST_SUFFIXES.some((s) => host.endsWith(s)) ? undefined : "unknown_service";
}

/** Readable reasons for the 400 a refused subscription gets. */
export const PUSH_ENDPOINT_REFUSALS: Record<PushEndpointRefusal, string> = {
  not_a_url: "subscription.endpoint is not a URL",
  not_https: "subscription.endpoint must be https",
  credentials: "subscription.endpoint must not carry credentials",
  port: "subscription.endpoint must use the default https port",
  unknown_service: "subscription.endpoint is not a known browser push service",
};
