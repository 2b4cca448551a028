import { initializeApp, type FirebaseApp, type FirebaseOptions } from "firebase/app";
import { EMULATOR_PORTS } from "../../../functions/src/contract/deployment";
import { connectAuthEmulator, getAuth, type Auth } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, initializeFirestore, type Firestore } from "firebase/firestore";

/** Served by Firebase Hosting (and its emulator) for the project the site belongs to. */
async function hostingConfig(): Promise<FirebaseOptions> {
  try {
    const res = await fetch("/__/firebase/init.json");
    if (res.ok) return (await res.json()) as FirebaseOptions;
  } catch {
    /* fall through: the local demo project, or a clear error when deployed */
  }
  if (!LOCAL_BUILD) throw new Error("Firebase Hosting did not serve /__/firebase/init.json for this site.");
  return { apiKey: "demo-key", projectId: "demo-afterchat", authDomain: "demo-afterchat.firebaseapp.com" };
}

/** Served by the emulators: only ever true in the local demo build (LOCAL_BUILD compiles the rest out). */
export function isLocal(): boolean {
  return LOCAL_BUILD && ["127.0.0.1", "localhost"].includes(location.hostname);
}

export async function firebaseApp(): Promise<FirebaseApp> {
  const config = await hostingConfig();
  if (LOCAL_BUILD && isLocal()) config.apiKey ||= "demo-key";
  return initializeApp(config);
}

/** The app with Auth and Firestore, pointed at the local emulators when served locally. */
export async function firebaseServices(): Promise<{ app: FirebaseApp; auth: Auth; db: Firestore }> {
  const app = await firebaseApp();
  const auth = getAuth(app);
  // Locally, long polling: against the emulator the streaming transport sometimes delivered a
  // listener's first snapshot only after 30–120 s in headless Chromium (docs/operations.md).
  const local = isLocal();
  const db = local ? initializeFirestore(app, { experimentalForceLongPolling: true }) : getFirestore(app);
  if (LOCAL_BUILD && local) {
    connectAuthEmulator(auth, `http://127.0.0.1:${EMULATOR_PORTS.auth}`, { disableWarnings: true });
    connectFirestoreEmulator(db, "127.0.0.1", EMULATOR_PORTS.firestore);
  }
  return { app, auth, db };
}
