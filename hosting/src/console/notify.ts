// Unread counts, the title badge and browser notifications, from one listener on the threads that have
// unread visitor messages, most recently active first and capped (never a listener on messages across
// threads). Newest first: past the cap, a new visitor's thread is still inside it.
import { onSnapshot, type QuerySnapshot, type Unsubscribe } from "firebase/firestore";
import type { ThreadState } from "../../../functions/src/domain/thread";
import { revive, toQuery } from "./backend";
import { $ } from "./dom";
import { setUnreadCounts } from "./inbox";
import { UNREAD_CAP, unreadQuery, type Status } from "./queries";

const TITLE = "Afterchat console";
let stop: Unsubscribe | undefined;
let openThreadId: string | undefined;

export function setOpenThread(id: string | undefined): void {
  openThreadId = id;
}

export function startNotifications(): void {
  const button = $<HTMLButtonElement>("enable-notifications");
  const supported = "Notification" in window;
  button.hidden = !supported || Notification.permission !== "default";
  button.onclick = async () => {
    await Notification.requestPermission();
    button.hidden = Notification.permission !== "default";
  };
  const notifyNew = notifier();
  // Metadata changes too: when the first snapshot comes from the cache the inbox filled, the server's
  // confirmation changes nothing else, and it is what sets the notifier's floor.
  stop = onSnapshot(toQuery(unreadQuery()), { includeMetadataChanges: true }, (snap) => {
    showUnread(snap);
    notifyNew(snap);
  });
}

function showUnread(snap: QuerySnapshot): void {
  const counts: Partial<Record<Status, number>> = {};
  for (const d of snap.docs) {
    const status = d.get("status") as Status;
    counts[status] = (counts[status] ?? 0) + 1;
  }
  const capped = (n: number) => (snap.size >= UNREAD_CAP ? `${n}+` : String(n));
  setUnreadCounts(Object.fromEntries(Object.entries(counts).map(([s, n]) => [s, capped(n)])));
  document.title = snap.size ? `(${capped(snap.size)}) ${TITLE}` : TITLE;
}

/**
 * Notifies each visitor message that arrives while the console is open, once. The first answer from the
 * server sets the floor (its newest message): a thread that slides into the capped window from below (one
 * above it was read) carries an older message and stays quiet.
 */
function notifier(): (snap: QuerySnapshot) => void {
  const lastSeen = new Map<string, number>();
  let floor: number | undefined;
  return (snap) => {
    for (const change of snap.docChanges()) {
      if (change.type === "removed") continue;
      const thread = revive<ThreadState>(change.doc.data());
      const at = thread.lastMessage?.at?.getTime() ?? 0;
      const seen = lastSeen.get(change.doc.id) ?? 0;
      lastSeen.set(change.doc.id, Math.max(at, seen));
      const isNew = floor !== undefined && at > Math.max(seen, floor);
      if (isNew && thread.lastMessage?.from === "visitor") notify(change.doc.id, thread);
    }
    if (floor === undefined && !snap.metadata.fromCache) floor = Math.max(0, ...lastSeen.values());
  };
}

export function stopNotifications(): void {
  stop?.();
  stop = undefined;
  document.title = TITLE;
}

function notify(threadId: string, thread: ThreadState): void {
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  if (!document.hidden && openThreadId === threadId) return; // the agent is looking at it
  const n = new Notification(thread.visitor?.displayName || "Visitor", {
    body: thread.lastMessage?.text ?? "",
    tag: threadId,
  });
  n.onclick = () => {
    window.focus();
    location.hash = `#/t/${encodeURIComponent(threadId)}`;
  };
}
