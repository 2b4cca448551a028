import { checkSend, channelPolicies, type Channel, type ChannelPolicy, type SendDecision } from "./channels";
import { reachableChannels, type ThreadState } from "./thread";

/** Preferred order when several channels are open (the live widget first: the visitor may be there). */
export const DEFAULT_CHANNEL_ORDER: Channel[] = ["web", "bm", "push", "email"];

/**
 * The channel a reply will go through, or why none can: the first open channel in order,
 * else the refusal of the most preferred reachable one (its reason is what the agent reads).
 */
export function chooseReplyChannel(
  thread: ThreadState,
  opts: { now: Date; order?: Channel[]; policies?: Record<Channel, ChannelPolicy> },
): SendDecision {
  const policies = opts.policies ?? channelPolicies();
  const reachable = new Set(reachableChannels(thread));
  const candidates = (opts.order ?? DEFAULT_CHANNEL_ORDER).filter((c) => reachable.has(c));
  const decisions = candidates.map((channel) =>
    checkSend({
      channel,
      lastVisitorMessageAt: thread.lastVisitorMessageAt,
      now: opts.now,
      policies,
    }),
  );
  const open = decisions.find((d) => d.allowed);
  if (open) return open;
  if (decisions[0]) return decisions[0];
  return {
    allowed: false,
    channel: "web",
    code: "no_visitor_message",
    reason: "This visitor cannot be reached: no channel is known for them yet.",
  };
}

/**
 * The business's channel order (settings/business.channelOrder), else the default. A channel left
 * out is never used for replies or continuity; duplicates keep their first place.
 */
export function channelOrderOf(settings: { channelOrder?: readonly Channel[] } | undefined): Channel[] {
  const order = settings?.channelOrder?.length ? settings.channelOrder : DEFAULT_CHANNEL_ORDER;
  return [...new Set(order)];
}
