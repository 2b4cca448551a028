// Shared fixtures for the integration suites: they talk to the real emulators started by
// `firebase emulators:exec` (npm test) through their public HTTP surfaces.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { getApps, initializeApp, type App } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";

export const PROJECT_ID = "demo-afterchat";
export const HOSTING = "http://127.0.0.1:5000";
export const FUNCTIONS = `http://127.0.0.1:5001/${PROJECT_ID}/us-central1`;
const AUTH = `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST ?? "127.0.0.1:9099"}/identitytoolkit.googleapis.com/v1`;
const API_KEY = "fake-api-key";

export function requireEmulators(): void {
  for (const name of ["FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST"]) {
    if (!process.env[name]) throw new Error(`${name} is not set: run the integration suites through \`npm test\`.`);
  }
}

export function adminApp(): App {
  requireEmulators();
  return getApps().find((a) => a.name === "[DEFAULT]") ?? initializeApp({ projectId: PROJECT_ID });
}

export const adminDb = () => getFirestore(adminApp());
export const adminAuth = () => getAuth(adminApp());

export function uniqueId(prefix: string): string {
  return `${prefix}${randomUUID().replace(/-/g, "").slice(0, 16)}`;
}

async function authPost<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${AUTH}/${path}?key=${API_KEY}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`auth ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface SignedIn {
  uid: string;
  idToken: string;
}

/** A widget visitor: an anonymous Auth user, exactly as the widget signs in. */
export async function anonymousVisitor(): Promise<SignedIn> {
  const r = await authPost<{ localId: string; idToken: string }>("accounts:signUp", { returnSecureToken: true });
  return { uid: r.localId, idToken: r.idToken };
}

/** Open Email/Password sign-up through the Auth REST API, as anyone on the internet can do it. */
export async function passwordSignUp(email: string, password: string): Promise<SignedIn & { refreshToken: string }> {
  const r = await authPost<{ localId: string; idToken: string; refreshToken: string }>("accounts:signUp", {
    email,
    password,
    returnSecureToken: true,
  });
  return { uid: r.localId, idToken: r.idToken, refreshToken: r.refreshToken };
}

/** Email/password sign-in; undefined when Auth refuses it. */
export async function passwordSignIn(email: string, password: string): Promise<SignedIn | undefined> {
  try {
    const r = await authPost<{ localId: string; idToken: string }>("accounts:signInWithPassword", {
      email,
      password,
      returnSecureToken: true,
    });
    return { uid: r.localId, idToken: r.idToken };
  } catch {
    return undefined;
  }
}

/** Exchanges a refresh token for a new ID token's claims; undefined when Auth refuses it (revoked, deleted). */
export async function refreshedClaims(refreshToken: string): Promise<Record<string, unknown> | undefined> {
  const res = await fetch(
    `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST ?? "127.0.0.1:9099"}/securetoken.googleapis.com/v1/token?key=${API_KEY}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "refresh_token", refresh_token: refreshToken }),
    },
  );
  if (!res.ok) return undefined;
  const { id_token } = (await res.json()) as { id_token: string };
  return JSON.parse(Buffer.from(id_token.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;
}

/** A console user with the given role claim (or none), signed in with email and password. */
export async function consoleUser(role: "admin" | "agent" | null): Promise<SignedIn & { email: string }> {
  const email = `${uniqueId(role ?? "norole")}@example.com`;
  const password = "test-password";
  const user = await adminAuth().createUser({ email, password, displayName: `Test ${role ?? "nobody"}` });
  if (role) await adminAuth().setCustomUserClaims(user.uid, { role });
  const r = await authPost<{ idToken: string }>("accounts:signInWithPassword", {
    email,
    password,
    returnSecureToken: true,
  });
  return { uid: user.uid, idToken: r.idToken, email };
}

export async function widgetSend(visitor: SignedIn, text: string, clientMessageId = uniqueId("c")) {
  const res = await fetch(`${HOSTING}/api/widget/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${visitor.idToken}` },
    body: JSON.stringify({ text, clientMessageId }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { threadId?: string; messageId?: string; duplicate?: boolean; error?: string },
  };
}

/** Calls an onCall function over its HTTP protocol, as the console's SDK does. */
export async function callable<T = unknown>(name: string, data: unknown, idToken?: string) {
  const res = await fetch(`${FUNCTIONS}/${name}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(idToken ? { authorization: `Bearer ${idToken}` } : {}) },
    body: JSON.stringify({ data }),
  });
  const body = (await res.json()) as { result?: T; error?: { status: string; message: string; details?: unknown } };
  return { status: res.status, ...body };
}

/**
 * Runs retention sweeps in a process of its own under `projectId` (test/support/retentionProcess.ts):
 * each sweep's result and the Firestore operations it counted, in order.
 */
export async function sweepInProcess(
  projectId: string,
  sweeps: Array<{ nowMs: number; options?: Record<string, number>; untilDone?: boolean }>,
): Promise<Array<{ sweep: Record<string, unknown>; ops: { reads: number; writes: number } }>> {
  requireEmulators();
  const env = {
    ...process.env,
    GCLOUD_PROJECT: projectId,
    GOOGLE_CLOUD_PROJECT: projectId,
    FIREBASE_CONFIG: JSON.stringify({ projectId }),
  };
  const script = `${__dirname}/retentionProcess.ts`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--require", "tsx/cjs", script, JSON.stringify(sweeps)],
    { env, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 },
  );
  return stdout
    .split("\n")
    .filter((l) => l.startsWith('{"sweep"'))
    .map((l) => JSON.parse(l) as { sweep: Record<string, unknown>; ops: { reads: number; writes: number } });
}

/** Moves the emulator's dev clock (globally, or for one thread) or resets it: devFollowUps /clock. */
export async function devClock(body: { offsetMs: number; threadId?: string } | { reset: true }): Promise<void> {
  const res = await fetch(`${FUNCTIONS}/devFollowUps/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`dev clock: HTTP ${res.status} ${await res.text()}`);
}

/**
 * Turns every background trigger (Firestore, Pub/Sub) off or on through the Emulator Hub, as
 * @firebase/rules-unit-testing's withFunctionTriggersDisabled does: for fixture data no trigger is
 * under test for. Turning them on reloads the functions (the events written meanwhile are dropped).
 */
export async function backgroundTriggers(on: boolean): Promise<void> {
  const hub = process.env.FIREBASE_EMULATOR_HUB;
  if (!hub) throw new Error("FIREBASE_EMULATOR_HUB is not set: run the suite under firebase emulators:exec");
  const res = await fetch(`http://${hub}/functions/${on ? "enable" : "disable"}BackgroundTriggers`, { method: "PUT" });
  if (!res.ok) throw new Error(`background triggers ${on ? "on" : "off"}: HTTP ${res.status} ${await res.text()}`);
}
