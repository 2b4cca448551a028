import { getAuth, type UserRecord } from "firebase-admin/auth";
import { FieldValue } from "firebase-admin/firestore";
import { db } from "./db";
import { paths } from "../contract/paths";
import { ops } from "./ops";
import type { ConsoleRole } from "../contract/callables";
import { NotFound, Refused } from "../domain/errors";

export class AgentNotFound extends NotFound {
  constructor(readonly uid: string) {
    super(`No user ${uid}.`);
  }
}

/** A role for an account the project neither created nor saw verified: invite its address instead. */
export class UntrustedAccount extends Refused {
  constructor() {
    super("unverified_account", "This account's email address is not verified: invite the address instead.");
  }
}

/**
 * Marks accounts the project created or gave a role (custom claim). A created account has no password
 * until the invitee sets one through the link mailed to the address, so whoever holds it owns the
 * mailbox. `removeAgent` strips only the role, so a removed agent stays trusted when invited again.
 */
export const PROJECT_ACCOUNT_CLAIM = "afterchatAccount";

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
  // The marker stays after removeAgent strips the role: this account was trusted when it got one.
  await auth().setCustomUserClaims(user.uid, { ...(user.customClaims ?? {}), role, [PROJECT_ACCOUNT_CLAIM]: true });
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
 * May this existing account receive a role? Only when the project created it (or already gave it a
 * role) or its owner proved the address. Anyone can sign up with Email/Password under any address
 * while open sign-up is on, so an unverified account may belong to an outsider who registered a future
 * agent's address first (issue 15). Mirrored in tools/admin-create.mjs.
 */
export function accountTrusted(user: Pick<UserRecord, "emailVerified" | "customClaims">): boolean {
  const claims = user.customClaims ?? {};
  return user.emailVerified || claims[PROJECT_ACCOUNT_CLAIM] === true || typeof claims.role === "string";
}

/**
 * Gives an email address a console role. A new account is created for it, and so is one in place of
 * an existing account the project cannot trust (see accountTrusted): that account is deleted, which
 * also ends its sessions. An existing trusted account's earlier sessions are revoked, so the role
 * starts with a fresh sign-in. Returns a password-setting link for the admin to pass on.
 */
export async function inviteAgent(input: { email: string; role: ConsoleRole; displayName?: string }) {
  const existing = await findByEmail(input.email);
  const replaced = existing !== undefined && !accountTrusted(existing);
  if (replaced) await auth().deleteUser(existing.uid);
  const user =
    existing && !replaced ? existing : await auth().createUser({ email: input.email, displayName: input.displayName });
  await writeRole(user, input.role);
  if (existing && !replaced) await auth().revokeRefreshTokens(user.uid);
  const link = await auth().generatePasswordResetLink(input.email);
  return { uid: user.uid, created: !existing || replaced, replacedUid: replaced ? existing.uid : undefined, link };
}

/** Changes a role; refresh tokens are revoked so the old role cannot outlive the current ID token. */
export async function setAgentRole(uid: string, role: ConsoleRole): Promise<void> {
  const user = await getUser(uid);
  if (!accountTrusted(user)) throw new UntrustedAccount();
  await writeRole(user, role);
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

/** An agent's Business Messages avatar (an https URL; null removes it); refused without an agent profile. */
export async function setAgentAvatar(uid: string, avatarUrl: string | null): Promise<void> {
  try {
    await db()
      .doc(paths.agent(uid))
      .update({ avatarUrl: avatarUrl ?? FieldValue.delete() });
    ops.write();
  } catch (err) {
    if ((err as { code?: number }).code === 5) throw new AgentNotFound(uid);
    throw err;
  }
}

/** An agent turns email alerts on or off for themselves; refused when they have no agent profile. */
export async function setEmailWhenAway(uid: string, emailWhenAway: boolean): Promise<void> {
  try {
    await db().doc(paths.agent(uid)).update({ emailWhenAway });
    ops.write();
  } catch (err) {
    // NOT_FOUND: no agents/{uid} (an account given a role by hand, not invited).
    if ((err as { code?: number }).code === 5) throw new AgentNotFound(uid);
    throw err;
  }
}
