// The inbox: one realtime listener on one page of one filter; rows are reused between snapshots
// so a change to one thread touches one row, and 1,000 loaded threads stay smooth.
import { onSnapshot, type DocumentSnapshot, type Unsubscribe } from "firebase/firestore";
import type { ThreadState } from "../../../functions/src/domain/thread";
import { revive, toQuery } from "./backend";
import { $, clear, formatWhen, h } from "./dom";
import { ASSIGNEES, INBOX_PAGE, inboxQuery, STATUSES, type Assignee, type InboxFilter, type Status } from "./queries";
import { agentName, session } from "./session";

const STATUS_LABEL: Record<Status, string> = {
  open: "Open",
  pending: "Pending",
  snoozed: "Snoozed",
  resolved: "Resolved",
};
const ASSIGNEE_LABEL: Record<Assignee, string> = { mine: "Mine", unassigned: "Unassigned", all: "All" };
export const CHANNEL_LABEL: Record<string, string> = { web: "Web", bm: "Business Messages" };

interface Row {
  el: HTMLLIElement;
  signature: string;
}

/** The last renders' timings (bounded), read locally by the browser benchmark (hosting/test/console-perf.test.ts). */
export const inboxRenders: Array<{ seq: number; rows: number; ms: number }> = [];
const RENDERS_KEPT = 100;
let renderSeq = 0;

function recordRender(rows: number, ms: number): void {
  inboxRenders.push({ seq: ++renderSeq, rows, ms });
  if (inboxRenders.length > RENDERS_KEPT) inboxRenders.shift();
}

let filter: InboxFilter = { status: "open", assignee: "all" };
let pageLimit = INBOX_PAGE;
let stop: Unsubscribe | undefined;
let selectedId: string | undefined;
const rows = new Map<string, Row>();
const statusButtons = new Map<Status, HTMLButtonElement>();
let list: HTMLUListElement;
let more: HTMLButtonElement;
let notice: HTMLParagraphElement;

export function startInbox(): void {
  const pane = $("inbox-pane");
  list = h("ul", { id: "thread-list", "aria-label": "Conversations", onKeydown: moveFocus });
  more = h("button", { type: "button", class: "more", hidden: true, onClick: loadMore }, "Load more");
  notice = h("p", { class: "empty", role: "status" });
  const statusGroup = h("div", { role: "group", "aria-label": "Status" });
  for (const status of STATUSES) {
    const button = h("button", {
      type: "button",
      "aria-pressed": String(status === filter.status),
      onClick: () => setFilter({ ...filter, status }),
    });
    statusButtons.set(status, button);
    statusGroup.append(button);
  }
  const assignee = h(
    "select",
    {
      "aria-label": "Assigned to",
      onChange: (e: Event) => setFilter({ ...filter, assignee: (e.target as HTMLSelectElement).value as Assignee }),
    },
    ...ASSIGNEES.map((a) => h("option", { value: a, selected: a === filter.assignee }, ASSIGNEE_LABEL[a])),
  );
  clear(pane, h("div", { class: "filters" }, statusGroup, assignee), notice, list, more);
  setUnreadCounts({});
  subscribe();
}

export function stopInbox(): void {
  stop?.();
  stop = undefined;
  rows.clear();
  statusButtons.clear();
}

/** Unread threads per status, from the unread listener (notify.ts). */
export function setUnreadCounts(counts: Partial<Record<Status, string>>): void {
  for (const [status, button] of statusButtons) {
    clear(
      button,
      STATUS_LABEL[status],
      counts[status]
        ? h("span", { class: "count", "aria-label": `, ${counts[status]} unread` }, `(${counts[status]})`)
        : null,
    );
  }
}

export function selectThread(id: string | undefined): void {
  selectedId = id;
  for (const [rowId, row] of rows) row.el.firstElementChild?.setAttribute("aria-current", String(rowId === id));
}

function setFilter(next: InboxFilter): void {
  filter = next;
  pageLimit = INBOX_PAGE;
  for (const [status, button] of statusButtons) button.setAttribute("aria-pressed", String(status === filter.status));
  subscribe();
}

function loadMore(): void {
  pageLimit += INBOX_PAGE;
  subscribe();
}

function subscribe(): void {
  stop?.();
  notice.textContent = "Loading…";
  stop = onSnapshot(
    toQuery(inboxQuery(filter, session.uid, pageLimit)),
    (snap) => render(snap.docs, snap.size >= pageLimit),
    (err) => {
      notice.textContent =
        err.code === "permission-denied"
          ? "You do not have access to the inbox."
          : "The inbox could not be loaded. Please reload.";
    },
  );
}

type InboxThread = ThreadState & { snoozedUntil?: Date };

function render(docs: DocumentSnapshot[], hasMore: boolean): void {
  const started = performance.now();
  const seen = new Set<string>();
  const els = docs.map((d) => {
    seen.add(d.id);
    const thread = revive<InboxThread>(d.data());
    const signature = JSON.stringify([
      thread.visitor?.displayName,
      thread.origin,
      thread.lastMessage,
      thread.unreadForAgents,
      thread.assignedTo,
      thread.snoozedUntil,
    ]);
    let row = rows.get(d.id);
    if (!row || row.signature !== signature) {
      row = { el: h("li", {}, rowContent(d.id, thread)), signature };
      rows.set(d.id, row);
    }
    return row.el;
  });
  for (const id of rows.keys()) if (!seen.has(id)) rows.delete(id);
  list.replaceChildren(...els);
  more.hidden = !hasMore;
  notice.textContent = docs.length
    ? ""
    : `No ${STATUS_LABEL[filter.status].toLowerCase()} conversations${filter.assignee === "all" ? "" : ` (${ASSIGNEE_LABEL[filter.assignee].toLowerCase()})`}.`;
  recordRender(docs.length, performance.now() - started);
}

function rowContent(id: string, thread: InboxThread): HTMLAnchorElement {
  const name = thread.visitor?.displayName || "Visitor";
  const last = thread.lastMessage;
  const prefix = last && last.from !== "visitor" ? (last.from === "agent" ? "Agent: " : "Bot: ") : "";
  const unread = thread.unreadForAgents ?? 0;
  return h(
    "a",
    {
      href: `#/t/${encodeURIComponent(id)}`,
      class: "row",
      "data-thread-id": id,
      "aria-current": String(id === selectedId),
    },
    h(
      "div",
      { class: "top" },
      h("span", { class: "name" }, name),
      h("span", { class: `badge ${thread.origin}` }, CHANNEL_LABEL[thread.origin] ?? thread.origin),
      thread.assignedTo ? h("span", { class: "badge" }, agentName(thread.assignedTo)) : null,
      h("time", {}, formatWhen(thread.lastActivityAt)),
    ),
    h(
      "div",
      { class: "preview" },
      h("span", {}, prefix + (last?.text ?? "")),
      unread > 0 ? h("span", { class: "unread", "aria-label": `${unread} unread` }, String(unread)) : null,
    ),
  );
}

/** Arrow keys (and j/k) move between conversations; Enter opens one (it is a link). */
function moveFocus(event: KeyboardEvent): void {
  const keys: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
  const step = keys[event.key];
  if (!step) return;
  const links = Array.from(list.querySelectorAll<HTMLAnchorElement>("a.row"));
  const index = links.indexOf(document.activeElement as HTMLAnchorElement);
  const next = links[Math.min(links.length - 1, Math.max(0, index + step))];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

export function focusSelectedRow(): void {
  list?.querySelector<HTMLAnchorElement>('a.row[aria-current="true"]')?.focus();
}
