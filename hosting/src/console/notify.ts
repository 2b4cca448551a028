// Unread counts and the title badge from a listener on the threads with unread visitor messages (capped);
// notifications from a listener on the 20 most recently active threads, where a new visitor message
// lands. Never a listener on messages across threads.
import { onSnapshot, type Unsubscribe } from "firebase/firestore";
import type { ThreadState } from "../../../functions/src/domain/thread";
import { revive, toQuery } from "./backend";
import { $ } from "./dom";
import { setUnreadCounts } from "./inbox";
import { recentQuery, UNREAD_CAP, unreadQuery, type Status } from "./queries";

const TITLE = "Afterchat console";
let stops: Unsubscribe[] = [];
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
  stops = [onSnapshot(toQuery(unreadQuery()), (snap) => {
    const counts: Partial<Record<Status, number>> = {};
    for (const d of snap.docs) {
      const status = d.get("status") as Status;
      counts[status] = (counts[status] ?? 0) + 1;
    }
    const capped = (n: number) => (snap.size >= UNREAD_CAP ? `${n}+` : String(n));
    setUnreadCounts(Object.fromEntries(Object.entries(counts).map(([s, n]) => [s, capped(n)])));
    document.title = snap.size ? `(${capped(snap.size)}) ${TITLE}` : TITLE;
  })];
  // Only messages that arrive while the console is open, each once.
  const lastSeen = new Map<string, number>();
  const openedAt = Date.now();
  stops.push(
    onSnapshot(toQuery(recentQuery()), (snap) => {
      for (const change of snap.docChanges()) {
        if (change.type === "removed") continue;
        const thread = revive<ThreadState>(change.doc.data());
        const at = thread.lastMessage?.at?.getTime() ?? 0;
        const isNew = at > Math.max(lastSeen.get(change.doc.id) ?? 0, openedAt);
        lastSeen.set(change.doc.id, Math.max(at, lastSeen.get(change.doc.id) ?? 0));
        if (isNew && thread.lastMessage?.from === "visitor") notify(change.doc.id, thread);
      }
    }),
  );
}

export function stopNotifications(): void {
  for (const stop of stops) stop();
  stops = [];
  document.title = TITLE;
}

function notify(threadId: string, thread: ThreadState): void {
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  if (!document.hidden && openThreadId === threadId) return; // the agent is looking at it
  const n = new Notification(thread.visitor?.displayName || "Visitor", { body: thread.lastMessage?.text ?? "", tag: threadId });
  n.onclick = () => {
    window.focus();
    location.hash = `#/t/${encodeURIComponent(threadId)}`;
  };
}
