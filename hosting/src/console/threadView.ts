// One conversation: messages with their delivery state, the visitor panel, the window banner and
// composer, canned replies, internal notes, triage actions and the follow-up entry point.
import { paths } from "../../../functions/src/contract/paths";
import { doc, onSnapshot, setDoc, Timestamp, updateDoc, type Unsubscribe } from "firebase/firestore";
import type { MessageRecord, ThreadState } from "../../../functions/src/domain/thread";
import { backend, call, CallError, revive, toQuery } from "./backend";
import { cardFrom, fieldsOf, type CardFields } from "./cardComposer";
import { $, clear, formatDateTime, formatWhen, h } from "./dom";
import { CHANNEL_LABEL } from "./inbox";
import { messagesQuery, notesQuery } from "./queries";
import { replyWindow, threadState } from "./replyWindow";
import { agentName, clientId, onSessionChange, session, type CannedReply } from "./session";

type ConsoleThread = ThreadState & {
  snoozedUntil?: Date | null;
  followUp?: { dueAt?: Date; kind?: string; state?: string; reason?: string };
  visitor: ThreadState["visitor"] & { pageUrl?: string; entryPoint?: string };
  context?: { pageUrl?: string; entryPoint?: string; referrer?: string };
};

const DELIVERY_LABEL: Record<string, string> = {
  pending: "Pending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Failed",
};
const STATUS_LABEL: Record<string, string> = {
  open: "Open",
  pending: "Pending",
  snoozed: "Snoozed",
  resolved: "Resolved",
};

let stops: Array<() => void> = [];
let current: ConsoleThread | undefined;
let currentId = "";
let draftId = "";

// Elements of the open thread (rebuilt by openThread).
let title: HTMLHeadingElement;
let statusBadge: HTMLSpanElement;
let channelBadge: HTMLSpanElement;
let actions: HTMLDivElement;
let messages: HTMLOListElement;
let visitorPanel: HTMLElement;
let banner: HTMLParagraphElement;
let reply: HTMLTextAreaElement;
let send: HTMLButtonElement;
let chipsInput: HTMLInputElement;
let cardBox: HTMLDetailsElement;
let cardInputs: Record<keyof CardFields, HTMLInputElement | HTMLTextAreaElement>;
/** A canned reply's chips the composer has no field for (action, live agent): sent with the next reply. */
let cannedExtras: NonNullable<CannedReply["suggestions"]> = [];
let replyError: HTMLParagraphElement;
let suggestions: HTMLUListElement;
let notes: HTMLOListElement;
let notesSummary: HTMLElement;

export function closeThread(): void {
  for (const stop of stops) stop();
  stops = [];
  current = undefined;
  currentId = "";
  clear($("thread-pane"), h("p", { class: "empty" }, "Choose a conversation."));
}

export function openThread(threadId: string): void {
  if (threadId === currentId) return;
  closeThread();
  currentId = threadId;
  draftId = clientId("r");
  buildSkeleton(threadId);
  const threadRef = doc(backend.db, paths.thread(threadId));
  const unsubscribers: Unsubscribe[] = [
    onSnapshot(
      threadRef,
      (snap) => {
        if (!snap.exists()) return showMissing();
        current = threadState(threadId, revive<Partial<ConsoleThread>>(snap.data())) as ConsoleThread;
        renderThread();
        markRead();
      },
      () => showMissing(),
    ),
    onSnapshot(toQuery(messagesQuery(threadId)), (snap) =>
      renderMessages(snap.docs.map((d) => revive<MessageRecord>({ ...d.data(), id: d.id })).reverse()),
    ),
    onSnapshot(toQuery(notesQuery(threadId)), (snap) =>
      renderNotes(snap.docs.map((d) => revive<Note>(d.data())).reverse()),
    ),
  ];
  // Settings may arrive after the agent started typing "/": refresh the canned-reply list too.
  stops.push(
    ...unsubscribers,
    onSessionChange(() => (current && renderThread(), updateSuggestions())),
  );
  const tick = setInterval(() => current && renderBanner(), 30_000); // the window closes with time, not with data
  stops.push(() => clearInterval(tick));
}

