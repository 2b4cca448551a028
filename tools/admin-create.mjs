// First admin for a deployed project, run by the project's owner with their own Google credentials
// (never an open endpoint): `npm run admin:create -- you@business.com --project <projectId>`.
// Credentials: Application Default Credentials (`gcloud auth application-default login`) or
// GOOGLE_APPLICATION_CREDENTIALS pointing at a service-account key of that project. User credentials
// need a quota project (else Auth and Firestore answer 403): --quota-project, GOOGLE_CLOUD_QUOTA_PROJECT
// or the ADC file's own, and when none is set the target project itself (its owner may bill it).
// `--emulator` targets the local emulators (project demo-afterchat) instead.
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { PROJECT_ID, root, urls } from "./proc.mjs";

const USAGE = `usage: npm run admin:create -- <email> --project <projectId> [--quota-project <projectId>] [--force]
       npm run admin:create -- <email> --emulator
Gives <email> the admin role (custom claim role: "admin"), creating the account if needed, and prints
a link to set its password. Refuses when the project already has an admin, unless --force.
  --quota-project  project billed for the API calls under user credentials (default: GOOGLE_CLOUD_QUOTA_PROJECT,
                   your ADC's quota project, else --project)`;

const PROJECT_ID_SHAPE = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

const require = createRequire(`${root}/functions/package.json`);

export function options(args = process.argv.slice(2)) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      project: { type: "string" },
      "quota-project": { type: "string" },
      emulator: { type: "boolean" },
      force: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  const email = positionals[0]?.trim().toLowerCase();
  if (values.help || !email || positionals.length !== 1) throw new UsageError();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new UsageError(`"${positionals[0]}" is not an email address.`);
  if (values.emulator && values.project && values.project !== PROJECT_ID)
    throw new UsageError("--emulator runs against demo-afterchat only.");
  const projectId = values.emulator ? PROJECT_ID : values.project;
  if (!projectId)
    throw new UsageError("Name the project: --project <projectId> (or --emulator for the local emulators).");
  if (!values.emulator && projectId.startsWith("demo-"))
    throw new UsageError(`${projectId} is an emulator-only project: use --emulator.`);
  const quotaProject = values["quota-project"];
  if (quotaProject !== undefined && values.emulator)
    throw new UsageError("--quota-project is for a deployed project: the emulators bill nothing.");
  if (quotaProject !== undefined && !PROJECT_ID_SHAPE.test(quotaProject))
    throw new UsageError(`--quota-project "${quotaProject}" is not a project id.`);
  return { email, projectId, quotaProject, emulator: Boolean(values.emulator), force: Boolean(values.force) };
}

export class UsageError extends Error {}

/**
 * The quota project the Google clients send (X-Goog-User-Project; firebase-admin and google-auth-library
 * both read GOOGLE_CLOUD_QUOTA_PROJECT): the option, else one already set (the environment or the ADC
 * file), else, for user credentials only, the target project. Service accounts need none.
 */
export function quotaProjectFor({ quotaProject, projectId, userCredentials, envQuotaProject, adcQuotaProject }) {
  return quotaProject ?? envQuotaProject ?? adcQuotaProject ?? (userCredentials ? projectId : undefined);
}

/** Whether ADC holds user credentials (gcloud auth application-default login), and their quota project. */
async function adcKind() {
  try {
    const { GoogleAuth } = require("google-auth-library");
    const client = await new GoogleAuth().getClient();
    return { userCredentials: client.constructor.name === "UserRefreshClient", quotaProject: client.quotaProjectId };
  } catch {
    return { userCredentials: false }; // no ADC: firebase-admin says so itself
  }
}

/** The same rule and marker as functions/src/store/agents.ts (this script runs without a build). */
const PROJECT_ACCOUNT_CLAIM = "afterchatAccount";
function accountTrusted(user) {
  const claims = user.customClaims ?? {};
  return user.emailVerified || claims[PROJECT_ACCOUNT_CLAIM] === true || typeof claims.role === "string";
}

