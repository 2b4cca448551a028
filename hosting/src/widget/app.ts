// The chat app inside the iframe: history, composer, realtime replies (polling the visitor's own
// thread through Firestore REST), read states, away message, email capture and "Notify me".
// The same app is the chat page behind emailed links (/t/<token>, "page mode", docs/reach.md): it
// exchanges the link once for this device's access, and links back to the business's site with a
// one-time code that the widget there redeems (partitioned storage: it cannot read ours).
import { ApiError, getConfig, post, type WidgetConfig } from "./api";
import { loadEnv, type Env } from "./env";
import { getDocs, messagesSince, ReadError, type Doc } from "./firestore";
import { format, pickLanguage, strings } from "./i18n/index";
import { cardViewsOf, renderCard, type CardView } from "./cards";
import { renderText } from "./linkify";
import { ACCENT_PATTERN, textOn, type LaunchOptions, type ToApp, type ToLoader } from "./protocol";
import { idToken } from "./session";
import { openPushWindow } from "../push/opener";
import { KEYS, load, loadText, remove, save, saveText } from "./storage";
import { agentTypingPath, threadPath } from "../../../functions/src/contract/paths";

interface Message {
  id: string;
  from: string;
  text: string;
  createdAt: Date;
  authorName?: string;
  /** Reply chips offered with an agent's message (Google's `{reply: {text}}` suggestions). */
  chips?: string[];
  /** An agent's rich card or image, as accessible text (cards.ts). */
  cards?: CardView[];
}
interface Pending {
  cid: string;
  text: string;
  at: number;
  state: "sending" | "failed";
  error?: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const launch = readLaunchOptions();
const lang = pickLanguage(launch.locale, navigator.languages ?? [navigator.language]);
const t = strings(lang);
const embedded = window.parent !== window;
const pageMode = document.documentElement.dataset.mode === "page";

const log = $<HTMLOListElement>("log");
const input = $<HTMLTextAreaElement>("text");
const form = $<HTMLFormElement>("composer");
const errorBox = $<HTMLParagraphElement>("error");
const typingBox = $<HTMLParagraphElement>("typing");

// Started at once (the session, then the link or handoff code exchange); every network path awaits
// it, so a visitor typing before it resolves loses nothing.
const envReady = loadEnv().then(async (loaded) => {
  env = loaded;
  if (pageMode) await exchangeLink();
  else if (launch.handoff) await redeemHandoff(launch.handoff);
  return loaded;
});
// Also at once: every visitor call waits for it to know whether App Check is on (appCheck.ts).
const configReady = getConfig().catch(() => undefined);
/** Set when the page's link was refused: the page says why and shows nothing of any thread. */
let refusal: { code: string; reason: string; token: string } | undefined;
let env: Env;
let config: WidgetConfig | undefined;
let threadId: string | undefined = loadText(KEYS.threadId);
const messages = new Map<string, Message>();
let outbox: Pending[] = load<Pending[]>(KEYS.outbox) ?? [];
const inFlight = new Set<string>();
let unreadForAgents = 0;
let threadVersion = "";
let cursor = new Date(0);
let lastActivity = Date.now();
let visible = launch.mode === "open";
let pollTimer: ReturnType<typeof setTimeout> | undefined;
let lastMarkedSeen = 0;
const rows = new Map<string, HTMLLIElement>();

function readLaunchOptions(): LaunchOptions {
  const p = new URLSearchParams(location.hash.slice(1));
  return {
    mode: p.get("mode") === "badge" ? "badge" : "open",
    locale: p.get("locale"),
    greeting: p.get("greeting"),
    accent: p.get("accent"),
    handoff: p.get("handoff"),
  };
}

function tell(message: ToLoader): void {
  if (embedded) window.parent.postMessage(message, "*"); // carries no secret: a count or "close"
}

/* ---------- rendering ---------- */

/** The chat page shows times in the business's zone, and names it (the widget: the visitor's own). */
function businessZone(): string | undefined {
  return (pageMode && config?.timeZone) || undefined;
}

function timeLabel(at: Date): string {
  try {
    return at.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", timeZone: businessZone() });
  } catch {
    return at.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  }
}

/** "Asia/Ho_Chi_Minh (GMT+7)": the zone's name and its current offset. */
function zoneName(timeZone: string): string {
  try {
    const short = new Intl.DateTimeFormat(lang, { timeZone, timeZoneName: "short" })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName")?.value;
    return short && short !== timeZone ? `${timeZone} (${short})` : timeZone;
  } catch {
    return timeZone;
  }
}

function row(key: string, cls: string, text: string, at: Date, who: string): HTMLLIElement {
  let li = rows.get(key);
  if (!li) {
    li = document.createElement("li");
    const body = document.createElement("p");
    body.append(...renderText(text)); // untrusted text: text nodes and http(s) links only
    const meta = document.createElement("span");
    meta.className = "meta";
    li.append(body, meta);
    rows.set(key, li);
  }
  li.className = cls;
  const meta = li.lastElementChild as HTMLSpanElement;
  meta.textContent = `${who} · ${timeLabel(at)}`;
  return li;
}

/**
 * Reply chips under the latest message, as buttons: tapping one sends its text as the visitor's
 * message, so a reply with chips works the same here as on Business Messages. Text nodes only.
 */
function chipRow(li: HTMLLIElement, chips: string[] | undefined): void {
  const current = li.querySelector<HTMLElement>(".chips");
  const wanted = chips?.join("\u0000") ?? "";
  if (current?.dataset.chips === wanted) return;
  current?.remove();
  if (!chips?.length) return;
  const box = document.createElement("div");
  box.className = "chips";
  box.dataset.chips = wanted;
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", t.suggestedReplies);
  for (const text of chips) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    button.addEventListener("click", () => {
      input.value = text;
      send();
    });
    box.append(button);
  }
  li.insertBefore(box, li.querySelector(".meta"));
}