interface Note {
  text: string;
  authorName?: string;
  createdAt?: Date;
}

function buildSkeleton(threadId: string): void {
  title = h("h2", { id: "thread-title", tabindex: "-1" }, "…");
  statusBadge = h("span", { class: "badge" });
  channelBadge = h("span", { class: "badge" });
  actions = h("div", { class: "actions", role: "toolbar", "aria-label": "Thread actions" });
  // Both scroll on their own (more so with the card fields open): focusable, so the keyboard can scroll them.
  messages = h("ol", { id: "messages", "aria-label": "Messages", "aria-live": "polite", tabindex: "0" });
  visitorPanel = h("aside", { class: "visitor", "aria-label": "Visitor", tabindex: "0" });
  banner = h("p", { class: "banner", id: "reply-window", role: "status" });
  reply = h("textarea", {
    id: "reply",
    rows: 2,
    "aria-describedby": "reply-window",
    onKeydown: replyKeydown,
    onInput: () => (updateSuggestions(), signalTyping()),
  });
  send = h("button", { type: "submit" }, "Send");
  chipsInput = h("input", { id: "reply-chips", type: "text", autocomplete: "off", placeholder: "Yes, No thanks" });
  replyError = h("p", { class: "error", role: "alert" });
  cardInputs = {
    title: h("input", { type: "text", maxlength: 200, autocomplete: "off" }),
    description: h("textarea", { rows: 2, maxlength: 2000 }),
    imageUrl: h("input", { type: "url", autocomplete: "off", placeholder: "https://" }),
    chips: h("input", { type: "text", autocomplete: "off", placeholder: "Order it, Ask a question" }),
  };
  cardBox = h(
    "details",
    { class: "card-composer" },
    h("summary", {}, "Add a card"),
    h("label", {}, "Card title ", cardInputs.title),
    h("label", {}, "Card description ", cardInputs.description),
    h("label", {}, "Card image URL (https) ", cardInputs.imageUrl),
    h("label", {}, "Card chips (comma-separated, up to 4) ", cardInputs.chips),
  );
  suggestions = h("ul", { class: "suggestions", role: "listbox", "aria-label": "Canned replies", hidden: true });
  notes = h("ol", { "aria-label": "Internal notes" });
  notesSummary = h("summary", {}, "Internal notes");
  const composer = h(
    "form",
    { class: "composer", onSubmit: (e: Event) => (e.preventDefault(), void sendReply()) },
    suggestions,
    h("label", { class: "reply-label" }, h("span", { class: "visually-hidden" }, "Reply"), reply),
    send,
    h("label", { class: "chips-label" }, "Reply chips (comma-separated, optional) ", chipsInput),
    cardBox,
    replyError,
  );
  reply.setAttribute("aria-label", "Reply");
  reply.placeholder = "Reply… (Enter sends, Shift+Enter new line, / for canned replies)";
  const noteText = h("textarea", { rows: 2, "aria-label": "Internal note" });
  const noteStatus = h("span", { role: "status" });
  const noteForm = h(
    "form",
    {
      class: "inline-form",
      onSubmit: async (e: Event) => {
        e.preventDefault();
        const text = noteText.value.trim();
        if (!text) return;
        try {
          await call("addNote", { threadId, text, clientNoteId: clientId("n") });
          noteText.value = "";
          noteStatus.textContent = "";
        } catch (err) {
          noteStatus.textContent = `Not saved: ${(err as Error).message}`;
        }
      },
    },
    noteText,
    h("button", { type: "submit" }, "Add note"),
    noteStatus,
  );
  clear(
    $("thread-pane"),
    h(
      "div",
      { class: "thread-head" },
      h("a", { href: "#/inbox", class: "back" }, "← Inbox"),
      title,
      channelBadge,
      statusBadge,
    ),
    actions,
    h("div", { class: "thread-body" }, messages, visitorPanel),
    banner,
    composer,
    h(
      "details",
      { class: "notes" },
      notesSummary,
      h("p", { class: "empty" }, "Only agents see notes; they never reach the visitor."),
      notes,
      noteForm,
    ),
    followUpSection(threadId),
    session.role === "admin" ? dataSection(threadId) : "",
  );
}

