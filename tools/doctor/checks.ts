// The doctor's checks: pure functions from what the code declares and what Google's APIs answered
// (recorded JSON in tests) to one line each, with exactly one fix command for a failure.
// docs/doctor.md says why each check exists and where each fact comes from.
import { z } from "zod";
import type { Declared, DeclaredQueue } from "./manifest";

export interface Check {
  name: string;
  ok: boolean;
  found: string;
  /** One command the owner can paste (failures only). */
  fix?: string;
}

/** An API's error, as Google's JSON error body says it (google.rpc.Status + ErrorInfo). */
export interface ApiError {
  status: number;
  code?: string;
  message: string;
  reason?: string;
  service?: string;
}

export type Answer<T = unknown> = { ok: true; body: T } | { ok: false; error: ApiError };

export interface Credentials {
  /** "user": gcloud application-default login; "service_account": a key or an attached account. */
  kind: "user" | "service_account" | "other" | "none";
  quotaProject?: string;
  /** Why there are no usable credentials (kind "none"). */
  problem?: string;
}

export interface WidgetFetch {
  status: number;
  contentType: string;
  body: string;
}

export interface Answers {
  project: string;
  credentials: Credentials;
  services?: Answer;
  projectInfo?: Answer;
  iamPolicy?: Answer;
  /** The IAM policy of each runtime service account (who may act as it). */
  serviceAccountPolicies: Record<string, Answer>;
  authConfig?: Answer;
  /** By full queue name, projects/P/locations/R/queues/Q. */
  queues: Record<string, Answer>;
  secrets: Record<string, Answer>;
  /** The `latest` version of each secret. */
  secretVersions: Record<string, Answer>;
  topics: Record<string, Answer>;
  publicUrl: { url?: string; source?: string; fetch?: Answer<WidgetFetch> };
}

// ── Shared pieces ──────────────────────────────────────────────────────────────────────────────

const p = (project: string) => `--project=${project}`;

/** The one fix for an API error that is not the check's own "missing" answer. */
export function errorFix(error: ApiError, project: string): string {
  if (/quota project/i.test(error.message)) return `gcloud auth application-default set-quota-project ${project}`;
  if (error.reason === "SERVICE_DISABLED" && error.service)
    return `gcloud services enable ${error.service} ${p(project)}`;
  if (error.status === 401) return "gcloud auth application-default login";
  if (error.status === 403) {
    return `gcloud projects add-iam-policy-binding ${project} --member="user:$(gcloud config get-value account)" --role=roles/viewer`;
  }
  return `npm run doctor -- ${p(project)}`; // transient (5xx, network): run it again
}

function failed(name: string, error: ApiError, project: string): Check {
  const why = /quota project/i.test(error.message)
    ? `${error.service ?? "the API"} refuses user credentials without a quota project`
    : error.message;
  return {
    name,
    ok: false,
    found: `could not read it: ${error.status ? `${error.status} ` : ""}${why}`,
    fix: errorFix(error, project),
  };
}

const isNotFound = (a: Answer) => !a.ok && a.error.status === 404;

// ── Credentials ────────────────────────────────────────────────────────────────────────────────

/** User credentials need a quota project: Service Usage and Identity Toolkit answer 403 without one. */
export function checkCredentials(c: Credentials, project: string): Check {
  const name = "credentials";
  if (c.kind === "none") {
    return {
      name,
      ok: false,
      found: c.problem ?? "no Application Default Credentials",
      fix: "gcloud auth application-default login",
    };
  }
  if (c.kind === "user" && !c.quotaProject) {
    return {
      name,
      ok: false,
      found: "user credentials without a quota project (Service Usage and Identity Toolkit refuse them with 403)",
      fix: `gcloud auth application-default set-quota-project ${project}`,
    };
  }
  const kind =
    c.kind === "user" ? "user credentials" : c.kind === "service_account" ? "a service account" : "credentials";
  return { name, ok: true, found: `${kind}${c.quotaProject ? `, quota project ${c.quotaProject}` : ""}` };
}