/** The message's cards under its text, built once (they never change after the message is stored). */
function cardRow(li: HTMLLIElement, cards: CardView[] | undefined): void {
  if (!cards?.length || li.querySelector(".cards")) return;
  const box = document.createElement("div");
  box.className = "cards";
  for (const view of cards)
    box.append(
      renderCard(
        view,
        (text) => {
          input.value = text;
          send();
        },
        t.card,
      ),
    );
  li.insertBefore(box, li.querySelector(".meta"));
}

/** Only reply chips: `{reply: {text}}` entries with a string text (the message was validated when stored). */
function replyChipsOf(suggestions: unknown): string[] | undefined {
  if (!Array.isArray(suggestions)) return undefined;
  const chips = suggestions.flatMap((s: unknown) => {
    const text = (s as { reply?: { text?: unknown } } | null)?.reply?.text;
    return typeof text === "string" && text ? [text.slice(0, 25)] : [];
  });
  return chips.length ? chips.slice(0, 13) : undefined;
}

function statusLine(li: HTMLLIElement, text: string, retry?: Pending): void {
  let status = li.querySelector<HTMLElement>(".status");
  if (!text) return status?.remove();
  if (!status) {
    status = document.createElement("span");
    status.className = "status";
    li.append(status);
  }
  status.textContent = text;
  if (retry) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = t.retry;
    button.addEventListener("click", () => deliver(retry));
    status.append(" ", button);
  }
}

