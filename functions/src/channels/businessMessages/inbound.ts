import type { Channel, ChannelPolicy } from "../../domain/channels";
import { windowAnchor } from "../../domain/channels";
import { bmThreadIdFor, messageIdFor } from "../../domain/ids";
import { newThread, type BmIdentity, type MessageRecord, type ThreadState } from "../../domain/thread";
import { flagLiveAgentRequest, recordBmInbound, recordBmReceipts, recordTypingSignal } from "../../store/bm";
import { recordVisitorMessage } from "../../store/threads";
import type { BmEnvelope, BmPayload } from "./payload";

export type InboundResult = {
  threadId: string;
  outcome: "stored" | "duplicate" | "ignored" | "updated";
  detail?: Record<string, number>;
};

const DEFAULT_NAME = "Business Messages user";

function identityOf(e: BmEnvelope, previous?: BmIdentity): BmIdentity {
  const c = e.context;
  const pick = <T>(next: T | undefined, prev: T | undefined) => next ?? prev;
  const id: BmIdentity = {
    conversationId: e.conversationId,
    agent: e.agent ?? previous?.agent ?? "",
    entryPoint: pick(c.entryPoint, previous?.entryPoint),
    placeId: pick(c.placeId ?? c.nearPlaceId, previous?.placeId),
    widgetUrl: pick(c.widget?.url, previous?.widgetUrl),
    widgetContext: pick(c.widget?.widgetContext, previous?.widgetContext),
    customAgentId: pick(e.customAgentId, previous?.customAgentId),
    liveAgentRequestedAt: previous?.liveAgentRequestedAt,
    lastUserMessageId: previous?.lastUserMessageId,
  };
  return Object.fromEntries(Object.entries(id).filter(([, v]) => v !== undefined)) as BmIdentity;
}

function localeOf(e: BmEnvelope): string | undefined {
  return e.context.userInfo?.userDeviceLocale ?? e.context.resolvedLocale;
}

function createThread(e: BmEnvelope, now: Date): ThreadState {
  const threadId = bmThreadIdFor(e.conversationId);
  return newThread({
    id: threadId,
    origin: "bm",
    visitor: { displayName: e.context.userInfo?.displayName || DEFAULT_NAME, locale: localeOf(e) ?? "en" },
    bm: identityOf(e),
    now,
  });
}

/** Context fills the visitor and `bm` fields; a message also makes the conversation reachable again. */
function refreshThread(e: BmEnvelope, userMessageId?: string) {
  return (t: ThreadState): ThreadState => {
    const bm = identityOf(e, t.bm);
    if (userMessageId) bm.lastUserMessageId = userMessageId;
    const displayName = e.context.userInfo?.displayName;
    return {
      ...t,
      visitor: { ...t.visitor, ...(displayName ? { displayName } : {}), locale: localeOf(e) ?? t.visitor.locale },
      bm,
      reach: { ...t.reach, bm: true },
    };
  };
}

async function visitorMessage(
  e: BmEnvelope,
  p: Extract<BmPayload, { kind: "message" | "suggestionResponse" }>,
  now: Date,
  policies?: Record<Channel, ChannelPolicy>,
): Promise<InboundResult> {
  const threadId = bmThreadIdFor(e.conversationId);
  const requestId = e.requestId!;
  const message: MessageRecord = {
    id: messageIdFor("bm", requestId),
    from: "visitor",
    text: p.kind === "message" && p.imageUrl ? "(image)" : p.text,
    createdAt: now,
    externalId: requestId,
    ...(p.kind === "message" && p.imageUrl ? { image: { url: p.imageUrl } } : {}),
    ...(p.kind === "suggestionResponse" && p.postbackData !== undefined ? { postbackData: p.postbackData } : {}),
    ...(p.kind === "suggestionResponse" && p.type ? { suggestionType: p.type } : {}),
  };
  const result = await recordVisitorMessage({
    threadId,
    createThread: () => createThread(e, now),
    refreshThread: refreshThread(e, p.kind === "message" ? p.messageId : undefined),
    message,
    // The window runs from when the user wrote (createTime), never later than when it reached us;
    // sendTime is Google's delivery time, which a retried delivery pushes later.
    anchor: windowAnchor(p.createTime, now),
    receivedAt: now,
    policies,
  });
  return { threadId, outcome: result.duplicate ? "duplicate" : "stored" };
}

/** Applies one verified, parsed webhook request. Each path is one transaction or one write. */
export async function handleBmEvent(
  e: BmEnvelope,
  p: BmPayload,
  now: Date,
  policies?: Record<Channel, ChannelPolicy>,
): Promise<InboundResult> {
  const threadId = bmThreadIdFor(e.conversationId);
  switch (p.kind) {
    case "message":
    case "suggestionResponse":
      return visitorMessage(e, p, now, policies);
    case "receipts": {
      const r = await recordBmReceipts(threadId, p.receipts, now);
      return {
        threadId,
        outcome: r.applied > 0 ? "updated" : r.duplicates > 0 ? "duplicate" : "ignored",
        detail: { ...r },
      };
    }
    case "userStatus": {
      if (p.requestedLiveAgent) {
        const r = await flagLiveAgentRequest({
          threadId,
          createThread: () => createThread(e, now),
          refreshThread: refreshThread(e),
          at: now,
        });
        return { threadId, outcome: r.changed ? "updated" : "duplicate" };
      }
      if (p.isTyping !== undefined) {
        await recordTypingSignal(threadId, p.isTyping, now);
        return { threadId, outcome: "updated" };
      }
      return { threadId, outcome: "ignored" };
    }
    case "surveyResponse": {
      const r = await recordBmInbound(threadId, messageIdFor("bm", e.requestId!), {
        kind: "surveyResponse",
        conversationId: e.conversationId,
        ...p.response,
        receivedAt: now,
      });
      return { threadId, outcome: r.duplicate ? "duplicate" : "stored" };
    }
    case "authenticationResponse": {
      const { kind, ...rest } = p;
      const r = await recordBmInbound(threadId, messageIdFor("bm", e.requestId!), {
        kind,
        conversationId: e.conversationId,
        ...rest,
        receivedAt: now,
      });
      return { threadId, outcome: r.duplicate ? "duplicate" : "stored" };
    }
    case "dialogflowResponse":
      return { threadId, outcome: "ignored" };
  }
}
