import { PUSH_HTTP_ORIGINS, runningInEmulator } from "../../config";
import { hashId } from "../../domain/ids";
import { pushEndpointRefusal, type PushEndpointRefusal } from "../../domain/pushEndpoints";

/** One document per endpoint: subscribing twice from the same browser changes nothing. */
export function subscriptionId(endpoint: string): string {
  return hashId("push-endpoint", endpoint);
}

/**
 * The origins allowed besides the browsers' push services: the local push stand-in
 * (PUSH_HTTP_ORIGINS), and only under the emulator, so a deployed project never POSTs to them
 * whatever the param says.
 */
export function localPushOrigins(): string[] {
  if (!runningInEmulator()) return [];
  return PUSH_HTTP_ORIGINS.value()
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Why the functions may not POST to this endpoint, or undefined (domain/pushEndpoints.ts). */
export function endpointRefusal(endpoint: string): PushEndpointRefusal | undefined {
  return pushEndpointRefusal(endpoint, localPushOrigins());
}
