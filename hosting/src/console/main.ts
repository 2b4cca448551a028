import { connectAuthEmulator, getAuth, onAuthStateChanged, signInWithEmailAndPassword } from "firebase/auth";
import { collection, connectFirestoreEmulator, getFirestore, limit, onSnapshot, orderBy, query } from "firebase/firestore";
import { firebaseApp, isLocal } from "../shared/firebase";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function main(): Promise<void> {
  const app = await firebaseApp();
  const auth = getAuth(app);
  const db = getFirestore(app);
  if (isLocal()) {
    connectAuthEmulator(auth, "http://127.0.0.1:9099", { disableWarnings: true });
    connectFirestoreEmulator(db, "127.0.0.1", 8080);
  }
  $<HTMLFormElement>("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("status").textContent = "";
    try {
      await signInWithEmailAndPassword(auth, $<HTMLInputElement>("email").value, $<HTMLInputElement>("password").value);
    } catch {
      $("status").textContent = "Wrong email or password.";
    }
  });
  onAuthStateChanged(auth, async (user) => {
    if (!user) return;
    const role = (await user.getIdTokenResult()).claims.role;
    $("who").textContent = `Signed in as ${user.email} (role: ${String(role ?? "none")})`;
    $("sign-in").hidden = true;
    $("inbox").hidden = false;
    if (role !== "admin" && role !== "agent") return;
    onSnapshot(query(collection(db, "threads"), orderBy("lastActivityAt", "desc"), limit(50)), (snap) => {
      $("threads").replaceChildren(
        ...snap.docs.map((d) => {
          const li = document.createElement("li");
          li.textContent = `${d.get("visitor.displayName")}: ${d.get("lastMessage.text") ?? ""}`;
          return li;
        }),
      );
    });
  });
}

main().catch((err: unknown) => {
  $("status").textContent = "The console could not start. Please reload.";
  console.error(err);
});