function render(): void {
  const ordered = [...messages.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const lastVisitor = ordered.filter((m) => m.from === "visitor").pop();
  const items: HTMLLIElement[] = [];
  for (const m of ordered) {
    const who = m.from === "visitor" ? t.you : m.authorName || t.agent;
    const li = row(m.id, m.from === "visitor" ? "visitor" : "agent", m.text, m.createdAt, who);
    cardRow(li, m.cards);
    statusLine(li, m === lastVisitor ? (unreadForAgents === 0 ? t.read : t.sent) : "");
    chipRow(li, m === ordered[ordered.length - 1] && m.from !== "visitor" && !outbox.length ? m.chips : undefined);
    items.push(li);
  }
  for (const p of outbox) {
    const failed = p.state === "failed" || (!inFlight.has(p.cid) && Date.now() - p.at > 30_000);
    const li = row(p.cid, `visitor${failed ? " failed" : " pending"}`, p.text, new Date(p.at), t.you);
    li.querySelector(".status")?.remove();
    statusLine(li, failed ? `${t.notSent} ${p.error ?? ""}`.trim() : t.sending, failed ? p : undefined);
    items.push(li);
  }
  const keep = new Set(items);
  for (const [key, li] of rows) {
    if (keep.has(li)) continue;
    li.remove();
    rows.delete(key);
  }
  items.forEach((li, i) => {
    if (log.children[i + 1] !== li) log.insertBefore(li, log.children[i + 1] ?? null); // child 0: greeting
  });
  $("reach").hidden = !threadId;
  if (items.length) log.lastElementChild?.scrollIntoView({ block: "end" });
}

function showError(text: string): void {
  errorBox.textContent = text;
}

/* ---------- sending ---------- */

function saveOutbox(): void {
  save(KEYS.outbox, outbox);
}

function describe(err: unknown): string {
  if (!navigator.onLine) return t.offline;
  if (!(err instanceof ApiError) || err.status === 0) return t.networkFailed;
  if (err.status === 429) return format(t.rateLimited, { seconds: err.retryAfterSeconds || 60 });
  if (err.status === 413 || /longer than/.test(err.reason)) return t.tooLong;
  return format(t.sendFailed, { reason: err.reason });
}

async function deliver(p: Pending): Promise<void> {
  if (inFlight.has(p.cid)) return;
  inFlight.add(p.cid);
  p.state = "sending";
  delete p.error;
  render();
  try {
    env = await envReady;
    const r = await post(env, "/messages", {
      text: p.text,
      clientMessageId: p.cid,
      locale: lang,
      threadId, // a resumed thread belongs to another device's visitor too; the API checks we are attached
    });
    outbox = outbox.filter((o) => o.cid !== p.cid);
    messages.set(r.messageId, { id: r.messageId, from: "visitor", text: p.text, createdAt: new Date(r.createdAt) });
    unreadForAgents += 1;
    rows.get(p.cid)?.remove();
    rows.delete(p.cid);
    if (threadId !== r.threadId) saveText(KEYS.threadId, (threadId = r.threadId));
    tell({ afterchat: "unread", count: 0 }); // the loader now knows there is a thread (badge on later visits)
    showError("");
  } catch (err) {
    p.state = "failed";
    p.error = describe(err);
    showError(p.error);
  } finally {
    inFlight.delete(p.cid);
    saveOutbox();
    lastActivity = Date.now();
    render();
    schedulePoll(0);
  }
}

function send(): void {
  const text = input.value.trim();
  if (!text) return;
  const p: Pending = { cid: crypto.randomUUID().replace(/-/g, ""), text, at: Date.now(), state: "sending" };
  outbox.push(p);
  saveOutbox();
  input.value = "";
  void deliver(p);
}

/* ---------- realtime: poll the visitor's own thread ---------- */

/** Fast while a conversation is live, slower when idle, slowest when nobody is looking. */
function pollDelay(): number {
  if (!visible || document.hidden) return 60_000;
  const idle = Date.now() - lastActivity;
  return idle < 2 * 60_000 ? 2_000 : idle < 10 * 60_000 ? 5_000 : 15_000;
}

function schedulePoll(ms = pollDelay()): void {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(poll, ms);
}

function merge(docs: Doc[]): boolean {
  let fresh = false;
  for (const d of docs) {
    if (messages.has(d.id)) continue;
    const m: Message = {
      id: d.id,
      from: String(d.from),
      text: String(d.text ?? ""),
      createdAt: d.createdAt as Date,
      authorName: d.authorName as string | undefined,
      chips: replyChipsOf(d.suggestions),
      cards: cardViewsOf(d.richCard, d.imageContent, t.image),
    };
    messages.set(d.id, m);
    if (m.createdAt > cursor) cursor = m.createdAt;
    fresh = true;
  }
  return fresh;
}

function unreadReplies(): number {
  const seen = load<number>(KEYS.lastSeen) ?? 0;
  return [...messages.values()].filter((m) => m.from !== "visitor" && m.createdAt.getTime() > seen).length;
}

async function markSeen(): Promise<void> {
  const newest = Math.max(
    0,
    ...[...messages.values()].filter((m) => m.from !== "visitor").map((m) => m.createdAt.getTime()),
  );
  save(KEYS.lastSeen, Math.max(newest, load<number>(KEYS.lastSeen) ?? 0));
  tell({ afterchat: "unread", count: 0 });
  if (newest > lastMarkedSeen && threadId) {
    lastMarkedSeen = newest;
    await post(env, "/seen", { threadId }).catch(() => undefined); // best effort: only drives "read" for agents
  }
}

async function poll(): Promise<void> {
  threadId ??= loadText(KEYS.threadId); // another tab may have started the thread
  try {
    env = await envReady;
    const polled = threadId;
    if (polled) {
      const { token } = await idToken(env);
      const [thread, typing] = await getDocs(env, token, [threadPath(polled), agentTypingPath(polled)]);
      if (thread && thread.updateTime !== threadVersion) {
        threadVersion = thread.updateTime ?? "";
        unreadForAgents = Number(thread.unreadForAgents ?? 0);
        // Overlap the cursor: two writes committing out of order must not hide a message.
        const docs = await messagesSince(env, token, polled, new Date(cursor.getTime() - 30_000));
        // Deleted while this poll was reading: what it read must not come back on screen.
        if (threadId !== polled) return schedulePoll();
        if (merge(docs)) lastActivity = Date.now();
      }
      if (thread) showDevices(thread);
      const until = (typing?.until as Date | undefined)?.getTime() ?? 0;
      typingBox.textContent = until > Date.now() ? format(t.typing, { name: String(typing?.name || t.someone) }) : "";
      if (typingBox.textContent) lastActivity = Date.now();
      render();
      if (visible && !document.hidden) await markSeen();
      else tell({ afterchat: "unread", count: unreadReplies() });
    }
  } catch (err) {
    if (err instanceof ReadError && (err.status === 403 || err.status === 404)) threadId = undefined; // not ours (any more)
  }
  schedulePoll();
}

/* ---------- header, away message, email, notifications ---------- */

function showAvailability(c: WidgetConfig): void {
  let status = t.openNow;
  if (!c.open) {
    const when = c.nextOpenAt
      ? new Date(c.nextOpenAt).toLocaleString(lang, {
          weekday: "short",
          hour: "2-digit",
          minute: "2-digit",
          timeZone: businessZone(),
        })
      : "";
    status = when ? format(t.awayUntil, { time: when }) : t.awayNoHours;
    $("away").textContent = `${c.awayMessage} ${t.replyAnywhere}`;
    $("away").hidden = false;
  }
  $("availability").textContent = status;
  input.maxLength = c.messageMax;
  const zone = businessZone();
  $("zone").hidden = !zone;
  if (zone) $("zone").textContent = format(t.timesIn, { zone: zoneName(zone) });
}

function setupEmail(): void {
  const emailForm = $<HTMLFormElement>("email-form");
  const note = $("reach-note");
  const saved = load<string>(KEYS.email);
  if (saved) note.textContent = format(t.emailSaved, { email: saved });
  $("email-open").addEventListener("click", () => {
    emailForm.hidden = false;
    $("email").focus();
  });
  $("email-cancel").addEventListener("click", () => {
    emailForm.hidden = true;
    $("email-open").focus();
  });
  emailForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const email = $<HTMLInputElement>("email").value.trim();
    if (!threadId) return void (note.textContent = t.emailFirstMessage);
    if (!$<HTMLInputElement>("email").checkValidity() || !email) return void (note.textContent = t.emailInvalid);
    if (!$<HTMLInputElement>("consent").checked) return void (note.textContent = t.emailNeedsConsent);
    try {
      const r = await post(env, "/email", { threadId, email, consent: true, locale: lang });
      // Given on a device that came in through a link: it takes effect once the new address confirms it.
      if (r.pending) note.textContent = format(t.emailPending, { email });
      else {
        save(KEYS.email, email);
        note.textContent = format(t.emailSaved, { email });
      }
      emailForm.hidden = true;
      $("email-open").focus();
    } catch (err) {
      note.textContent =
        err instanceof ApiError && err.status === 429
          ? describe(err)
          : format(t.emailFailed, { reason: err instanceof ApiError ? err.reason : "?" });
    }
  });
  $("notify").addEventListener("click", async () => {
    if (!threadId) return void ($("reach-note").textContent = t.emailFirstMessage);
    // Browsers refuse a permission prompt in a cross-origin iframe: a small window on our origin asks
    // and subscribes (hosting/src/push). It must open inside this click (popup blockers).
    const result = await openPushWindow(threadId, async () => (await idToken(env)).token);
    $("reach-note").textContent =
      result === "subscribed" ? t.notifyOn : result === "denied" ? t.notifyDenied : t.notifyUnavailable;
  });
}

