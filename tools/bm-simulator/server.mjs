// Business Messages simulator: plays Google's side of the protocol locally (Google shut the real
// service down in 2024). It serves the four API calls Afterchat makes, validating them the way the
// spec says Google does, records every request, injects failures for tests, and has a small phone
// page that writes to Afterchat's webhook, signed like Google (base64 HMAC-SHA512 of the raw body).
//
//   GET  /                                   the phone page
//   POST /token                              OAuth 2.0 token endpoint (JWT bearer grant), as Google's
//   POST /v1/conversations/{c}/messages      messages.create
//   POST /v1/conversations/{c}/events        events.create (?eventId=)
//   PATCH /v1/conversations/{c}/messages/{m}/receipt   messages.updateReceipt
//   POST /v1/conversations/{c}/surveys       surveys.create (?surveyId=)
//   GET  /sim/requests[?conversationId=]     recorded API requests (JSON, for tests)
//   GET  /sim/conversations[/{c}]            conversations as the phone sees them
//   POST /sim/conversations                  start one {displayName?, conversationId?, locale?, entryPoint?}
//   POST /sim/conversations/{c}/send         the user acts: {kind: text|image|suggestion|typing|liveAgent|receipt|survey|auth, ...}
//   POST /sim/failures                       {status?, googleStatus?, delayMs?, count?, conversationId?, method?}
//   POST /sim/conversations/{c}/send-batch   {actions: [...], reorder?: true}: several user actions, delivered in reverse order when asked
//   POST /sim/conversations/{c}/lose-acks    {count}: the first answer to each of the next `count` requests is lost (Google redelivers)
//   GET  /sim/webhook-log[?conversationId=]  every webhook delivery (requestId, attempt, status, outcome)
//   DELETE /sim/failures, POST /sim/reset, POST /sim/config {autoDeliveredReceipts, redeliveryBaseMs, redeliveryAttempts}
//
// Sign-in is as strict as Google's: at start the simulator makes a throwaway RSA key and writes a
// service-account key file (BM_SIMULATOR_KEY_FILE, default .cache/bm-simulator/service-account.json)
// whose token_uri is this server's /token. Only access tokens minted there, from a JWT signed with that
// key, open the API; any other bearer is 401 UNAUTHENTICATED.
import { createHmac, generateKeyPairSync, randomBytes, randomUUID, verify } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const PORT = Number(process.env.BM_SIMULATOR_PORT ?? 5055);
const HOST = process.env.BM_SIMULATOR_HOST ?? "127.0.0.1";
const WEBHOOK_URL = process.env.BM_WEBHOOK_URL ?? "http://127.0.0.1:5000/api/bm/webhook";
const CLIENT_TOKEN = process.env.BM_CLIENT_TOKEN ?? "local-client-token";
const AGENT = "brands/afterchat-local/agents/afterchat-local-agent";
const TEXT_MAX = 3072;
const SURVEY_COOLDOWN_MS = 24 * 3600_000;
const PHONE_HTML = readFileSync(new URL("./phone.html", import.meta.url), "utf8");
const KEY_FILE =
  process.env.BM_SIMULATOR_KEY_FILE ??
  fileURLToPath(new URL("../../.cache/bm-simulator/service-account.json", import.meta.url));
/** The audience google-auth-library signs into its assertion (it posts to token_uri when pointed there). */
const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
const BM_SCOPE = "https://www.googleapis.com/auth/businessmessages";
let seq = 0;
const nextSeq = () => ++seq;

const GOOGLE_STATUS = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

/** In-memory state; POST /sim/reset empties it. */
const state = {
  conversations: new Map(),
  requests: [],
  failures: [],
  webhookLog: [],
  config: defaultConfig(),
  generation: 0,
  /**
   * conversationId -> how many more requests lose their first acknowledgement (POST /sim/conversations/{c}/lose-acks).
   * Only first attempts: with several requests in flight, which answer comes back first depends on the
   * machine, and a redelivery that lost its answer too would make the fault's outcome a race.
   */
  loseAcks: new Map(),
  /** access token -> expiry (ms) */
  tokens: new Map(),
};

