/**
 * "Notify me": the entry point for web push. Delivery (service worker, VAPID keys, storing the
 * subscription) belongs to the web push issue; until a deployment configures it, the visitor is
 * told so and pointed to email. We never prompt for a permission we could not use.
 * Note: Chrome refuses Notification.requestPermission() in cross-origin iframes, so on a
 * business's own site the prompt has to come from a top-level page on our origin.
 */
export type OptIn = "granted" | "denied" | "unavailable";

/** Set by the web push integration when it is configured on this deployment. */
export interface PushIntegration {
  subscribe(): Promise<boolean>;
}
let integration: PushIntegration | undefined;

export function usePush(p: PushIntegration): void {
  integration = p;
}

export async function optIn(): Promise<OptIn> {
  if (!integration || typeof Notification === "undefined") return "unavailable";
  if (Notification.permission === "denied") return "denied";
  const permission = await Notification.requestPermission().catch(() => "denied" as const);
  if (permission !== "granted") return "denied";
  return (await integration.subscribe()) ? "granted" : "unavailable";
}