/** Set when this console erased the open thread: its listener then reports it gone, and we say why. */
let erasedId = "";

/** Admins: download the conversation as JSON, or erase it (with a confirm step). Never logged with content. */
function dataSection(threadId: string): HTMLElement {
  const status = h("p", { role: "status" });
  const confirmBox = h(
    "div",
    { role: "group", "aria-labelledby": "erase-question", hidden: true },
    h(
      "p",
      { id: "erase-question" },
      "Erase this conversation and everything in it (messages, notes, follow-ups, contact details)? This cannot be undone.",
    ),
  );
  const eraseOpen = h(
    "button",
    {
      type: "button",
      class: "danger",
      onClick: () => {
        confirmBox.hidden = false;
        eraseOpen.hidden = true;
        keep.focus(); // the safe choice first
      },
    },
    "Erase conversation…",
  );
  const keep = h(
    "button",
    {
      type: "button",
      onClick: () => {
        confirmBox.hidden = true;
        eraseOpen.hidden = false;
        eraseOpen.focus();
      },
    },
    "Cancel",
  );
  const eraseYes = h(
    "button",
    {
      type: "button",
      class: "danger",
      onClick: async () => {
        eraseYes.disabled = true;
        status.textContent = "Erasing…";
        erasedId = threadId;
        try {
          const r = await call("eraseThread", { threadId });
          if (currentId === threadId || r.status === "not_found") showErased(r.deleted);
        } catch (err) {
          erasedId = "";
          eraseYes.disabled = false;
          status.textContent = `Not erased: ${(err as Error).message}`;
        }
      },
    },
    "Erase",
  );
  confirmBox.append(eraseYes, keep);
  const exportButton = h(
    "button",
    {
      type: "button",
      onClick: async () => {
        status.textContent = "Exporting…";
        try {
          const data = await call("exportThread", { threadId });
          download(`afterchat-${threadId}.json`, JSON.stringify(data, null, 2));
          status.textContent = `Exported ${count(data.messages.length, "message")} and ${count(data.notes.length, "note")}.`;
        } catch (err) {
          status.textContent = `Not exported: ${(err as Error).message}`;
        }
      },
    },
    "Export JSON",
  );
  return h(
    "section",
    { class: "data", "aria-label": "Data (admins)" },
    h("h3", {}, "Data"),
    exportButton,
    eraseOpen,
    confirmBox,
    status,
  );
}

/** "1 message", "2 messages". */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

