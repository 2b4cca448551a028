import type { Channel } from "./channels";

/** Outbound delivery state machine: states only move forward; `failed` is terminal. */
export const DELIVERY_STATES = ["pending", "sent", "delivered", "read", "failed"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface Delivery {
  channel: Channel;
  state: DeliveryState;
  attempts: number;
  error?: string;
}

const RANK: Record<Exclude<DeliveryState, "failed">, number> = { pending: 0, sent: 1, delivered: 2, read: 3 };

/** The state after an observation, or the current one when the observation is stale or illegal. */
export function advanceDelivery(current: DeliveryState, next: DeliveryState): DeliveryState {
  if (current === "failed") return current;
  if (next === "failed") return current === "pending" || current === "sent" ? "failed" : current;
  return RANK[next] > RANK[current] ? next : current;
}
