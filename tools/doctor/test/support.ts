// Test helpers: the checks' inputs made from a recording, the way apis.ts would have received them.
import { join } from "node:path";
import { toApiError } from "../apis";
import type { Answer, Answers, Credentials } from "../checks";
import { defaultComputeAccount, queueName } from "../checks";
import type { Declared } from "../manifest";
import { loadRecording, type Recording } from "../standin";

export const RECORDINGS = join(__dirname, "recordings");
export const PROJECT = "afterchat-demo";
export const PROJECT_NUMBER = "123456789012";
export const COMPUTE_SA = defaultComputeAccount(PROJECT_NUMBER);

export const recording = (name: "healthy" | "broken"): Recording => loadRecording(join(RECORDINGS, `${name}.json`));

/** What the code declares today, written out (unit tests stay independent of a build; doctor.test.ts reads the build). */
export const DECLARED: Declared = {
  functionIds: ["bmDeliver", "continuityTask", "eventsWebhook", "sendFollowUp", "wakeSnoozed"],
  queues: [
    {
      functionId: "bmDeliver",
      region: "us-central1",
      retryConfig: { maxAttempts: 8, maxDoublings: 8, maxBackoffSeconds: 300, minBackoffSeconds: 1 },
      rateLimits: { maxConcurrentDispatches: 20 },
    },
    {
      functionId: "sendFollowUp",
      region: "us-central1",
      retryConfig: { maxAttempts: 5, maxBackoffSeconds: 3600, minBackoffSeconds: 60 },
      rateLimits: { maxConcurrentDispatches: 20 },
    },
    {
      functionId: "continuityTask",
      region: "us-central1",
      retryConfig: { maxAttempts: 6, maxBackoffSeconds: 1800, minBackoffSeconds: 30 },
      rateLimits: { maxConcurrentDispatches: 20 },
    },
    {
      functionId: "wakeSnoozed",
      region: "us-central1",
      retryConfig: { maxAttempts: 5, maxBackoffSeconds: 1800, minBackoffSeconds: 30 },
      rateLimits: { maxConcurrentDispatches: 20 },
    },
  ],
  secrets: ["BM_CLIENT_TOKEN", "EVENTS_WEBHOOK_SECRET", "LINK_SIGNING_SECRET", "SMTP_URL", "VAPID_PRIVATE_KEY"],
  topics: ["afterchat-events"],
  requiredApis: ["cloudscheduler.googleapis.com", "cloudtasks.googleapis.com"],
  serviceAccounts: [],
  usesFirestoreTriggers: true,
  usesSecrets: true,
};

/** A recorded answer as the client library hands it over: the body, or the error it throws. */
export function answerOf(rec: Recording, method: string, path: string): Answer {
  const route = rec.routes[`${method} ${path}`] ?? {
    status: 404,
    body: { error: { code: 404, message: `no recording for ${method} ${path}`, status: "NOT_FOUND" } },
  };
  if (route.status < 400) return { ok: true, body: route.body };
  return { ok: false, error: toApiError({ response: { status: route.status, data: route.body } }) };
}

export const USER_WITH_QUOTA: Credentials = { kind: "user", quotaProject: PROJECT };

/** The Answers the doctor would have gathered from this recording. */
export function answersFrom(
  rec: Recording,
  declared: Declared = DECLARED,
  credentials: Credentials = USER_WITH_QUOTA,
): Answers {
  const v1 = `/v1/projects/${rec.project}`;
  const byKey = (keys: string[], path: (k: string) => string) =>
    Object.fromEntries(keys.map((k) => [k, answerOf(rec, "GET", path(k))]));
  const names = declared.queues.map((q) => queueName(rec.project, q));
  const accounts = declared.serviceAccounts.length ? declared.serviceAccounts : [COMPUTE_SA];
  return {
    project: rec.project,
    credentials,
    services: answerOf(rec, "GET", `${v1}/services`),
    projectInfo: answerOf(rec, "GET", v1),
    iamPolicy: answerOf(rec, "POST", `${v1}:getIamPolicy`),
    serviceAccountPolicies: Object.fromEntries(
      accounts.map((a) => [a, answerOf(rec, "POST", `${v1}/serviceAccounts/${a}:getIamPolicy`)]),
    ),
    authConfig: answerOf(rec, "GET", `/v2/projects/${rec.project}/config`),
    queues: byKey(names, (n) => `/v2/${n}`),
    secrets: byKey(declared.secrets, (s) => `${v1}/secrets/${s}`),
    secretVersions: byKey(declared.secrets, (s) => `${v1}/secrets/${s}/versions/latest`),
    topics: byKey(declared.topics, (t) => `${v1}/topics/${t}`),
    publicUrl: { url: "https://afterchat-demo.web.app", source: "--public-url", fetch: { ok: true, body: rec.widget } },
  };
}