function download(name: string, json: string): void {
  const url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function showErased(deleted: number): void {
  closeThread();
  clear(
    $("thread-pane"),
    h(
      "p",
      { class: "empty", role: "status" },
      deleted ? `Conversation erased (${deleted} documents).` : "This conversation was already erased.",
    ),
    h("a", { href: "#/inbox", class: "back" }, "← Inbox"),
  );
}

function showMissing(): void {
  if (erasedId && erasedId === currentId) return; // erased from here: showErased says so
  clear(
    $("thread-pane"),
    h("p", { class: "empty", role: "status" }, "This conversation does not exist or you cannot open it."),
  );
}

function renderThread(): void {
  if (!current) return;
  const t = current;
  title.textContent = t.visitor.displayName || "Visitor";
  channelBadge.textContent = CHANNEL_LABEL[t.origin] ?? t.origin;
  channelBadge.className = `badge ${t.origin}`;
  statusBadge.textContent =
    t.status === "snoozed" && t.snoozedUntil
      ? `Snoozed until ${formatDateTime(t.snoozedUntil)}`
      : STATUS_LABEL[t.status];
  renderActions(t);
  renderVisitor(t);
  renderBanner();
}

function renderBanner(): void {
  if (!current) return;
  const window = replyWindow(current, session.settings.reachWindowDays ?? 30, new Date());
  banner.textContent = window.text;
  banner.classList.toggle("closed", !window.open);
  reply.disabled = !window.open;
  send.disabled = !window.open;
}

async function updateThread(fields: Record<string, unknown>): Promise<void> {
  try {
    await updateDoc(doc(backend.db, paths.thread(currentId)), fields);
  } catch (err) {
    replyError.textContent = `Could not update the conversation: ${(err as Error).message}`;
  }
}

function markRead(): void {
  if (current && current.unreadForAgents > 0 && !document.hidden) void updateThread({ unreadForAgents: 0 });
}
document.addEventListener("visibilitychange", markRead);

function renderActions(t: ConsoleThread): void {
  const assign = h(
    "select",
    {
      "aria-label": "Assign to",
      onChange: (e: Event) => updateThread({ assignedTo: (e.target as HTMLSelectElement).value || null }),
    },
    h("option", { value: "" }, "Unassigned"),
    ...session.agents.map((a) =>
      h(
        "option",
        { value: a.uid, selected: a.uid === t.assignedTo },
        a.uid === session.uid ? "Me" : a.displayName || a.email || a.uid,
      ),
    ),
  );
  if (t.assignedTo && !session.agents.some((a) => a.uid === t.assignedTo)) {
    assign.append(h("option", { value: t.assignedTo, selected: true }, agentName(t.assignedTo)));
  }
  const snoozeAt = h("input", {
    type: "datetime-local",
    "aria-label": "Snooze until",
    value: localInputValue(new Date(Date.now() + 24 * 3600_000)),
  });
  const snooze = h(
    "button",
    {
      type: "button",
      onClick: () => {
        const until = new Date(snoozeAt.value);
        if (Number.isNaN(until.getTime()) || until.getTime() <= Date.now())
          return void (replyError.textContent = "Choose a time in the future to snooze until.");
        void updateThread({ status: "snoozed", snoozedUntil: Timestamp.fromDate(until) });
      },
    },
    "Snooze",
  );
  const resolveOrReopen =
    t.status === "resolved" || t.status === "snoozed"
      ? h("button", { type: "button", onClick: () => updateThread({ status: "open", snoozedUntil: null }) }, "Reopen")
      : h(
          "button",
          { type: "button", onClick: () => updateThread({ status: "resolved", snoozedUntil: null }) },
          "Resolve",
        );
  const focused = actions.contains(document.activeElement)
    ? ((document.activeElement as HTMLElement).getAttribute("aria-label") ?? document.activeElement?.textContent)
    : null;
  clear(actions, h("label", { class: "inline-form" }, assign), snoozeAt, snooze, resolveOrReopen);
  if (focused)
    Array.from(actions.querySelectorAll<HTMLElement>("button,select,input"))
      .find((el) => (el.getAttribute("aria-label") ?? el.textContent) === focused)
      ?.focus();
}

function localInputValue(at: Date): string {
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function renderVisitor(t: ConsoleThread): void {
  const rows: Array<[string, string | undefined]> = [
    ["Name", t.visitor.displayName],
    ["Email", t.visitor.email],
    ["Locale", t.visitor.locale],
    [
      "Entry point",
      t.bm?.entryPoint ??
        t.visitor.entryPoint ??
        t.context?.entryPoint ??
        (t.origin === "web" ? "Website widget" : undefined),
    ],
    ["Page", t.visitor.pageUrl ?? t.context?.pageUrl],
    ["BM conversation", t.bm?.conversationId],
    ["BM agent", t.bm?.agent],
    ["BM place", t.bm?.placeId],
    ["BM unreachable since", unreachableSince(t)],
    ["Widget devices", t.visitorUids.length ? String(t.visitorUids.length) : undefined],
    ["Reachable by", reachList(t)],
    ["Assigned to", agentName(t.assignedTo)],
    ["Follow-up", followUpLine(t)],
    ["First contact", formatWhen(t.createdAt)],
  ];
  clear(
    visitorPanel,
    h("h3", {}, "Visitor"),
    h("dl", {}, ...rows.filter(([, v]) => v).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v!)])),
  );
}