function defaultConfig() {
  // An unacknowledged webhook is delivered again after redeliveryBaseMs, doubling, redeliveryAttempts in all.
  return { autoDeliveredReceipts: true, redeliveryBaseMs: 400, redeliveryAttempts: 6 };
}

// ---- the service account and OAuth -----------------------------------------------------------------

const serviceAccount = (() => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const port = PORT;
  return {
    publicKey,
    key: {
      type: "service_account",
      project_id: "afterchat-local",
      private_key_id: randomBytes(20).toString("hex"),
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }),
      client_email: "bm-partner@afterchat-local.iam.gserviceaccount.com",
      client_id: "100000000000000000001",
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: `http://${HOST}:${port}/token`,
      universe_domain: "googleapis.com",
    },
  };
})();
mkdirSync(dirname(KEY_FILE), { recursive: true });
writeFileSync(KEY_FILE, JSON.stringify(serviceAccount.key, null, 2), { mode: 0o600 });

const b64url = (s) => Buffer.from(s, "base64url");

/** Checks a JWT-bearer assertion the way Google's token endpoint does; returns a reason when it fails. */
function assertionProblem(assertion) {
  const parts = String(assertion ?? "").split(".");
  if (parts.length !== 3) return "assertion is not a JWT";
  let header, claims;
  try {
    header = JSON.parse(b64url(parts[0]).toString("utf8"));
    claims = JSON.parse(b64url(parts[1]).toString("utf8"));
  } catch {
    return "assertion is not a JWT";
  }
  if (header.alg !== "RS256") return "assertion must be RS256";
  const signed = verify(
    "RSA-SHA256",
    Buffer.from(`${parts[0]}.${parts[1]}`),
    serviceAccount.publicKey,
    b64url(parts[2]),
  );
  if (!signed) return "invalid JWT signature";
  if (claims.iss !== serviceAccount.key.client_email) return "unknown issuer";
  if (![GOOGLE_TOKEN_URL, serviceAccount.key.token_uri].includes(claims.aud)) return "wrong audience";
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp < now) return "assertion expired";
  if (typeof claims.iat !== "number" || claims.iat > now + 300 || claims.exp - claims.iat > 3600)
    return "invalid iat/exp";
  if (
    !String(claims.scope ?? "")
      .split(" ")
      .includes(BM_SCOPE)
  )
    return `scope must include ${BM_SCOPE}`;
  return undefined;
}

async function handleToken(req, res) {
  const form = new URLSearchParams((await readBody(req)).toString("utf8"));
  const answer = (status, body) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };
  if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer")
    return answer(400, { error: "unsupported_grant_type" });
  const problem = assertionProblem(form.get("assertion"));
  if (problem) return answer(400, { error: "invalid_grant", error_description: problem });
  const token = `ya29.sim-${randomBytes(24).toString("base64url")}`;
  state.tokens.set(token, Date.now() + 3600_000);
  answer(200, { access_token: token, expires_in: 3599, token_type: "Bearer" });
}

function validBearer(header) {
  const m = /^Bearer (\S+)$/.exec(header ?? "");
  const expiry = m && state.tokens.get(m[1]);
  return Boolean(expiry && expiry > Date.now());
}

function conversation(id, init = {}) {
  let c = state.conversations.get(id);
  if (!c) {
    c = {
      id,
      displayName: init.displayName ?? "Sam from the simulator",
      locale: init.locale ?? "en",
      entryPoint: init.entryPoint ?? "PLACESHEET",
      placeId: init.placeId,
      widgetUrl: init.widgetUrl,
      messages: [],
      events: [],
      surveys: [],
      businessTyping: false,
      createdAt: new Date().toISOString(),
    };
    state.conversations.set(id, c);
  }
  return c;
}