/** Points firebase-admin at the emulators, or makes sure stray emulator variables cannot redirect a real run. */
function target(opts) {
  for (const name of ["FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST"]) delete process.env[name];
  if (opts.emulator) {
    process.env.FIRESTORE_EMULATOR_HOST = urls.firestore;
    process.env.FIREBASE_AUTH_EMULATOR_HOST = urls.auth;
  }
  process.env.GOOGLE_CLOUD_PROJECT = opts.projectId;
}

export async function createAdmin(opts) {
  target(opts);
  if (!opts.emulator) {
    const adc = await adcKind();
    const quota = quotaProjectFor({
      quotaProject: opts.quotaProject,
      projectId: opts.projectId,
      userCredentials: adc.userCredentials,
      envQuotaProject: process.env.GOOGLE_CLOUD_QUOTA_PROJECT || undefined,
      adcQuotaProject: adc.quotaProject || undefined,
    });
    if (quota) process.env.GOOGLE_CLOUD_QUOTA_PROJECT = quota;
  }
  const { initializeApp, getApps } = require("firebase-admin/app");
  const { getAuth } = require("firebase-admin/auth");
  const { getFirestore, FieldValue } = require("firebase-admin/firestore");
  const app =
    getApps().find((a) => a.name === "admin-create") ?? initializeApp({ projectId: opts.projectId }, "admin-create");
  const auth = getAuth(app);
  const db = getFirestore(app);

  const admins = await db.collection("agents").where("role", "==", "admin").limit(5).get();
  const others = admins.docs.filter((d) => d.get("email") !== opts.email);
  if (others.length && !opts.force) {
    const names = others.map((d) => d.get("email") ?? d.id).join(", ");
    throw new UsageError(
      `${opts.projectId} already has an admin (${names}): ask them to invite you from the console's settings, or pass --force.`,
    );
  }
  let user;
  let created = false;
  let replaced = false;
  try {
    user = await auth.getUserByEmail(opts.email);
  } catch (err) {
    if (err.code !== "auth/user-not-found") throw err;
  }
  // Open Email/Password sign-up lets anyone register the owner's address first: an account the
  // project neither created nor saw verified is replaced, never made an admin (accountTrusted in
  // functions/src/store/agents.ts; deleting it also ends the outsider's sessions).
  if (user && !accountTrusted(user)) {
    await auth.deleteUser(user.uid);
    user = undefined;
    replaced = true;
  }
  if (!user) {
    user = await auth.createUser({ email: opts.email });
    created = true;
  } else {
    await auth.revokeRefreshTokens(user.uid); // the role starts with a fresh sign-in
  }
  await auth.setCustomUserClaims(user.uid, {
    ...(user.customClaims ?? {}),
    role: "admin",
    [PROJECT_ACCOUNT_CLAIM]: true,
  });
  await db.doc(`agents/${user.uid}`).set(
    {
      email: opts.email,
      displayName: user.displayName ?? null,
      role: "admin",
      updatedAt: FieldValue.serverTimestamp(),
    },
    { merge: true },
  );
  const link = await auth.generatePasswordResetLink(opts.email);
  return { uid: user.uid, created, replaced, link };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let opts;
  try {
    opts = options();
    const r = await createAdmin(opts);
    console.log(
      `${opts.email} is now an admin of ${opts.projectId} (uid ${r.uid}${r.created ? ", new account" : ""}).`,
    );
    if (r.replaced)
      console.log("An unverified account someone else registered under this address was replaced (deleted).");
    console.log(`Set the password here, then sign in at /console/:\n${r.link}`);
    process.exit(0);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message || USAGE);
      if (err.message) console.error(`\n${USAGE}`);
      process.exit(2);
    }
    console.error(`admin:create failed: ${err.message}`);
    if (/quota project|x-goog-user-project|serviceusage|USER_PROJECT_DENIED/i.test(err.message)) {
      console.error(
        `Name a project your account may bill for API calls: --quota-project ${opts.projectId} ` +
          "(or gcloud auth application-default set-quota-project <projectId>).",
      );
    } else if (/credential|authenticat|permission/i.test(err.message)) {
      console.error("Sign in with an account that owns the project: gcloud auth application-default login");
    }
    process.exit(1);
  }
}
