import { z } from "zod";

/**
 * Zod schemas for everything Google POSTs to the webhook (reference/business-messages.md §1).
 * Unknown keys are stripped, never rejected: Google adds fields over time and older samples
 * carry extra ones (`feedbackResponse`).
 */

const short = (max: number) => z.string().max(max);

/** `"true"` (as the docs serialize it) and `true` (as the samples test it) both mean true. */
const looseBool = z.union([z.boolean(), z.enum(["true", "false"])]).transform((v) => v === true || v === "true");

const Handshake = z.object({ clientToken: z.string().min(1), secret: z.string().min(1).max(1024) });

const Context = z.object({
  entryPoint: short(64).optional(),
  userInfo: z.object({ displayName: short(256).optional(), userDeviceLocale: short(64).optional() }).optional(),
  widget: z.object({ url: short(2048).optional(), widgetContext: short(2048).optional() }).optional(),
  resolvedLocale: short(64).optional(),
  customContext: short(4096).optional(),
  placeId: short(512).optional(),
  nearPlaceId: short(512).optional(),
});

const Message = z.object({
  messageId: short(256).optional(),
  name: short(512).optional(),
  text: z.string().min(1, "message.text is empty"),
  createTime: short(64).optional(),
});

const SuggestionResponse = z.object({
  message: short(512).optional(),
  postbackData: short(4096).optional(),
  text: z.string().min(1, "suggestionResponse.text is empty"),
  type: short(64).optional(),
  createTime: short(64).optional(),
});

const Receipts = z.object({
  receipts: z
    .array(z.object({ message: short(512), receiptType: short(64) }))
    .min(1, "receipts.receipts is empty")
    .max(1000),
  createTime: short(64).optional(),
});

const UserStatus = z.object({
  isTyping: looseBool.optional(),
  requestedLiveAgent: looseBool.optional(),
  createTime: short(64).optional(),
});

const SurveyResponse = z.object({
  survey: short(512).optional(),
  rating: short(64).optional(),
  feedback: short(4096).optional(),
  createTime: short(64).optional(),
  surveyQuestionId: short(256).optional(),
  questionResponseText: short(4096).optional(),
  questionResponsePostbackData: short(4096).optional(),
  questionType: short(64).optional(),
  questionIndex: z.number().int().optional(),
  totalQuestionCount: z.number().int().optional(),
  surveyTriggerSource: short(64).optional(),
});

const AuthenticationResponse = z.object({
  code: short(4096).optional(),
  redirectUri: short(2048).optional(),
  /** The test framework's fixtures spell it snake_case. */
  redirect_uri: short(2048).optional(),
  errorDetails: z.object({ error: short(128).optional(), errorDescription: short(2048).optional() }).optional(),
});

const Envelope = z.object({
  requestId: short(512).optional(),
  conversationId: z.string().regex(/^[A-Za-z0-9_.:-]{1,256}$/, "conversationId is missing or malformed"),
  customAgentId: short(512).optional(),
  agent: short(512).optional(),
  sendTime: short(64).optional(),
  context: Context.optional(),
  message: Message.optional(),
  suggestionResponse: SuggestionResponse.optional(),
  receipts: Receipts.optional(),
  userStatus: UserStatus.optional(),
  surveyResponse: SurveyResponse.optional(),
  authenticationResponse: AuthenticationResponse.optional(),
  dialogflowResponse: z.unknown().optional(),
});
type EnvelopeIn = z.infer<typeof Envelope>;

export type BmContext = z.infer<typeof Context>;

export interface BmEnvelope {
  conversationId: string;
  requestId?: string;
  agent?: string;
  customAgentId?: string;
  /** Google's send time, when it parses as a date. */
  sendTime?: Date;
  context: BmContext;
}

export interface BmReceipt {
  /** The Business Messages message id (the last segment of `conversations/{c}/messages/{m}`). */
  messageId: string;
  receiptType: string;
}

