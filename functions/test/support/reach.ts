// Fixtures for the reach suites: the local mail catcher and push service (tools/), the local link
// secret (functions/.secret.local), and browser-side push keys made here as a browser makes them.
import { createECDH, randomBytes, type ECDH } from "node:crypto";
import { readFileSync } from "node:fs";
import { adminDb, callable, consoleUser, HOSTING, uniqueId, type SignedIn } from "./emulators";
import { waitUntil } from "./wait";

export const MAIL_CATCHER = "http://127.0.0.1:5080";
export const PUSH_SERVICE = "http://127.0.0.1:5090";

/** The local-only values the functions emulator reads (so tests sign exactly as the functions do). */
export function localSecret(name: string): string {
  const file = readFileSync(`${__dirname}/../../.secret.local`, "utf8");
  const line = file.split("\n").find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`${name} is not in functions/.secret.local`);
  return line.slice(name.length + 1).trim();
}

export interface CaughtMail {
  id: string;
  subject: string;
  from: string;
  to: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  /** Header lines as sent, unfolded, by lower-case name. */
  rawHeaders: Record<string, string>;
}

export async function mailTo(address: string): Promise<CaughtMail[]> {
  const res = await fetch(`${MAIL_CATCHER}/messages?to=${encodeURIComponent(address)}`);
  return (await res.json()) as CaughtMail[];
}

export interface RecordedPush {
  endpoint: string;
  status: number;
  vapidError: string | null;
  headers: {
    ttl: string | null;
    urgency: string | null;
    topic: string | null;
    contentEncoding: string | null;
    authorization: string | null;
  };
  body: string;
}

export async function pushesTo(endpoint: string): Promise<RecordedPush[]> {
  const res = await fetch(`${PUSH_SERVICE}/requests?endpoint=${encodeURIComponent(endpoint)}`);
  return (await res.json()) as RecordedPush[];
}

/** What a browser's PushManager.subscribe() makes: a P-256 key pair and a 16-byte auth secret. */
export function browserSubscription(kind: "push" | "gone" | "missing" = "push") {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  const subscription = {
    endpoint: `${PUSH_SERVICE}/${kind}/${uniqueId("sub")}`,
    expirationTime: null,
    keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") },
  };
  return { subscription, ecdh, auth };
}

/** Decrypts a recorded push body as the browser would (RFC 8291 aes128gcm). */
export function decryptPush(body: string, ecdh: ECDH, auth: Buffer): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ece = require("http_ece") as { decrypt(buf: Buffer, params: Record<string, unknown>): Buffer };
  const plain = ece.decrypt(Buffer.from(body, "base64"), {
    version: "aes128gcm",
    privateKey: ecdh,
    authSecret: auth.toString("base64url"),
  });
  return JSON.parse(plain.toString("utf8"));
}

export async function subscribePush(visitor: SignedIn, threadId: string, subscription: unknown) {
  const res = await fetch(`${HOSTING}/api/push/subscriptions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${visitor.idToken}` },
    body: JSON.stringify({ threadId, subscription }),
  });
  return { status: res.status, body: (await res.json()) as { ok?: boolean; subscriptionId?: string; error?: string } };
}

export async function resume(visitor: SignedIn, token: string) {
  const res = await fetch(`${HOSTING}/api/resume`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${visitor.idToken}` },
    body: JSON.stringify({ token }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { threadId?: string; attached?: boolean; error?: string; code?: string },
  };
}

/** What the widget's email form stores on the thread (contract: visitor.email + reach.email). */
export async function giveEmail(threadId: string, email: string): Promise<void> {
  await adminDb().doc(`threads/${threadId}`).update({ "visitor.email": email, "reach.email": true });
}

let agent: (SignedIn & { email: string }) | undefined;

export async function agentReplies(threadId: string, text: string): Promise<string> {
  agent ??= await consoleUser("agent");
  const r = await callable<{ messageId: string }>(
    "agentReply",
    { threadId, text, clientMessageId: uniqueId("reply") },
    agent.idToken,
  );
  if (r.status !== 200 || !r.result) throw new Error(`agentReply: ${JSON.stringify(r.error)}`);
  return r.result.messageId;
}

/** Waits until the continuity task for this reply has decided (threads/{id}/reach/state.lastCheck). */
export async function continuityDecision(threadId: string, messageId: string) {
  return waitUntil(`the continuity decision for ${messageId}`, async () => {
    const check = (await adminDb().doc(`threads/${threadId}/reach/state`).get()).get("lastCheck") as
      { messageId: string; action: string; reason?: string; channel?: string } | undefined;
    return check?.messageId === messageId ? check : undefined;
  });
}

export function linkIn(text: string, pattern: RegExp): string {
  const m = pattern.exec(text);
  if (!m) throw new Error(`no link matching ${pattern} in:\n${text}`);
  return m[0];
}
