// Unread counts, the title badge and browser notifications, from one listener on the threads that
// have unread visitor messages (capped; never a listener on messages across threads).
import { onSnapshot, type Unsubscribe } from "firebase/firestore";
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
  const lastSeen = new Map<string, number>();
  let first = true;
  stop = onSnapshot(toQuery(unreadQuery()), (snap) => {
    const counts: Partial<Record<Status, number>> = {};
    let total = 0;
    for (const d of snap.docs) {
      const status = d.get("status") as Status;
      counts[status] = (counts[status] ?? 0) + 1;
      total += 1;
    }
    const capped = (n: number) => (snap.size >= UNREAD_CAP ? `${n}+` : String(n));
    setUnreadCounts(Object.fromEntries(Object.entries(counts).map(([s, n]) => [s, capped(n)])));
    document.title = total ? `(${capped(total)}) ${TITLE}` : TITLE;
    for (const change of snap.docChanges()) {
      if (change.type === "removed") continue;
      const thread = revive<ThreadState>(change.doc.data());
      const at = thread.lastMessage?.at?.getTime() ?? 0;
      const isNew = at > (lastSeen.get(change.doc.id) ?? 0);
      lastSeen.set(change.doc.id, at);
      if (!first && isNew && thread.lastMessage?.from === "visitor") notify(change.doc.id, thread);
    }
    first = false;
  });
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