export type BmPayload =
  | { kind: "message"; text: string; messageId?: string; imageUrl?: string; createTime?: Date }
  | {
      kind: "suggestionResponse";
      text: string;
      postbackData?: string;
      inReplyTo?: string;
      type?: string;
      createTime?: Date;
    }
  | { kind: "receipts"; receipts: BmReceipt[] }
  | { kind: "userStatus"; isTyping?: boolean; requestedLiveAgent?: boolean }
  | { kind: "surveyResponse"; response: z.infer<typeof SurveyResponse> }
  | {
      kind: "authenticationResponse";
      code?: string;
      redirectUri?: string;
      error?: string;
      errorDescription?: string;
    }
  | { kind: "dialogflowResponse" };

export type BmPayloadKind = BmPayload["kind"];

/**
 * A signed body we cannot act on (a kind we do not know, such as `feedbackResponse`, a `userStatus`
 * without a known flag, a malformed field). Google expects 200 for it all the same: anything else
 * slows and eventually drops the agent's deliveries. It is kept for inspection instead.
 */
export interface BmUnhandled {
  reason: string;
  /** The body's top-level keys that are not the envelope's: what kind it was. */
  kinds: string[];
  conversationId?: string;
  requestId?: string;
}

export type ParsedWebhook =
  | { ok: true; type: "handshake"; clientToken: string; secret: string }
  | { ok: true; type: "event"; envelope: BmEnvelope; payload: BmPayload; truncated: string[] }
  | { ok: true; type: "unhandled"; unhandled: BmUnhandled; truncated: string[] }
  | { ok: false; reason: string };

/** Parses the raw body as JSON, or undefined when it is not JSON. */
export function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** The webhook set-up request: `{clientToken, secret}` and nothing that looks like a user message. */
export function asHandshake(json: unknown): { clientToken: string; secret: string } | undefined {
  if (!json || typeof json !== "object" || "conversationId" in json) return undefined;
  const parsed = Handshake.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** Images arrive as a signed Google Cloud Storage URL in `message.text`. */
export function imageUrlOf(text: string): string | undefined {
  const t = text.trim();
  return /^https:\/\/storage\.googleapis\.com\/\S+$/.test(t) ? t : undefined;
}

/** `conversations/{c}/messages/{m}` → `m` (a bare id is accepted as is). */
export function lastSegment(name: string): string {
  const parts = name.split("/");
  return parts[parts.length - 1] ?? name;
}

function toDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The one payload a request carries, in the order of precedence when a sender sends several. */
function payloadOf(e: EnvelopeIn): BmPayload | undefined {
  if (e.message) {
    const imageUrl = imageUrlOf(e.message.text);
    return {
      kind: "message",
      text: e.message.text,
      messageId: e.message.messageId,
      createTime: toDate(e.message.createTime),
      ...(imageUrl ? { imageUrl } : {}),
    };
  }
  if (e.suggestionResponse) {
    const s = e.suggestionResponse;
    return {
      kind: "suggestionResponse",
      text: s.text,
      postbackData: s.postbackData,
      inReplyTo: s.message && lastSegment(s.message),
      type: s.type,
      createTime: toDate(s.createTime),
    };
  }
  if (e.receipts) {
    return {
      kind: "receipts",
      receipts: e.receipts.receipts.map((r) => ({ messageId: lastSegment(r.message), receiptType: r.receiptType })),
    };
  }
  if (e.userStatus && (e.userStatus.isTyping !== undefined || e.userStatus.requestedLiveAgent !== undefined)) {
    return { kind: "userStatus", isTyping: e.userStatus.isTyping, requestedLiveAgent: e.userStatus.requestedLiveAgent };
  }
  if (e.surveyResponse) return { kind: "surveyResponse", response: e.surveyResponse };
  if (e.authenticationResponse) {
    const a = e.authenticationResponse;
    return {
      kind: "authenticationResponse",
      code: a.code,
      redirectUri: a.redirectUri ?? a.redirect_uri,
      error: a.errorDetails?.error,
      errorDescription: a.errorDetails?.errorDescription,
    };
  }
  if (e.dialogflowResponse !== undefined) return { kind: "dialogflowResponse" };
  return undefined;
}

/** Kinds whose dedupe key is the request id (receipts and typing carry none in Google's samples). */
const NEEDS_REQUEST_ID: BmPayloadKind[] = ["message", "suggestionResponse", "surveyResponse", "authenticationResponse"];

function zodReason(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return "invalid payload";
  return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

const ENVELOPE_KEYS = new Set([
  "requestId",
  "conversationId",
  "customAgentId",
  "agent",
  "sendTime",
  "context",
  "clientToken",
  "secret",
]);

function unhandled(json: unknown, reason: string, truncated: string[]): ParsedWebhook {
  const o = json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === "string" && v.length <= 512 ? v : undefined);
  return {
    ok: true,
    type: "unhandled",
    truncated,
    unhandled: {
      reason: reason.slice(0, 300),
      kinds: Object.keys(o)
        .filter((k) => !ENVELOPE_KEYS.has(k))
        .slice(0, 20)
        .map((k) => k.slice(0, 64)),
      conversationId: str(o.conversationId),
      requestId: str(o.requestId),
    },
  };
}

/** Cuts the string (or list) at `path` to `max`, in place; false when there is nothing to cut. */
function truncateAt(root: unknown, path: PropertyKey[], max: number): boolean {
  let parent: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (!parent || typeof parent !== "object") return false;
    parent = (parent as Record<PropertyKey, unknown>)[key];
  }
  const last = path[path.length - 1];
  if (last === undefined || !parent || typeof parent !== "object") return false;
  const holder = parent as Record<PropertyKey, unknown>;
  const value = holder[last];
  if (typeof value === "string") {
    let cut = value.slice(0, max);
    // Never leave half a surrogate pair at the end.
    if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
    holder[last] = cut;
    return true;
  }
  if (Array.isArray(value)) {
    holder[last] = value.slice(0, max);
    return true;
  }
  return false;
}

