/**
 * Where the chat app finds Firebase: the project config Hosting serves at /__/firebase/init.json,
 * and the emulators when served locally. Only REST endpoints: no Firebase SDK in the bundle.
 */
export interface Env {
  apiKey: string;
  projectId: string;
  /** The web app's id (App Check tokens are issued per app); Hosting serves it with the config. */
  appId?: string;
  authBase: string;
  tokenBase: string;
  firestoreBase: string;
}

/** Served by the emulators: only ever true in the local demo build (LOCAL_BUILD compiles the rest out). */
export function isLocal(host = location.hostname): boolean {
  return LOCAL_BUILD && (host === "127.0.0.1" || host === "localhost");
}

export async function loadEnv(): Promise<Env> {
  let config: { apiKey?: string; projectId?: string; appId?: string } = {};
  try {
    const res = await fetch("/__/firebase/init.json");
    if (res.ok) config = await res.json();
  } catch {
    /* served without Hosting: the local demo project below */
  }
  const local = LOCAL_BUILD && isLocal();
  const { apiKey, projectId } = projectConfig(config);
  const google = (api: string) => (LOCAL_BUILD && local ? `http://127.0.0.1:9099/${api}` : `https://${api}`);
  return {
    apiKey,
    projectId,
    appId: config.appId,
    authBase: google("identitytoolkit.googleapis.com/v1"),
    tokenBase: google("securetoken.googleapis.com/v1"),
    firestoreBase: `${LOCAL_BUILD && local ? "http://127.0.0.1:8080" : "https://firestore.googleapis.com"}/v1/projects/${projectId}/databases/(default)/documents`,
  };
}

/** Deployed, Hosting always serves the project's config; only the local demo falls back to the demo project. */
function projectConfig(config: { apiKey?: string; projectId?: string }): { apiKey: string; projectId: string } {
  if (!LOCAL_BUILD) {
    if (!config.apiKey || !config.projectId)
      throw new Error("Firebase Hosting did not serve /__/firebase/init.json for this site.");
    return { apiKey: config.apiKey, projectId: config.projectId };
  }
  return { apiKey: config.apiKey || "demo-key", projectId: config.projectId || "demo-afterchat" };
}