/* ---------- "Delete conversation" ---------- */

/** What this browser keeps of the conversation: gone with it (every tab hears of it through storage). */
function forgetConversation(): void {
  for (const key of [KEYS.threadId, KEYS.outbox, KEYS.email, KEYS.lastSeen]) remove(key);
  threadId = undefined;
  messages.clear();
  outbox = [];
  unreadForAgents = 0;
  threadVersion = "";
  cursor = new Date(0);
  $("reach-note").textContent = "";
  typingBox.textContent = "";
  tell({ afterchat: "erased" });
  render();
}

function setupErase(): void {
  const confirmBox = $("erase-confirm");
  const opener = $<HTMLButtonElement>("erase-open");
  const yes = $<HTMLButtonElement>("erase-yes");
  const notice = $("notice");
  const closeConfirm = () => {
    confirmBox.hidden = true;
    opener.hidden = false;
  };
  opener.addEventListener("click", () => {
    notice.textContent = "";
    confirmBox.hidden = false;
    opener.hidden = true;
    $("erase-no").focus(); // the safe choice first
  });
  $("erase-no").addEventListener("click", () => {
    closeConfirm();
    opener.focus();
  });
  yes.addEventListener("click", async () => {
    const id = threadId;
    if (!id) return closeConfirm();
    yes.disabled = true;
    notice.textContent = t.erasing;
    try {
      await post(env, "/erase", { threadId: id });
    } catch (err) {
      // 404: already deleted (another tab, an earlier try whose answer was lost): the outcome the visitor asked for.
      if (!(err instanceof ApiError && err.status === 404)) {
        yes.disabled = false;
        notice.textContent =
          err instanceof ApiError && err.status === 429
            ? describe(err)
            : format(t.eraseFailed, { reason: err instanceof ApiError ? err.reason : "?" });
        return;
      }
    }
    yes.disabled = false;
    closeConfirm();
    forgetConversation();
    notice.textContent = t.erased;
    input.focus();
  });
}