class ApiError extends Error {
  constructor(status, message, googleStatus = GOOGLE_STATUS[status] ?? "UNKNOWN") {
    super(message);
    this.status = status;
    this.googleStatus = googleStatus;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const need = (cond, message, status = 400, googleStatus) => {
  if (!cond) throw new ApiError(status, message, googleStatus);
};

// ---- validation, as reference/business-messages.md §2 describes Google's --------------------------

function validateRepresentative(r, where = "representative") {
  need(r && typeof r === "object", `${where} is required`);
  need(["BOT", "HUMAN"].includes(r.representativeType), `${where}.representativeType must be BOT or HUMAN`);
  if (r.displayName !== undefined)
    need(typeof r.displayName === "string" && r.displayName.length <= 100, `${where}.displayName is invalid`);
  if (r.avatarImage !== undefined)
    need(/^https:\/\//.test(r.avatarImage), `${where}.avatarImage must be a public https URL`);
}

function validateSuggestions(list, max, where, representative) {
  need(Array.isArray(list), `${where} must be a list`);
  need(list.length <= max, `${where}: at most ${max} suggestions`);
  list.forEach((s, i) => {
    const kinds = ["reply", "action", "liveAgentRequest", "authenticationRequest"].filter((k) => s?.[k] !== undefined);
    need(
      kinds.length === 1,
      `${where}[${i}] must have exactly one of reply, action, liveAgentRequest, authenticationRequest`,
    );
    const chip = s.reply ?? s.action;
    if (chip) {
      need(
        typeof chip.text === "string" && chip.text.length > 0 && chip.text.length <= 25,
        `${where}[${i}].text: 1-25 characters`,
      );
      need(typeof chip.postbackData === "string", `${where}[${i}].postbackData is required`);
    }
    if (s.action)
      need(
        Boolean(s.action.openUrlAction?.url || s.action.dialAction?.phoneNumber),
        `${where}[${i}].action needs openUrlAction or dialAction`,
      );
    if (s.liveAgentRequest)
      need(
        representative?.representativeType === "BOT",
        "liveAgentRequest suggestions must be sent by a BOT representative",
      );
  });
}

// Google's v1 limits (nodejs-businessmessages v1.d.ts: CardContent, CarouselCard, ContentInfo, Media).
const HEIGHTS = ["HEIGHT_UNSPECIFIED", "SHORT", "MEDIUM", "TALL"];
const CARD_WIDTHS = ["CARD_WIDTH_UNSPECIFIED", "SMALL", "MEDIUM"];

function validateContentInfo(info, where) {
  need(info && typeof info === "object", `${where} is required`);
  // "Publicly reachable URL": the simulator insists on https, as the product does.
  need(
    typeof info.fileUrl === "string" && /^https:\/\/[^\s]+$/.test(info.fileUrl),
    `${where}.fileUrl must be an https URL`,
  );
  if (info.thumbnailUrl !== undefined)
    need(/^https:\/\/[^\s]+$/.test(String(info.thumbnailUrl)), `${where}.thumbnailUrl must be an https URL`);
  if (info.forceRefresh !== undefined) need(typeof info.forceRefresh === "boolean", `${where}.forceRefresh: boolean`);
}

function validateCard(card, where, representative) {
  need(card && typeof card === "object", `${where} is required`);
  need(
    card.title !== undefined || card.description !== undefined || card.media !== undefined,
    `${where} needs a title, description or media`,
  );
  if (card.title !== undefined) need(String(card.title).length <= 200, `${where}.title: at most 200 characters`);
  if (card.description !== undefined)
    need(String(card.description).length <= 2000, `${where}.description: at most 2000 characters`);
  if (card.media) {
    if (card.media.height !== undefined) need(HEIGHTS.includes(card.media.height), `${where}.media.height is invalid`);
    validateContentInfo(card.media.contentInfo, `${where}.media.contentInfo`);
  }
  if (card.suggestions) validateSuggestions(card.suggestions, 4, `${where}.suggestions`, representative);
}

function validateMessage(body, query) {
  need(body && typeof body === "object", "body must be a Message object");
  need(typeof body.messageId === "string" && UUID.test(body.messageId), "messageId is required and must be a UUID");
  validateRepresentative(body.representative);
  const contents = ["text", "image", "richCard"].filter((k) => body[k] !== undefined);
  need(contents.length === 1, "exactly one of text, image, richCard is required");
  if (body.text !== undefined) {
    need(typeof body.text === "string" && body.text.length > 0, "text must not be empty");
    need(body.text.length <= TEXT_MAX, `text: at most ${TEXT_MAX} characters`);
  }
  if (body.fallback !== undefined)
    need(
      typeof body.fallback === "string" && body.fallback.length <= TEXT_MAX,
      `fallback: at most ${TEXT_MAX} characters`,
    );
  if (body.image) validateContentInfo(body.image.contentInfo, "image.contentInfo");
  if (body.richCard) {
    const { standaloneCard, carouselCard } = body.richCard;
    need(
      Boolean(standaloneCard) !== Boolean(carouselCard),
      "richCard needs exactly one of standaloneCard, carouselCard",
    );
    if (standaloneCard)
      validateCard(standaloneCard.cardContent, "richCard.standaloneCard.cardContent", body.representative);
    if (carouselCard) {
      const cards = carouselCard.cardContents;
      need(Array.isArray(cards) && cards.length >= 2 && cards.length <= 10, "carouselCard.cardContents: 2 to 10 cards");
      if (carouselCard.cardWidth !== undefined)
        need(CARD_WIDTHS.includes(carouselCard.cardWidth), "carouselCard.cardWidth is invalid");
      cards.forEach((c, i) => validateCard(c, `carouselCard.cardContents[${i}]`, body.representative));
    }
  }
  if (body.suggestions !== undefined) validateSuggestions(body.suggestions, 13, "suggestions", body.representative);
  // forceFallback shows the fallback as if the device lacked rich support: without one, Google refuses.
  if (query.get("forceFallback") === "true")
    need(typeof body.fallback === "string", "forceFallback requires fallback", 400, "FAILED_PRECONDITION");
}

// ---- the four API methods ------------------------------------------------------------------------

function knownConversation(id) {
  const c = state.conversations.get(id);
  need(Boolean(c), `conversation ${id} does not exist or the agent may not message it`, 403);
  return c;
}

const api = {
  createMessage(c, body, query) {
    const conv = knownConversation(c);
    validateMessage(body, query);
    need(!conv.messages.some((m) => m.messageId === body.messageId), `message ${body.messageId} already exists`, 409);
    const at = new Date().toISOString();
    conv.messages.push({
      seq: nextSeq(),
      from: "business",
      messageId: body.messageId,
      text: body.text ?? body.fallback ?? "(rich content)",
      representative: body.representative,
      suggestions: body.suggestions ?? [],
      ...(body.image ? { imageContent: body.image } : {}),
      ...(body.richCard ? { richCard: body.richCard } : {}),
      fallback: body.fallback,
      at,
      receipts: {},
    });
    conv.businessTyping = false;
    if (state.config.autoDeliveredReceipts) {
      setTimeout(
        () =>
          userAction(conv.id, { kind: "receipt", receiptType: "DELIVERED", messageIds: [body.messageId] }).catch(
            () => {},
          ),
        30,
      );
    }
    return { name: `conversations/${c}/messages/${body.messageId}`, ...body };
  },
  createEvent(c, body, query) {
    const conv = knownConversation(c);
    const eventId = query.get("eventId");
    need(Boolean(eventId), "eventId is required");
    need(
      ["TYPING_STARTED", "TYPING_STOPPED", "REPRESENTATIVE_JOINED", "REPRESENTATIVE_LEFT"].includes(body?.eventType),
      "eventType is invalid",
    );
    validateRepresentative(body.representative);
    need(!conv.events.some((e) => e.eventId === eventId), `event ${eventId} already exists`, 409);
    conv.events.push({
      seq: nextSeq(),
      eventId,
      eventType: body.eventType,
      representative: body.representative,
      at: new Date().toISOString(),
    });
    if (body.eventType === "TYPING_STARTED") conv.businessTyping = true;
    if (body.eventType === "TYPING_STOPPED") conv.businessTyping = false;
    return { name: `conversations/${c}/events/${eventId}`, ...body };
  },
  updateReceipt(c, m, body) {
    const conv = knownConversation(c);
    need(body?.receiptType === "READ", "agents may only send READ receipts");
    const msg = conv.messages.find((x) => x.from === "user" && x.messageId === m);
    need(Boolean(msg), `message ${m} not found in this conversation`, 404);
    msg.readByBusiness = new Date().toISOString();
    return { name: `conversations/${c}/messages/${m}/receipt`, receiptType: "READ" };
  },
  createSurvey(c, _body, query) {
    const conv = knownConversation(c);
    const surveyId = query.get("surveyId");
    need(Boolean(surveyId) && UUID.test(surveyId), "surveyId is required and must be a UUID");
    const last = conv.surveys[conv.surveys.length - 1];
    need(
      !last || Date.now() - Date.parse(last.at) >= SURVEY_COOLDOWN_MS,
      "a survey was already sent in the last 24 hours",
      429,
    );
    conv.surveys.push({ surveyId, at: new Date().toISOString() });
    return { name: `conversations/${c}/surveys/${surveyId}` };
  },
};

function route(method, path) {
  let m;
  if (method === "POST" && (m = /^\/v1\/conversations\/([^/]+)\/messages$/.exec(path)))
    return { op: "messages.create", c: m[1] };
  if (method === "POST" && (m = /^\/v1\/conversations\/([^/]+)\/events$/.exec(path)))
    return { op: "events.create", c: m[1] };
  if (method === "PATCH" && (m = /^\/v1\/conversations\/([^/]+)\/messages\/([^/]+)\/receipt$/.exec(path)))
    return { op: "messages.updateReceipt", c: m[1], m: m[2] };
  if (method === "POST" && (m = /^\/v1\/conversations\/([^/]+)\/surveys$/.exec(path)))
    return { op: "surveys.create", c: m[1] };
  return undefined;
}

/** The first failure rule matching this call; a rule with a count runs out. */
function takeFailure(op, c) {
  const rule = state.failures.find(
    (f) => (!f.conversationId || f.conversationId === c) && (!f.method || f.method === op) && f.count !== 0,
  );
  if (rule && typeof rule.count === "number") rule.count -= 1;
  return rule;
}

async function handleApi(req, res, url, r) {
  const raw = await readBody(req);
  const c = decodeURIComponent(r.c);
  const record = {
    id: state.requests.length + 1,
    at: new Date().toISOString(),
    op: r.op,
    method: req.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    conversationId: c,
    hasAuthorization: /^Bearer \S+/.test(req.headers.authorization ?? ""),
    authenticated: validBearer(req.headers.authorization),
    body: undefined,
    status: 0,
  };
  state.requests.push(record);
  const answer = (status, body) => {
    record.status = status;
    if (status >= 400) record.error = body.error;
    sendJson(res, status, body);
  };
  try {
    need(record.authenticated, "request is missing a valid OAuth 2.0 access token", 401);
    try {
      record.body = raw.length ? JSON.parse(raw.toString("utf8")) : {};
    } catch {
      throw new ApiError(400, "body is not JSON");
    }
    const failure = takeFailure(r.op, c);
    if (failure?.delayMs) await new Promise((done) => setTimeout(done, failure.delayMs));
    if (failure?.status)
      throw new ApiError(failure.status, failure.message ?? "injected failure", failure.googleStatus);
    let result;
    if (r.op === "messages.create") result = api.createMessage(c, record.body, url.searchParams);
    else if (r.op === "events.create") result = api.createEvent(c, record.body, url.searchParams);
    else if (r.op === "messages.updateReceipt") result = api.updateReceipt(c, decodeURIComponent(r.m), record.body);
    else result = api.createSurvey(c, record.body, url.searchParams);
    answer(200, result);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    answer(err.status, { error: { code: err.status, message: err.message, status: err.googleStatus } });
  }
}

// ---- the user's side: signed webhook calls ------------------------------------------------------

export function sign(rawBody) {
  return createHmac("sha512", CLIENT_TOKEN).update(rawBody).digest("base64");
}

function envelope(conv) {
  return {
    requestId: randomUUID(),
    conversationId: conv.id,
    customAgentId: "afterchat-local",
    agent: AGENT,
    sendTime: new Date().toISOString(),
    context: {
      entryPoint: conv.entryPoint,
      userInfo: { displayName: conv.displayName, userDeviceLocale: conv.locale },
      resolvedLocale: conv.locale.split("-")[0],
      ...(conv.placeId ? { placeId: conv.placeId } : {}),
      ...(conv.widgetUrl ? { widget: { url: conv.widgetUrl } } : {}),
    },
  };
}

/** Builds the UserMessage Google would send for a user action (reference §1.4). */
function payloadFor(conv, action) {
  const e = envelope(conv);
  const now = e.sendTime;
  switch (action.kind) {
    case "text":
    case "image": {
      const messageId = randomUUID();
      const text =
        action.kind === "image"
          ? `https://storage.googleapis.com/afterchat-simulator/${messageId}.jpg?X-Goog-Signature=simulated`
          : String(action.text ?? "");
      conv.messages.push({ from: "user", messageId, text, at: now, image: action.kind === "image" });
      return {
        ...e,
        message: { messageId, name: `conversations/${conv.id}/messages/${messageId}`, text, createTime: now },
      };
    }
    case "suggestion":
      conv.messages.push({ from: "user", messageId: randomUUID(), text: action.text, at: now, suggestion: true });
      return {
        ...e,
        suggestionResponse: {
          message: `conversations/${conv.id}/messages/${action.inReplyTo ?? randomUUID()}`,
          postbackData: action.postbackData ?? "",
          text: action.text,
          createTime: now,
          // A reply chip answers REPLY; an action chip (open URL, dial) ACTION.
          type: action.type === "ACTION" ? "ACTION" : "REPLY",
        },
      };
    case "typing":
      return { ...e, userStatus: { isTyping: action.isTyping === false ? "false" : "true", createTime: now } };
    case "liveAgent":
      return { ...e, userStatus: { requestedLiveAgent: true, createTime: now } };
    case "receipt": {
      const type = action.receiptType ?? "READ";
      const ids =
        action.messageIds ??
        conv.messages.filter((m) => m.from === "business" && !m.receipts[type]).map((m) => m.messageId);
      for (const m of conv.messages) if (ids.includes(m.messageId) && m.receipts) m.receipts[type] = now;
      if (ids.length === 0) return undefined;
      const { requestId: _r, ...rest } = e;
      return {
        ...rest,
        receipts: {
          receipts: ids.map((id) => ({ message: `conversations/${conv.id}/messages/${id}`, receiptType: type })),
          createTime: now,
        },
      };
    }
    case "survey": {
      const survey = conv.surveys[conv.surveys.length - 1];
      return {
        ...e,
        surveyResponse: {
          survey: `conversations/${conv.id}/surveys/${survey?.surveyId ?? randomUUID()}`,
          rating: action.rating ?? "VERY_SATISFIED",
          feedback: action.feedback,
          createTime: now,
        },
      };
    }
    case "auth":
      return {
        ...e,
        authenticationResponse: {
          code: action.code ?? "simulated-auth-code",
          redirectUri: "https://business.google.com/callback",
        },
      };
    default:
      throw new ApiError(400, `unknown action kind ${action.kind}`);
  }
}

/**
 * POSTs one UserMessage to the webhook, as Google does: a request that is not acknowledged (no 2xx,
 * no answer, or an answer the `loseAcks` fault throws away) is delivered again, the same bytes and
 * the same requestId, with exponential backoff. Resolves with the first attempt's answer.
 */
async function deliver(payload) {
  const raw = Buffer.from(JSON.stringify(payload));
  const kind = Object.keys(payload).find((k) =>
    ["message", "suggestionResponse", "receipts", "userStatus", "surveyResponse", "authenticationResponse"].includes(k),
  );
  const first = await attempt(raw, payload, kind, 1);
  return first;
}

async function attempt(raw, payload, kind, n) {
  const entry = {
    seq: nextSeq(),
    at: new Date().toISOString(),
    kind,
    conversationId: payload.conversationId,
    requestId: payload.requestId,
    attempt: n,
    status: 0,
  };
  state.webhookLog.push(entry);
  let result;
  try {
    const res = await fetch(WEBHOOK_URL, {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-signature": sign(raw) },
      body: raw,
    });
    entry.status = res.status;
    const body = await res.text();
    try {
      entry.outcome = JSON.parse(body).outcome;
    } catch {
      entry.outcome = undefined;
    }
    result = { status: res.status, body };
  } catch (err) {
    entry.error = err.cause?.code ?? err.message;
    result = { status: 0, error: entry.error };
  }
  let acknowledged = result.status >= 200 && result.status < 300;
  const toLose = state.loseAcks.get(payload.conversationId) ?? 0;
  if (acknowledged && toLose > 0 && n === 1) {
    state.loseAcks.set(payload.conversationId, toLose - 1);
    entry.ackLost = true;
    acknowledged = false;
  }
  if (!acknowledged && n < state.config.redeliveryAttempts) {
    const delay = state.config.redeliveryBaseMs * 2 ** (n - 1);
    entry.redeliverInMs = delay;
    const generation = state.generation;
    setTimeout(() => {
      if (generation === state.generation) attempt(raw, payload, kind, n + 1).catch(() => {});
    }, delay);
  }
  return result;
}

async function userAction(conversationId, action) {
  const conv = conversation(conversationId);
  const payload = payloadFor(conv, action);
  if (!payload) return { status: 204, skipped: "nothing to send" };
  return { ...(await deliver(payload)), requestId: payload.requestId };
}

/** Several user actions at once; `reorder` delivers them last first, as Google may. */
async function userBatch(conversationId, { actions = [], reorder = false }) {
  const conv = conversation(conversationId);
  const payloads = actions.map((a) => payloadFor(conv, a)).filter(Boolean);
  const order = reorder ? [...payloads].reverse() : payloads;
  const results = [];
  for (const p of order) results.push({ ...(await deliver(p)), requestId: p.requestId });
  return { deliveredInOrder: order.map((p) => p.requestId), results };
}

// ---- HTTP plumbing -------------------------------------------------------------------------------

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendJson(res, status, body) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

async function jsonBody(req) {
  const raw = await readBody(req);
  if (!raw.length) return {};
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ApiError(400, "body is not JSON");
  }
}

function view(conv) {
  return { ...conv, lastEvent: conv.events[conv.events.length - 1] };
}

async function handleSim(req, res, url) {
  const p = url.pathname;
  let m;
  if (req.method === "GET" && p === "/sim/requests") {
    const c = url.searchParams.get("conversationId");
    return sendJson(res, 200, { requests: state.requests.filter((r) => !c || r.conversationId === c) });
  }
  if (req.method === "GET" && p === "/sim/webhook-log") {
    const c = url.searchParams.get("conversationId");
    return sendJson(res, 200, { deliveries: state.webhookLog.filter((d) => !c || d.conversationId === c) });
  }
  if (req.method === "GET" && p === "/sim/conversations") {
    return sendJson(res, 200, { conversations: [...state.conversations.values()].map(view) });
  }
  if (req.method === "GET" && (m = /^\/sim\/conversations\/([^/]+)$/.exec(p))) {
    const conv = state.conversations.get(decodeURIComponent(m[1]));
    return conv ? sendJson(res, 200, view(conv)) : sendJson(res, 404, { error: "no such conversation" });
  }
  if (req.method === "POST" && p === "/sim/conversations") {
    const b = await jsonBody(req);
    const id = b.conversationId ?? randomUUID();
    need(/^[A-Za-z0-9_.:-]{1,256}$/.test(id), "conversationId: letters, digits, _ . : -");
    return sendJson(res, 201, view(conversation(id, b)));
  }
  if (req.method === "POST" && (m = /^\/sim\/conversations\/([^/]+)\/send$/.exec(p))) {
    const action = await jsonBody(req);
    return sendJson(res, 200, await userAction(decodeURIComponent(m[1]), action));
  }
  if (req.method === "POST" && (m = /^\/sim\/conversations\/([^/]+)\/send-batch$/.exec(p))) {
    return sendJson(res, 200, await userBatch(decodeURIComponent(m[1]), await jsonBody(req)));
  }
  if (req.method === "POST" && (m = /^\/sim\/conversations\/([^/]+)\/lose-acks$/.exec(p))) {
    // The next `count` answers of the webhook for this conversation are "lost": Google redelivers.
    const { count = 1 } = await jsonBody(req);
    state.loseAcks.set(decodeURIComponent(m[1]), Number(count));
    return sendJson(res, 200, { count: Number(count) });
  }
  if (req.method === "POST" && p === "/sim/failures") {
    const rule = await jsonBody(req);
    state.failures.push(rule);
    return sendJson(res, 201, { failures: state.failures });
  }
  if (req.method === "DELETE" && p === "/sim/failures") {
    state.failures = [];
    return sendJson(res, 200, { failures: [] });
  }
  if (req.method === "POST" && p === "/sim/config") {
    Object.assign(state.config, await jsonBody(req));
    return sendJson(res, 200, state.config);
  }
  if (req.method === "POST" && p === "/sim/reset") {
    state.conversations.clear();
    state.requests = [];
    state.failures = [];
    state.webhookLog = [];
    state.config = defaultConfig();
    state.loseAcks.clear();
    state.generation += 1; // pending redeliveries of the old state are dropped
    return sendJson(res, 200, { ok: true });
  }
  return sendJson(res, 404, { error: "no such simulator route" });
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host ?? "localhost"}`);
  try {
    if (req.method === "GET" && (url.pathname === "/" || url.pathname === "/phone")) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      return res.end(PHONE_HTML);
    }
    if (req.method === "POST" && url.pathname === "/token") return await handleToken(req, res);
    if (req.method === "GET" && url.pathname === "/health")
      return sendJson(res, 200, { ok: true, service: "bm-simulator" });
    const r = route(req.method, url.pathname);
    if (r) return await handleApi(req, res, url, r);
    if (url.pathname.startsWith("/sim/")) return await handleSim(req, res, url);
    sendJson(res, 404, { error: { code: 404, message: "not found", status: "NOT_FOUND" } });
  } catch (err) {
    if (err instanceof ApiError) return sendJson(res, err.status, { error: err.message });
    console.error(`bm-simulator: ${err.stack ?? err}`);
    sendJson(res, 500, { error: "simulator error" });
  }
});

server.listen(PORT, HOST, () => {
  console.log(`Business Messages simulator on http://${HOST}:${PORT}/ (webhook ${WEBHOOK_URL})`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));
