// The resume page, /t/<token>: a signed link from an email or a notification. This device signs in
// (anonymous Firebase Auth, like the widget), the API checks the link and attaches this device's uid
// to the thread, and the conversation is shown. A forged, altered or expired link gets a clear
// refusal and no access: the rules only let attached uids read a thread (docs/reach.md).
import { paths } from "../../../functions/src/contract/paths";
import { signInAnonymously, type User } from "firebase/auth";
import { collection, onSnapshot, orderBy, query, type Firestore } from "firebase/firestore";
import { firebaseServices } from "../shared/firebase";

/** Where the widget finds the resumed thread on this origin (contract in docs/reach.md). */
export const RESUMED_THREAD_KEY = "afterchat.threadId";

const title = document.getElementById("title") as HTMLHeadingElement;
const status = document.getElementById("status") as HTMLParagraphElement;
const log = document.getElementById("log") as HTMLUListElement;
const actions = document.getElementById("actions") as HTMLParagraphElement;

// Deployed, "/" is a plain page without the widget (the demo's bakery page is local only): the link
// goes to the chat app itself, which finds the resumed thread on this origin.
if (!LOCAL_BUILD) (document.getElementById("continue") as HTMLAnchorElement).href = "/widget/#mode=open";

const REFUSED_TITLES: Record<string, string> = {
  expired: "This link has expired",
  forged: "This link is not valid",
  altered: "This link is not valid",
  malformed: "This link is incomplete",
};

function refuse(code: string, reason: string): void {
  title.textContent = REFUSED_TITLES[code] ?? "This link cannot open the conversation";
  status.dataset.kind = "refused";
  status.textContent = reason;
  actions.hidden = false;
  (document.getElementById("continue") as HTMLAnchorElement).textContent = "Start a new chat";
}

function tokenFromPath(): string {
  try {
    return decodeURIComponent(location.pathname.replace(/^\/t\/?/, "").replace(/\/$/, ""));
  } catch {
    return "";
  }
}

async function signedIn(): Promise<{ user: User; db: Firestore }> {
  const { auth, db } = await firebaseServices();
  await auth.authStateReady();
  return { user: auth.currentUser ?? (await signInAnonymously(auth)).user, db };
}

function show(db: Firestore, threadId: string): void {
  title.textContent = "Your conversation";
  status.textContent = "";
  log.hidden = false;
  actions.hidden = false;
  onSnapshot(
    query(collection(db, paths.messages(threadId)), orderBy("createdAt")),
    (snap) => {
      log.replaceChildren(
        ...snap.docs.map((d) => {
          const li = document.createElement("li");
          li.className = String(d.get("from"));
          li.textContent = String(d.get("text")); // never HTML
          return li;
        }),
      );
    },
    () => refuse("denied", "This conversation cannot be shown on this device."),
  );
}

async function main(): Promise<void> {
  const token = tokenFromPath();
  const { user, db } = await signedIn();
  const resumed = localStorage.getItem(RESUMED_THREAD_KEY);
  if (!token && resumed) return show(db, resumed); // a reload after the link was used
  if (!token)
    return refuse("malformed", "This link is incomplete. Copy the whole link from the email, or start a new chat.");
  const res = await fetch("/api/resume", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await user.getIdToken()}` },
    body: JSON.stringify({ token }),
  });
  const body = (await res.json().catch(() => ({}))) as { threadId?: string; error?: string; code?: string };
  if (!res.ok || !body.threadId)
    return refuse(body.code ?? String(res.status), body.error ?? "This link cannot open the conversation.");
  // Drop the token from the address bar and history: the device is attached now.
  history.replaceState(null, "", "/t/");
  localStorage.setItem(RESUMED_THREAD_KEY, body.threadId);
  // The widget signs in on its own (REST session): it attaches itself with this token on its next start.
  localStorage.setItem("afterchat.resumeToken", token);
  show(db, body.threadId);
}

main().catch((err: unknown) => {
  console.error(err);
  refuse("error", "Something went wrong while opening the conversation. Please try the link again.");
});