// ── APIs ───────────────────────────────────────────────────────────────────────────────────────

/** Why each API is needed; the first group is what `firebase deploy` enables for 2nd gen functions. */
export const API_REASONS: Record<string, string> = {
  "cloudfunctions.googleapis.com": "Cloud Functions (2nd gen) deploys",
  "run.googleapis.com": "2nd gen functions run on Cloud Run",
  "cloudbuild.googleapis.com": "builds the functions' container at deploy",
  "artifactregistry.googleapis.com": "stores the built functions",
  "eventarc.googleapis.com": "delivers Firestore and Pub/Sub events to the triggers",
  "pubsub.googleapis.com": "the afterchat-events topic and event delivery",
  "storage.googleapis.com": "deploy uploads the functions' source",
  "secretmanager.googleapis.com": "secrets declared with defineSecret",
  "cloudtasks.googleapis.com": "task-queue functions (follow-ups, continuity, outbox, wake-ups)",
  "cloudscheduler.googleapis.com": "the hourly follow-up sweep (onSchedule)",
  "firestore.googleapis.com": "the database and its document triggers",
  "firebaserules.googleapis.com": "deploys firestore.rules",
  "identitytoolkit.googleapis.com": "Firebase Authentication (visitors, agents)",
  "firebasehosting.googleapis.com": "Firebase Hosting (widget, console)",
};

/** The APIs a deploy of this code needs, derived from what it declares. */
export function requiredApis(declared: Declared): string[] {
  const apis = new Set([
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
    "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com",
    "eventarc.googleapis.com",
    "pubsub.googleapis.com",
    "storage.googleapis.com",
    "firestore.googleapis.com",
    "firebaserules.googleapis.com",
    "identitytoolkit.googleapis.com",
    "firebasehosting.googleapis.com",
    ...declared.requiredApis,
  ]);
  if (declared.usesSecrets) apis.add("secretmanager.googleapis.com");
  return [...apis].sort();
}

const ServiceList = z.object({
  services: z
    .array(z.object({ name: z.string().optional(), config: z.object({ name: z.string().optional() }).optional() }))
    .optional(),
});

export function checkApis(declared: Declared, answer: Answer | undefined, project: string): Check {
  const name = "APIs enabled";
  if (!answer) return { name, ok: false, found: "not asked", fix: `npm run doctor -- ${p(project)}` };
  if (!answer.ok) return failed(name, answer.error, project);
  const enabled = new Set(
    (ServiceList.parse(answer.body).services ?? []).map((s) => s.config?.name ?? s.name?.split("/").pop() ?? ""),
  );
  const wanted = requiredApis(declared);
  const missing = wanted.filter((api) => !enabled.has(api));
  if (missing.length === 0) return { name, ok: true, found: `all ${wanted.length} enabled` };
  return {
    name,
    ok: false,
    found: `${missing.length} of ${wanted.length} disabled: ${missing.join(", ")}`,
    fix: `gcloud services enable ${missing.join(" ")} ${p(project)}`,
  };
}

// ── Authentication ─────────────────────────────────────────────────────────────────────────────

const AuthConfig = z.object({
  signIn: z
    .object({
      anonymous: z.object({ enabled: z.boolean().optional() }).optional(),
      email: z.object({ enabled: z.boolean().optional(), passwordRequired: z.boolean().optional() }).optional(),
    })
    .optional(),
  client: z.object({ permissions: z.object({ disabledUserSignup: z.boolean().optional() }).optional() }).optional(),
});

/** There is no gcloud or firebase command for these settings: the Identity Toolkit admin API, with gcloud's token. */
export function authPatch(project: string, mask: string, body: object): string {
  return (
    `curl -sS -X PATCH -H "Authorization: Bearer $(gcloud auth print-access-token)" -H "x-goog-user-project: ${project}" ` +
    `-H "Content-Type: application/json" -d '${JSON.stringify(body)}' ` +
    `"https://identitytoolkit.googleapis.com/v2/projects/${project}/config?updateMask=${mask}"`
  );
}