/** The thread's one follow-up slot (issue 6): shown while planned, then what became of it. */
function followUpLine(t: ConsoleThread): string | undefined {
  const f = t.followUp;
  if (!f?.dueAt) return undefined;
  const who = f.kind === "agent" ? "by an agent" : "automatic";
  if (!f.state || f.state === "planned") return `${who}, due ${formatDateTime(f.dueAt)}`;
  return `${who}, ${f.state}${f.reason ? ` (${f.reason})` : ""}`;
}

function unreachableSince(t: ConsoleThread): string | undefined {
  const since = (t.bm as { unreachableSince?: Date } | undefined)?.unreachableSince;
  return since instanceof Date ? formatDateTime(since) : undefined;
}

function reachList(t: ConsoleThread): string {
  const ways = [
    t.visitorUids.length ? "widget" : "",
    t.reach?.bm ? "Business Messages" : "",
    t.reach?.push ? "web push" : "",
    t.reach?.email && t.visitor.email ? "email" : "",
  ];
  return ways.filter(Boolean).join(", ") || "nothing yet";
}

function renderMessages(list: MessageRecord[]): void {
  const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
  clear(
    messages,
    ...list.map((m) =>
      h(
        "li",
        { class: `msg ${m.from}`, "data-message-id": m.id },
        h("div", { class: "text" }, m.text),
        imageLink(m),
        sentCards(m),
        h(
          "div",
          { class: "meta" },
          `${m.from === "visitor" ? "Visitor" : m.from === "agent" ? m.authorName || "Agent" : m.from === "bot" ? "Bot" : "System"} · ${formatWhen(m.createdAt)}`,
          m.delivery ? " · " : null,
          m.delivery ? deliveryLabel(m.delivery) : null,
        ),
      ),
    ),
  );
  if (atBottom || list.length <= 1) messages.scrollTop = messages.scrollHeight;
}

