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
  // confirmation changes nothing else, and it is what tells the notifier that what it holds is old.
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
 * Notifies each visitor message that arrives while the console is open, once. Compared per thread, never
 * with the browser's or anyone's clock. In a full window, a thread that was never seen and has no seen
 * thread below it slid in from beyond the cap (one above it was read): old news, no notification.
 */
function notifier(): (snap: QuerySnapshot) => void {
  const lastSeen = new Map<string, number>();
  let ready = false; // after the first answer from the server: what it holds was there before
  return (snap) => {
    const seenBefore = new Set(lastSeen.keys());
    const full = snap.size >= UNREAD_CAP;
    for (const change of snap.docChanges()) {
      if (change.type === "removed") continue;
      const id = change.doc.id;
      const thread = revive<ThreadState>(change.doc.data());
      const at = thread.lastMessage?.at?.getTime() ?? 0;
      const seen = lastSeen.get(id) ?? 0;
      lastSeen.set(id, Math.max(at, seen));
      const slidIn =
        full && !seenBefore.has(id) && !snap.docs.slice(change.newIndex + 1).some((d) => seenBefore.has(d.id));
      if (ready && !slidIn && at > seen && thread.lastMessage?.from === "visitor") notify(id, thread);
    }
    if (!snap.metadata.fromCache) ready = true;
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
