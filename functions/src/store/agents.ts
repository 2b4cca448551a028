import { getAuth, type UserRecord } from "firebase-admin/auth";
import { FieldValue } from "firebase-admin/firestore";
import { db } from "./db";
import { paths } from "../contract/paths";
import { ops } from "./ops";
import type { ConsoleRole } from "../contract/callables";
import { NotFound } from "../domain/errors";

export class AgentNotFound extends NotFound {
  constructor(readonly uid: string) {
    super(`No user ${uid}.`);
  }
}

function auth() {
  db(); // initializes the admin app
  return getAuth();
}

async function findByEmail(email: string): Promise<UserRecord | undefined> {
  try {
    return await auth().getUserByEmail(email);
  } catch (err) {
    if ((err as { code?: string }).code === "auth/user-not-found") return undefined;
    throw err;
  }
}

async function getUser(uid: string): Promise<UserRecord> {
  try {
    return await auth().getUser(uid);
  } catch (err) {
    if ((err as { code?: string }).code === "auth/user-not-found") throw new AgentNotFound(uid);
    throw err;
  }
}

async function writeRole(user: UserRecord, role: ConsoleRole): Promise<void> {
  await auth().setCustomUserClaims(user.uid, { ...(user.customClaims ?? {}), role });
  await db()
    .doc(paths.agent(user.uid))
    .set(
      {
        email: user.email ?? null,
        displayName: user.displayName ?? null,
        role,
        updatedAt: FieldValue.serverTimestamp(),
      },
      { merge: true },
    );
  ops.write();
}

/**
 * Gives an email address a console role, creating the account when it does not exist yet.
 * Returns a password-setting link for the admin to pass on (the account starts without a password).
 */
export async function inviteAgent(input: { email: string; role: ConsoleRole; displayName?: string }) {
  const existing = await findByEmail(input.email);
  const user = existing ?? (await auth().createUser({ email: input.email, displayName: input.displayName }));
  await writeRole(user, input.role);
  const link = await auth().generatePasswordResetLink(input.email);
  return { uid: user.uid, created: !existing, link };
}

/** Changes a role; refresh tokens are revoked so the old role cannot outlive the current ID token. */
export async function setAgentRole(uid: string, role: ConsoleRole): Promise<void> {
  await writeRole(await getUser(uid), role);
  await auth().revokeRefreshTokens(uid);
}

/** Takes the console role away (the account stays, so its past messages keep their author). */
export async function removeAgent(uid: string): Promise<void> {
  const user = await getUser(uid);
  const { role: _role, ...claims } = user.customClaims ?? {};
  await auth().setCustomUserClaims(uid, claims);
  await auth().revokeRefreshTokens(uid);
  await db().doc(paths.agent(uid)).delete();
  ops.write();
}