/** Business Messages images arrive as signed, expiring URLs: a link (https only), never an inline fetch. */
function imageLink(m: MessageRecord & { image?: { url?: string } }): HTMLAnchorElement | null {
  const url = m.image?.url;
  if (!url || !/^https:\/\//.test(url)) return null;
  return h(
    "a",
    { href: url, target: "_blank", rel: "noopener noreferrer" },
    "Image from the visitor (the link expires)",
  );
}

/** An agent's card or image as the agent sent it: title, description, image link (https only), chips. */
function sentCards(m: MessageRecord): HTMLElement | null {
  const rc = m.richCard;
  const cards = !rc ? [] : "standaloneCard" in rc ? [rc.standaloneCard.cardContent] : rc.carouselCard.cardContents;
  const image = m.imageContent?.contentInfo;
  if (!cards.length && !image) return null;
  const link = (url: string, label: string) =>
    /^https:\/\//.test(url) ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, label) : null;
  return h(
    "div",
    { class: "sent-cards" },
    image ? link(image.fileUrl, image.altText || "Image") : null,
    ...cards.map((c) =>
      h(
        "div",
        { class: "sent-card", role: "group", "aria-label": `Card: ${c.title ?? "untitled"}` },
        c.title ? h("strong", {}, c.title) : null,
        c.description ? h("p", {}, c.description) : null,
        c.media ? link(c.media.contentInfo.fileUrl, c.media.contentInfo.altText || "Card image") : null,
        c.suggestions?.length
          ? h(
              "p",
              {},
              `Chips: ${c.suggestions.flatMap((x) => ("reply" in x ? [x.reply.text] : "action" in x ? [x.action.text] : [])).join(", ")}`,
            )
          : null,
      ),
    ),
  );
}

function deliveryLabel(d: NonNullable<MessageRecord["delivery"]>): HTMLSpanElement {
  const channel = CHANNEL_LABEL[d.channel] ?? d.channel;
  const text =
    d.state === "failed"
      ? `Failed via ${channel}: ${d.error ?? "unknown reason"}`
      : `${DELIVERY_LABEL[d.state] ?? d.state} via ${channel}`;
  return h("span", { class: "delivery", "data-state": d.state }, text);
}

function renderNotes(list: Note[]): void {
  notesSummary.textContent = `Internal notes (${list.length})`;
  clear(
    notes,
    ...list.map((n) =>
      h("li", {}, h("strong", {}, `${n.authorName ?? "Agent"}, ${formatWhen(n.createdAt)}: `), n.text),
    ),
  );
}

/**
 * The composer's reply chips as Google's suggestions: each chip's text is also its postbackData, so
 * the answer reads the same on every channel (the widget sends the text when a chip is tapped).
 */
export function chipsFrom(value: string): {
  suggestions?: { reply: { text: string; postbackData: string } }[];
  error?: string;
} {
  const texts = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!texts.length) return {};
  if (texts.length > 13) return { error: "At most 13 reply chips." };
  const long = texts.find((t) => t.length > 25);
  if (long) return { error: `Reply chip "${long.slice(0, 30)}…" is over 25 characters.` };
  return { suggestions: texts.map((text) => ({ reply: { text, postbackData: text } })) };
}

async function sendReply(): Promise<void> {
  const text = reply.value.trim();
  if (!text || send.disabled) return;
  const chips = chipsFrom(chipsInput.value);
  const card = cardFrom(cardValues());
  if (chips.error || card.error) {
    replyError.textContent = (chips.error ?? card.error)!;
    return;
  }
  const chipList = [...(chips.suggestions ?? []), ...cannedExtras];
  send.disabled = true;
  replyError.textContent = "";
  try {
    await call("agentReply", {
      threadId: currentId,
      text,
      clientMessageId: draftId,
      ...(chipList.length ? { suggestions: chipList } : {}),
      ...(card.richCard ? { richCard: card.richCard } : {}),
    });
    stopTyping();
    reply.value = "";
    chipsInput.value = "";
    setCard(undefined);
    cannedExtras = [];
    draftId = clientId("r");
  } catch (err) {
    replyError.textContent = `Not sent: ${(err as Error).message}`;
  } finally {
    renderBanner();
    reply.focus();
  }
}

// The visitor sees "… is typing" (the widget polls threads/{id}/typing/agent): one write per few
// seconds of typing, each valid for a few seconds more, so a closed tab stops showing it by itself.
const TYPING_MS = 8_000;
let typingSentAt = 0;

function signalTyping(): void {
  const now = Date.now();
  if (!reply.value.trim() || reply.value.startsWith("/") || now - typingSentAt < TYPING_MS / 2) return;
  typingSentAt = now;
  void writeTyping(now + TYPING_MS);
}

/** The epoch, not "now": a clock ahead of the server's would otherwise still read as typing. */
function stopTyping(): void {
  if (!typingSentAt) return;
  typingSentAt = 0;
  void writeTyping(0);
}

/** The agent's display name only (never their email); without one the widget says "Someone". */
async function writeTyping(until: number): Promise<void> {
  const name = session.agents.find((a) => a.uid === session.uid)?.displayName;
  const signal = { until: Timestamp.fromMillis(until), ...(name ? { name } : {}) };
  await setDoc(doc(backend.db, paths.agentTyping(currentId)), signal).catch(() => undefined); // a lost signal is harmless
}