export function checkAuth(answer: Answer | undefined, project: string): Check[] {
  const names = ["Auth: Anonymous sign-in", "Auth: Email/Password sign-in", "Auth: sign-up open to the widget"];
  if (!answer?.ok) {
    const error = answer?.ok === false ? answer.error : { status: 0, message: "not asked" };
    return names.map((n) => failed(n, error, project));
  }
  const config = AuthConfig.parse(answer.body);
  const anonymous = config.signIn?.anonymous?.enabled === true;
  const email = config.signIn?.email?.enabled === true;
  const signupClosed = config.client?.permissions?.disabledUserSignup === true;
  return [
    anonymous
      ? { name: names[0], ok: true, found: "on (the widget signs each visitor in anonymously)" }
      : {
          name: names[0],
          ok: false,
          found: "off: the widget cannot sign visitors in, so nobody can chat",
          fix: authPatch(project, "signIn.anonymous.enabled", { signIn: { anonymous: { enabled: true } } }),
        },
    email
      ? {
          name: names[1],
          ok: true,
          found: `on (agents sign in to the console)${config.signIn?.email?.passwordRequired === false ? "; email links allowed too" : ""}`,
        }
      : {
          name: names[1],
          ok: false,
          found: "off: agents cannot sign in to the console",
          fix: authPatch(project, "signIn.email.enabled,signIn.email.passwordRequired", {
            signIn: { email: { enabled: true, passwordRequired: true } },
          }),
        },
    signupClosed
      ? {
          name: names[2],
          ok: false,
          found:
            "closed (client.permissions.disabledUserSignup): anonymous sign-in is a sign-up too, so the widget is refused (ADMIN_ONLY_OPERATION)",
          fix: authPatch(project, "client.permissions.disabledUserSignup", {
            client: { permissions: { disabledUserSignup: false } },
          }),
        }
      : {
          name: names[2],
          ok: true,
          found: "open, as the widget needs; an account made this way has no role, so it sees what any visitor sees",
        },
  ];
}

// ── Task queues ────────────────────────────────────────────────────────────────────────────────

/** Cloud Tasks durations: "60s" / "0.100s" in REST JSON, {seconds, nanos} from the client library. */
const Duration = z
  .union([
    z.string().regex(/^\d+(\.\d+)?s$/),
    z.object({ seconds: z.union([z.string(), z.number()]).nullish(), nanos: z.number().nullish() }),
  ])
  .nullish()
  .transform((d) => {
    if (d === null || d === undefined) return undefined;
    if (typeof d === "string") return Number(d.slice(0, -1));
    return Number(d.seconds ?? 0) + (d.nanos ?? 0) / 1e9;
  });

/** State: the enum's name in REST JSON, or its number when the client asked for int enums. */
const QUEUE_STATES = ["STATE_UNSPECIFIED", "RUNNING", "PAUSED", "DISABLED"];
const Queue = z.object({
  state: z.union([z.string(), z.number().transform((n) => QUEUE_STATES[n] ?? String(n))]).nullish(),
  retryConfig: z
    .object({
      maxAttempts: z.number().nullish(),
      maxRetryDuration: Duration,
      minBackoff: Duration,
      maxBackoff: Duration,
      maxDoublings: z.number().nullish(),
    })
    .nullish(),
  rateLimits: z
    .object({ maxDispatchesPerSecond: z.number().nullish(), maxConcurrentDispatches: z.number().nullish() })
    .nullish(),
});

export const queueName = (project: string, q: DeclaredQueue) =>
  `projects/${project}/locations/${q.region}/queues/${q.functionId}`;

