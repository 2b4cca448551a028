/**
 * Where the chat app finds Firebase: the project config Hosting serves at /__/firebase/init.json,
 * and the emulators when served locally. Only REST endpoints: no Firebase SDK in the bundle.
 */
export interface Env {
  apiKey: string;
  projectId: string;
  authBase: string;
  tokenBase: string;
  firestoreBase: string;
}

export function isLocal(host = location.hostname): boolean {
  return host === "127.0.0.1" || host === "localhost";
}

export async function loadEnv(): Promise<Env> {
  let config: { apiKey?: string; projectId?: string } = {};
  try {
    const res = await fetch("/__/firebase/init.json");
    if (res.ok) config = await res.json();
  } catch {
    /* served without Hosting: the local demo project below */
  }
  const local = isLocal();
  const projectId = config.projectId || "demo-afterchat";
  const google = (api: string) => (local ? `http://127.0.0.1:9099/${api}` : `https://${api}`);
  return {
    apiKey: config.apiKey || "demo-key",
    projectId,
    authBase: google("identitytoolkit.googleapis.com/v1"),
    tokenBase: google("securetoken.googleapis.com/v1"),
    firestoreBase: `${local ? "http://127.0.0.1:8080" : "https://firestore.googleapis.com"}/v1/projects/${projectId}/databases/(default)/documents`,
  };
}