// Canned replies: "/" then a shortcut shows the matches; Enter or Tab inserts the highlighted one.
let matches: CannedReply[] = [];
let highlighted = 0;

function updateSuggestions(): void {
  const m = /^\/([a-z0-9-]*)$/i.exec(reply.value);
  matches = m
    ? (session.settings.cannedReplies ?? []).filter((c) => c.shortcut.startsWith(m[1].toLowerCase())).slice(0, 20)
    : [];
  highlighted = Math.min(highlighted, Math.max(0, matches.length - 1));
  suggestions.hidden = matches.length === 0;
  clear(
    suggestions,
    ...matches.map((c, i) =>
      h(
        "li",
        {
          role: "option",
          "aria-selected": String(i === highlighted),
          onMousedown: (e: Event) => (e.preventDefault(), insertCanned(c)),
        },
        `/${c.shortcut} — ${c.text}`,
      ),
    ),
  );
}

function cardValues(): CardFields {
  return {
    title: cardInputs.title.value,
    description: cardInputs.description.value,
    imageUrl: cardInputs.imageUrl.value,
    chips: cardInputs.chips.value,
  };
}

function setCard(fields: CardFields | undefined): void {
  for (const key of Object.keys(cardInputs) as (keyof CardFields)[]) cardInputs[key].value = fields?.[key] ?? "";
  cardBox.open = Boolean(fields);
}

/** A canned reply fills the text, its reply chips, its card, and keeps its other chips for the send. */
function insertCanned(c: CannedReply): void {
  reply.value = c.text;
  const chips = c.suggestions ?? [];
  chipsInput.value = chips.flatMap((s) => ("reply" in s ? [s.reply.text] : [])).join(", ");
  cannedExtras = chips.filter((s) => !("reply" in s));
  setCard(fieldsOf(c.richCard));
  matches = [];
  suggestions.hidden = true;
  reply.focus();
}

function replyKeydown(event: KeyboardEvent): void {
  if (matches.length) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlighted = (highlighted + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
      return updateSuggestions();
    }
    if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
      event.preventDefault();
      return insertCanned(matches[highlighted]);
    }
    if (event.key === "Escape") {
      matches = [];
      suggestions.hidden = true;
      return;
    }
  }
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    void sendReply();
  }
}

function followUpSection(threadId: string): HTMLDetailsElement {
  const sendAt = h("input", {
    type: "datetime-local",
    "aria-label": "Send at",
    value: localInputValue(new Date(Date.now() + 3 * 24 * 3600_000)),
  });
  const text = h("textarea", {
    rows: 2,
    "aria-label": "Follow-up message",
    value: session.settings.followUpTemplate ?? "",
  });
  const result = h("span", { role: "status" });
  const form = h(
    "form",
    {
      class: "inline-form",
      onSubmit: async (e: Event) => {
        e.preventDefault();
        const at = new Date(sendAt.value);
        if (Number.isNaN(at.getTime())) return void (result.textContent = "Choose when to send it.");
        result.textContent = "Scheduling…";
        try {
          await call("scheduleFollowUp", { threadId, sendAt: at.toISOString(), text: text.value.trim() });
          result.textContent = `Follow-up scheduled for ${formatDateTime(at)}.`;
        } catch (err) {
          const unavailable =
            err instanceof CallError && ["not-found", "unimplemented", "unavailable"].includes(err.code);
          result.textContent = unavailable
            ? "Scheduling follow-ups is not available on this deployment yet."
            : `Not scheduled: ${(err as Error).message}`;
        }
      },
    },
    h("label", {}, "Send at", sendAt),
    h("label", {}, "Message", text),
    h("button", { type: "submit" }, "Schedule"),
    result,
  );
  return h("details", { class: "follow-up" }, h("summary", {}, "Schedule follow-up"), form);
}

/** Escape in the thread goes back to the inbox (keyboard navigation; also the phone's back path). */
export function isThreadOpen(): boolean {
  return currentId !== "";
}
