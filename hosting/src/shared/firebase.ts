import { initializeApp, type FirebaseApp, type FirebaseOptions } from "firebase/app";

/** Served by Firebase Hosting (and its emulator) for the project the site belongs to. */
async function hostingConfig(): Promise<FirebaseOptions> {
  try {
    const res = await fetch("/__/firebase/init.json");
    if (res.ok) return (await res.json()) as FirebaseOptions;
  } catch {
    /* fall through to the local demo project */
  }
  return { apiKey: "demo-key", projectId: "demo-afterchat", authDomain: "demo-afterchat.firebaseapp.com" };
}

export function isLocal(): boolean {
  return ["127.0.0.1", "localhost"].includes(location.hostname);
}

export async function firebaseApp(): Promise<FirebaseApp> {
  const config = await hostingConfig();
  if (isLocal()) config.apiKey ||= "demo-key";
  return initializeApp(config);
}