/** What the queue has, in the code's own terms (seconds), so the two compare field by field. */
function actualSettings(queue: z.infer<typeof Queue>): Record<string, number | undefined> {
  const r = queue.retryConfig;
  return {
    maxAttempts: r?.maxAttempts ?? undefined,
    minBackoffSeconds: r?.minBackoff,
    maxBackoffSeconds: r?.maxBackoff,
    maxDoublings: r?.maxDoublings ?? undefined,
    maxRetrySeconds: r?.maxRetryDuration,
    maxConcurrentDispatches: queue.rateLimits?.maxConcurrentDispatches ?? undefined,
    maxDispatchesPerSecond: queue.rateLimits?.maxDispatchesPerSecond ?? undefined,
  };
}

export function checkQueue(q: DeclaredQueue, answer: Answer | undefined, project: string): Check {
  const name = `task queue ${q.functionId} (${q.region})`;
  const deploy = `npx firebase deploy --only functions:${q.functionId} ${p(project)}`;
  if (!answer || isNotFound(answer))
    return { name, ok: false, found: "missing (created by deploying the function)", fix: deploy };
  if (!answer.ok) return failed(name, answer.error, project);
  const queue = Queue.parse(answer.body);
  const actual = actualSettings(queue);
  const declared: Record<string, number> = { ...q.retryConfig, ...q.rateLimits };
  const wrong = Object.entries(declared)
    .filter(([k, v]) => actual[k] !== v)
    .map(([k, v]) => `${k} ${actual[k] ?? "unset"} (code: ${v})`);
  const state = queue.state ?? "STATE_UNSPECIFIED";
  if (wrong.length > 0) return { name, ok: false, found: `differs from the code: ${wrong.join(", ")}`, fix: deploy };
  if (state === "PAUSED") {
    return {
      name,
      ok: false,
      found: "paused: tasks wait and never run",
      fix: `gcloud tasks queues resume ${q.functionId} --location=${q.region} ${p(project)}`,
    };
  }
  if (state !== "RUNNING") return { name, ok: false, found: `${state}: tasks are not dispatched`, fix: deploy };
  const settings = Object.entries(declared).map(([k, v]) => `${k} ${v}`);
  return { name, ok: true, found: `RUNNING, as the code declares (${settings.join(", ")})` };
}

// ── IAM of the runtime service account ─────────────────────────────────────────────────────────

/** What the running code does with Google APIs, and the role each needs. */
export const RUNTIME_ROLES: Array<{ role: string; why: string }> = [
  { role: "roles/datastore.user", why: "reads and writes Firestore" },
  { role: "roles/firebaseauth.admin", why: "invites agents and sets their role claims (manageAgents)" },
  { role: "roles/cloudtasks.enqueuer", why: "enqueues follow-up, continuity, outbox and wake-up tasks" },
  { role: "roles/cloudtasks.taskDeleter", why: "deletes a replaced follow-up's task (the enqueuer role cannot)" },
  { role: "roles/iam.serviceAccountUser", why: "acts as itself: each task carries an OIDC token of this account" },
  { role: "roles/run.invoker", why: "Cloud Tasks calls the private task-queue functions as this account" },
  { role: "roles/eventarc.eventReceiver", why: "receives the Firestore and Pub/Sub trigger events" },
  { role: "roles/pubsub.publisher", why: "publishes every domain event to the events topic" },
];

/** Basic roles that carry every permission above (the default compute account gets Editor unless an org policy stops it). */
const COVERING_ROLES = ["roles/owner", "roles/editor"];

const Policy = z.object({
  bindings: z
    .array(z.object({ role: z.string(), members: z.array(z.string()).optional(), condition: z.unknown().optional() }))
    .optional(),
});

/** "yes", "conditional" (a condition we cannot evaluate), or "no". */
function grants(policy: z.infer<typeof Policy>, member: string, roles: string[]): "yes" | "conditional" | "no" {
  let result: "yes" | "conditional" | "no" = "no";
  for (const b of policy.bindings ?? []) {
    if (!roles.includes(b.role) || !b.members?.includes(member)) continue;
    if (!b.condition) return "yes";
    result = "conditional";
  }
  return result;
}