/**
 * Parses the envelope; a field over its length limit is cut to the limit (and named in
 * `truncated`) instead of failing the whole request. Any other problem is returned as is.
 */
function parseEnvelope(
  json: object,
): { ok: true; data: EnvelopeIn; truncated: string[] } | { ok: false; reason: string; truncated: string[] } {
  const input: unknown = structuredClone(json);
  const truncated: string[] = [];
  for (let round = 0; round < 5; round++) {
    const parsed = Envelope.safeParse(input);
    if (parsed.success) return { ok: true, data: parsed.data, truncated };
    const issues = parsed.error.issues;
    const cuttable = issues.every((i) => i.code === "too_big" && typeof i.maximum === "number");
    if (!cuttable) return { ok: false, reason: zodReason(parsed.error), truncated };
    for (const issue of issues) {
      const max = Number((issue as { maximum?: number | bigint }).maximum);
      if (!truncateAt(input, issue.path, max)) return { ok: false, reason: zodReason(parsed.error), truncated };
      truncated.push(`${issue.path.join(".")} (over ${max})`);
    }
  }
  return { ok: false, reason: "too many fields over their limits", truncated };
}

/**
 * A signed webhook body → the envelope and its one payload, or what we could not handle
 * (answered 200 and kept for inspection). Only a body that is not JSON is refused.
 */
export function parseUserMessage(json: unknown): ParsedWebhook {
  if (json === undefined) return { ok: false, reason: "body is not JSON" };
  if (!json || typeof json !== "object" || Array.isArray(json)) return unhandled(json, "body is not a JSON object", []);
  const parsed = parseEnvelope(json);
  if (!parsed.ok) return unhandled(json, parsed.reason, parsed.truncated);
  const { data: e, truncated } = parsed;
  const payload = payloadOf(e);
  if (!payload) {
    const reason = e.userStatus
      ? "userStatus without isTyping or requestedLiveAgent"
      : "no known payload (message, suggestionResponse, receipts, userStatus, ...)";
    return unhandled(json, reason, truncated);
  }
  const requestId = e.requestId ?? (payload.kind === "message" ? payload.messageId : undefined);
  if (!requestId && NEEDS_REQUEST_ID.includes(payload.kind)) return unhandled(json, "requestId is missing", truncated);
  const envelope: BmEnvelope = {
    conversationId: e.conversationId,
    requestId,
    agent: e.agent,
    customAgentId: e.customAgentId,
    sendTime: toDate(e.sendTime),
    context: e.context ?? {},
  };
  return { ok: true, type: "event", envelope, payload, truncated };
}
