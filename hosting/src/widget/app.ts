import { getAuth, connectAuthEmulator, signInAnonymously, type User } from "firebase/auth";
import { collection, connectFirestoreEmulator, getFirestore, onSnapshot, orderBy, query } from "firebase/firestore";
import { firebaseApp, isLocal } from "../shared/firebase";

const log = document.getElementById("log") as HTMLUListElement;
const form = document.getElementById("composer") as HTMLFormElement;
const input = document.getElementById("text") as HTMLTextAreaElement;
const errorBox = document.getElementById("error") as HTMLParagraphElement;

function clientMessageId(): string {
  return crypto.randomUUID().replace(/-/g, "");
}

async function main(): Promise<void> {
  const app = await firebaseApp();
  const auth = getAuth(app);
  const db = getFirestore(app);
  if (isLocal()) {
    connectAuthEmulator(auth, "http://127.0.0.1:9099", { disableWarnings: true });
    connectFirestoreEmulator(db, "127.0.0.1", 8080);
  }
  const user: User = auth.currentUser ?? (await signInAnonymously(auth)).user;
  let listening = "";

  function listen(threadId: string): void {
    if (listening === threadId) return;
    listening = threadId;
    onSnapshot(query(collection(db, "threads", threadId, "messages"), orderBy("createdAt")), (snap) => {
      log.replaceChildren(
        ...snap.docs.map((d) => {
          const li = document.createElement("li");
          li.className = String(d.get("from"));
          li.textContent = String(d.get("text")); // visitor and agent text is never HTML
          return li;
        }),
      );
      log.scrollTop = log.scrollHeight;
    });
  }

  const known = localStorage.getItem("afterchat.threadId");
  if (known) listen(known);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    errorBox.textContent = "";
    const res = await fetch("/api/widget/messages", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await user.getIdToken()}` },
      body: JSON.stringify({ text, clientMessageId: clientMessageId() }),
    });
    const body = (await res.json().catch(() => ({}))) as { threadId?: string; error?: string };
    if (!res.ok || !body.threadId) {
      errorBox.textContent = body.error ?? "Could not send. Please try again.";
      return;
    }
    input.value = "";
    localStorage.setItem("afterchat.threadId", body.threadId);
    listen(body.threadId);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

main().catch((err: unknown) => {
  errorBox.textContent = "The chat could not start. Please reload.";
  console.error(err);
});