export const defaultComputeAccount = (projectNumber: string) =>
  `${projectNumber}-compute@developer.gserviceaccount.com`;

export function projectNumberOf(answer: Answer | undefined): string | undefined {
  if (!answer?.ok) return undefined;
  return z.object({ projectNumber: z.string().optional() }).parse(answer.body).projectNumber;
}

/** The accounts the functions run as: those set in code, else the default compute one (2nd gen). */
export function runtimeAccounts(declared: Declared, projectNumber: string | undefined): string[] {
  if (declared.serviceAccounts.length > 0) return declared.serviceAccounts;
  return projectNumber ? [defaultComputeAccount(projectNumber)] : [];
}

export function checkRuntimeRoles(declared: Declared, answers: Answers): Check[] {
  const { project } = answers;
  const number = projectNumberOf(answers.projectInfo);
  const accounts = runtimeAccounts(declared, number);
  if (accounts.length === 0) {
    const error =
      answers.projectInfo?.ok === false ? answers.projectInfo.error : { status: 0, message: "no project number" };
    return [failed("runtime service account", error, project)];
  }
  if (!answers.iamPolicy?.ok) {
    const error = answers.iamPolicy?.ok === false ? answers.iamPolicy.error : { status: 0, message: "not asked" };
    return [failed("IAM policy of the project", error, project)];
  }
  const projectPolicy = Policy.parse(answers.iamPolicy.body);
  return accounts.flatMap((account) => {
    const member = `serviceAccount:${account}`;
    const saPolicy = answers.serviceAccountPolicies[account];
    const onAccount = saPolicy?.ok ? Policy.parse(saPolicy.body) : { bindings: [] };
    const covered = grants(projectPolicy, member, COVERING_ROLES) === "yes";
    return RUNTIME_ROLES.map(({ role, why }): Check => {
      const name = `${account.split("@")[0]} has ${role}`;
      const self = role === "roles/iam.serviceAccountUser" ? grants(onAccount, member, [role]) : "no";
      const direct = grants(projectPolicy, member, [role]);
      if (direct === "yes" || self === "yes" || covered) {
        const how =
          direct === "yes" ? "on the project" : self === "yes" ? "on the account itself" : "through roles/editor";
        return { name, ok: true, found: `granted ${how}: ${why}` };
      }
      const fix =
        role === "roles/iam.serviceAccountUser"
          ? `gcloud iam service-accounts add-iam-policy-binding ${account} --member=${member} --role=${role} ${p(project)}`
          : `gcloud projects add-iam-policy-binding ${project} --member=${member} --role=${role} --condition=None`;
      const conditional =
        direct === "conditional" || self === "conditional"
          ? " (granted only under an IAM condition, which the doctor cannot evaluate)"
          : "";
      return { name, ok: false, found: `missing${conditional}: it ${why}`, fix };
    });
  });
}

// ── Secrets, topic, public URL ─────────────────────────────────────────────────────────────────

const SecretVersion = z.object({ name: z.string().optional(), state: z.string().optional() });

export function checkSecret(
  secret: string,
  answer: Answer | undefined,
  latest: Answer | undefined,
  project: string,
): Check {
  const name = `secret ${secret}`;
  const set = `npx firebase functions:secrets:set ${secret} ${p(project)}`;
  if (!answer || isNotFound(answer))
    return { name, ok: false, found: "missing: functions using it fail to deploy", fix: set };
  if (!answer.ok) return failed(name, answer.error, project);
  if (!latest || isNotFound(latest)) return { name, ok: false, found: "exists but has no version", fix: set };
  if (!latest.ok) return failed(name, latest.error, project);
  const version = SecretVersion.parse(latest.body);
  const number = version.name?.split("/").pop() ?? "?";
  if (version.state !== "ENABLED")
    return { name, ok: false, found: `latest version ${number} is ${version.state}`, fix: set };
  return { name, ok: true, found: `exists, latest version ${number} enabled` };
}