function applyLanguage(): void {
  document.documentElement.lang = lang;
  document.title = t.title;
  for (const el of document.querySelectorAll<HTMLElement>("[data-t]"))
    el.textContent = t[el.dataset.t as keyof typeof t];
  for (const el of document.querySelectorAll<HTMLElement>("[data-label]"))
    el.setAttribute("aria-label", t[el.dataset.label as keyof typeof t]);
  input.placeholder = t.placeholder;
  $("name").textContent = config?.name ?? t.title;
  $("greeting").querySelector("p")!.textContent = launch.greeting || config?.greeting || "";
  $("consent-text").textContent = format(t.emailConsent, { business: config?.name ?? "" });
  // The widget takes the loader's colour; the chat page, which has no loader, the business's setting.
  const accent = pageMode ? config?.accentColor : launch.accent;
  if (accent && ACCENT_PATTERN.test(accent)) {
    document.documentElement.style.setProperty("--accent", accent);
    document.documentElement.style.setProperty("--on-accent", textOn(accent));
  }
}

function close(): void {
  if (pageMode) return; // the chat page is the whole page: nothing to close
  visible = false;
  tell({ afterchat: "close" });
}

function wireEvents(): void {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });
  input.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing (Vietnamese input).
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  input.addEventListener("input", () => (lastActivity = Date.now()));
  $("close").addEventListener("click", close);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  window.addEventListener("message", (event: MessageEvent<ToApp>) => {
    if (event.source !== window.parent) return;
    if (event.data?.afterchat === "open") {
      visible = true;
      lastActivity = Date.now();
      input.focus();
      schedulePoll(0);
    } else if (event.data?.afterchat === "hidden") visible = false;
  });
  document.addEventListener("visibilitychange", () => !document.hidden && schedulePoll(0));
  // Back online: send what failed for want of a network (same clientMessageId, stored once).
  window.addEventListener("online", () => outbox.filter((p) => p.state === "failed").forEach((p) => void deliver(p)));
  window.addEventListener("storage", (event) => {
    if (event.key === KEYS.outbox) outbox = load<Pending[]>(KEYS.outbox) ?? [];
    if (event.key === KEYS.threadId && event.newValue === null && threadId) forgetConversation(); // erased in another tab
    if (event.key === KEYS.threadId || event.key === KEYS.outbox) schedulePoll(0); // another tab wrote
  });
}

/* ---------- page mode: the link, the refusal, the way back to the business's site ---------- */

function linkToken(): string {
  try {
    return decodeURIComponent(location.pathname.replace(/^\/t\/?/, "").replace(/\/$/, ""));
  } catch {
    return "";
  }
}

/**
 * Exchanges the emailed link for this device's access (once: the server refuses it to any other
 * device), then drops it from the address bar. A reload of /t/ goes on with the stored thread.
 */
async function exchangeLink(): Promise<void> {
  const token = linkToken();
  if (!token) {
    if (!threadId) refusal = { code: "malformed", reason: t.linkMalformed, token };
    return;
  }
  try {
    const r = await post(env, "/api/resume", { token });
    saveText(KEYS.threadId, (threadId = r.threadId));
    history.replaceState(null, "", "/t/");
  } catch (err) {
    const known = err instanceof ApiError && err.status >= 400 && err.status < 500;
    refusal = {
      code: known ? err.code || "refused" : "error",
      reason: known ? err.reason : t.startFailed,
      token,
    };
  }
}

const REFUSAL_TITLES: Record<string, keyof typeof t> = {
  expired: "linkExpiredTitle",
  used: "linkUsedTitle",
  forged: "linkInvalidTitle",
  altered: "linkInvalidTitle",
  malformed: "linkIncompleteTitle",
};