export function checkTopic(topic: string, answer: Answer | undefined, project: string): Check {
  const name = `Pub/Sub topic ${topic}`;
  const fix = `gcloud pubsub topics create ${topic} ${p(project)}`;
  if (!answer || isNotFound(answer))
    return { name, ok: false, found: "missing: every domain event fails to publish (NOT_FOUND)", fix };
  if (!answer.ok) return failed(name, answer.error, project);
  return { name, ok: true, found: "exists" };
}

/** The loader's own marker (hosting/src/widget/loader.ts sets window.__afterchat): survives minifying. */
const WIDGET_MARKER = "__afterchat";

export function checkPublicUrl(answers: Answers): Check {
  const { project } = answers;
  const { url, source, fetch } = answers.publicUrl;
  const name = "PUBLIC_URL serves /widget.js";
  const setUrl = `echo 'PUBLIC_URL=https://${project}.web.app' >> functions/.env.${project}`;
  if (!url)
    return {
      name,
      ok: false,
      found: `not set (neither functions/.env.${project} nor functions/.env has PUBLIC_URL; or pass --public-url)`,
      fix: setUrl,
    };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { name, ok: false, found: `${url} (${source}) is not a URL`, fix: setUrl };
  }
  if (parsed.protocol !== "https:")
    return {
      name,
      ok: false,
      found: `${url} (${source}) is not https: links sent to visitors would be insecure`,
      fix: setUrl,
    };
  const deployHosting = `npx firebase deploy --only hosting ${p(project)}`;
  if (!fetch) return { name, ok: false, found: `${url}/widget.js was not fetched`, fix: deployHosting };
  if (!fetch.ok) return { name, ok: false, found: `${url}/widget.js: ${fetch.error.message}`, fix: deployHosting };
  const { status, contentType, body } = fetch.body;
  if (status !== 200) return { name, ok: false, found: `${url}/widget.js answered ${status}`, fix: deployHosting };
  if (!/javascript/i.test(contentType) || !body.includes(WIDGET_MARKER)) {
    return {
      name,
      ok: false,
      found: `${url}/widget.js is not Afterchat's widget loader (${contentType || "no content type"})`,
      fix: deployHosting,
    };
  }
  return { name, ok: true, found: `${url}/widget.js is Afterchat's loader (${source})` };
}

// ── All of them ────────────────────────────────────────────────────────────────────────────────

export function runChecks(declared: Declared, answers: Answers): Check[] {
  const { project } = answers;
  const credentials = checkCredentials(answers.credentials, project);
  if (answers.credentials.kind === "none") return [credentials];
  return [
    credentials,
    checkApis(declared, answers.services, project),
    ...checkAuth(answers.authConfig, project),
    ...declared.queues.map((q) => checkQueue(q, answers.queues[queueName(project, q)], project)),
    ...checkRuntimeRoles(declared, answers),
    ...declared.secrets.map((s) => checkSecret(s, answers.secrets[s], answers.secretVersions[s], project)),
    ...declared.topics.map((t) => checkTopic(t, answers.topics[t], project)),
    checkPublicUrl(answers),
  ];
}

/** The checklist as printed: ✔/✘, what was found, and the fix under each failure. */
export function formatChecklist(checks: Check[]): string {
  const lines = checks.flatMap((c) => [
    `${c.ok ? "✔" : "✘"} ${c.name}: ${c.found}`,
    ...(c.ok || !c.fix ? [] : [`    fix: ${c.fix}`]),
  ]);
  const failures = checks.filter((c) => !c.ok).length;
  lines.push("", failures === 0 ? `All ${checks.length} checks pass.` : `${failures} of ${checks.length} checks fail.`);
  return lines.join("\n");
}