/** A refused link: why, and (for a genuine link that is too old or used) a fresh one by email. */
function showRefusal(r: NonNullable<typeof refusal>): void {
  document.body.classList.add("refused");
  $("refused").hidden = false;
  $("refused-title").textContent = t[REFUSAL_TITLES[r.code] ?? "linkFailedTitle"];
  $("refused-reason").textContent = r.reason;
  const renew = $<HTMLButtonElement>("renew");
  renew.hidden = !(r.code === "expired" || r.code === "used");
  renew.addEventListener("click", async () => {
    renew.disabled = true;
    try {
      await post(env, "/api/resume/renew", { token: r.token });
      $("renew-note").textContent = t.renewSent;
    } catch (err) {
      renew.disabled = false;
      $("renew-note").textContent =
        err instanceof ApiError && err.status === 429
          ? describe(err)
          : format(t.renewFailed, { reason: err instanceof ApiError ? err.reason : "?" });
    }
  });
}

/**
 * "Continue on <business>'s site": the link goes to settings/business.siteUrl with a one-time code in
 * the fragment; the widget loader there passes it to its chat app, which redeems it for that device.
 * Without JavaScript, or if the code cannot be made, it is a plain link to the site.
 */
function setupSiteLink(c: WidgetConfig): void {
  if (!c.siteUrl) return;
  const siteUrl = c.siteUrl;
  const link = $<HTMLAnchorElement>("site-link");
  link.href = siteUrl;
  link.textContent = format(t.backToSite, { business: c.name });
  $("site").hidden = false;
  link.addEventListener("click", async (event) => {
    if (!threadId) return;
    event.preventDefault();
    let target = siteUrl;
    try {
      const { code } = await post(env, "/handoff", { threadId });
      const url = new URL(siteUrl);
      url.hash = `afterchat=${code}`;
      target = url.toString();
    } catch {
      /* the visitor still gets to the site; the widget there starts its own conversation */
    }
    location.assign(target);
  });
}

/**
 * The chat page lists this device and how many others can read the conversation (threads/{id}.visitorUids,
 * which the visitor may read), and can sign the others out (but the one that started it in the widget).
 */
function showDevices(thread: Doc): void {
  if (!pageMode) return;
  const others = Math.max(0, ((thread.visitorUids as string[] | undefined) ?? []).length - 1);
  $("devices").hidden = false;
  $("device-count").textContent = format(t.otherDevices, { count: others });
  $("signout").hidden = others === 0;
}

function setupDevices(): void {
  const button = $<HTMLButtonElement>("signout");
  button.addEventListener("click", async () => {
    if (!threadId) return;
    button.disabled = true;
    try {
      const r = await post(env, "/devices/signout", { threadId });
      $("devices-note").textContent = format(t.signedOut, { count: r.signedOut });
      threadVersion = ""; // read the thread again: the count changed
      schedulePoll(0);
    } catch (err) {
      $("devices-note").textContent = format(t.signOutFailed, { reason: err instanceof ApiError ? err.reason : "?" });
    }
    button.disabled = false;
  });
}

/** The widget on the business's site was opened with a code from the chat page: this device joins the thread. */
async function redeemHandoff(code: string): Promise<void> {
  try {
    const r = await post(env, "/handoff/redeem", { code });
    saveText(KEYS.threadId, (threadId = r.threadId));
    tell({ afterchat: "unread", count: 0 }); // the loader remembers there is a thread (badge on later visits)
  } catch (err) {
    $("notice").textContent = err instanceof ApiError && err.status === 410 ? t.handoffFailed : t.startFailed;
  }
}

async function main(): Promise<void> {
  applyLanguage();
  wireEvents();
  // Disabled in the HTML until Enter can send: typed before the script ran, Enter was only a new line.
  input.disabled = false;
  // The chat page does not focus the box on load: on a phone that would cover half of it with the keyboard.
  if (launch.mode === "open" && !pageMode) input.focus();
  env = await envReady;
  config = await configReady;
  if (config) {
    showAvailability(config);
    applyLanguage();
    if (pageMode) setupSiteLink(config);
  }
  $("starting").remove();
  if (refusal) return showRefusal(refusal);
  setupEmail();
  setupErase();
  setupDevices();
  render();
  await poll();
}

main().catch(() => showError(t.startFailed));
