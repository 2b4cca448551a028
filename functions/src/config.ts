import { defineBoolean, defineSecret, defineString } from "firebase-functions/params";
import { appCheckProblem, publicUrlProblem, secretProblem } from "./domain/deploymentChecks";

/**
 * Every param and secret of the deployment. Nothing else reads the environment.
 * `firebase deploy` asks for unset values and stores them in functions/.env.<projectId>;
 * the emulators read functions/.env.local and functions/.secret.local.
 */
export const REGION = "us-central1";

/** Business Messages API base URL (the local simulator when emulated). */
export const BM_API_URL = defineString("BM_API_URL", {
  default: "https://businessmessages.googleapis.com",
  description: "Base URL of the Business Messages API.",
});

/**
 * A service-account key file for the Business Messages API. Empty (the default, and what a deployment
 * uses): application default credentials, the function's own service account. Locally it names the key
 * the simulator writes at start (functions/.env.local), whose token_uri is the simulator's /token, so
 * the emulated functions sign in through google-auth-library exactly as deployed ones do.
 */
export const BM_CREDENTIALS_FILE = defineString("BM_CREDENTIALS_FILE", {
  default: "",
  description: "Path to a service-account key for Business Messages (leave empty: the function's service account).",
});

/** Key of the webhook's X-Goog-Signature HMAC (the client token shown when the webhook was set). */
export const BM_CLIENT_TOKEN = defineSecret("BM_CLIENT_TOKEN");

/**
 * Public URL of the hosting site, used in links sent to visitors. No default: `firebase deploy` asks
 * (and its prompt accepts only https); the emulators read functions/.env.local.
 */
export const PUBLIC_URL = defineString("PUBLIC_URL", {
  description: "Public URL of the Firebase Hosting site (https://<project>.web.app).",
  input: {
    text: {
      example: "https://<project>.web.app",
      validationRegex: "^https://[^/\\s]+/?$",
      validationErrorMessage: "PUBLIC_URL must be your Hosting site's https origin, e.g. https://<project>.web.app",
    },
  },
});

/** Inside the Firebase emulators (set by firebase-tools) there are no Google credentials to mint tokens with. */
export function runningInEmulator(): boolean {
  return process.env.FUNCTIONS_EMULATOR === "true";
}

/** Pub/Sub topic carrying every domain event (public contract; created by the seed locally). */
export const EVENTS_TOPIC = "afterchat-events";

/** Task queue function that sends due follow-ups (the queue id is the function name). */
export const FOLLOW_UP_QUEUE = "sendFollowUp";

/** HTTPS endpoint of the business's integration that receives every domain event (empty: off). */
export const EVENTS_WEBHOOK_URL = defineString("EVENTS_WEBHOOK_URL", {
  default: "",
  description: "HTTPS URL that receives signed domain events (leave empty to turn the event webhook off).",
});

/** Key of the event webhook's Afterchat-Signature HMAC (docs/events.md has the verification recipe). */
export const EVENTS_WEBHOOK_SECRET = defineSecret("EVENTS_WEBHOOK_SECRET");
/** Widget API: require a valid App Check token (header X-Firebase-AppCheck) on every visitor call. */
export const WIDGET_APP_CHECK = defineBoolean("WIDGET_APP_CHECK", {
  default: false,
  description: "Require Firebase App Check tokens on the widget API (set up App Check for your site first).",
});
/** The reCAPTCHA Enterprise site key the widget gets App Check tokens with (only sent when WIDGET_APP_CHECK). */
export const WIDGET_APP_CHECK_SITE_KEY = defineString("WIDGET_APP_CHECK_SITE_KEY", {
  default: "",
  description: "reCAPTCHA Enterprise site key registered for App Check (empty unless WIDGET_APP_CHECK is true).",
});
// ── Reaching the visitor after they leave (docs/reach.md) ──────────────────────────────────────

/** SMTP URL of any provider, e.g. smtps://user:pass@smtp.example.com:465 (locally the mail catcher). */
export const SMTP_URL = defineSecret("SMTP_URL");

/** Sender address of continuity emails (the business name is its display name). */
export const EMAIL_FROM = defineString("EMAIL_FROM", {
  default: "no-reply@example.com",
  description: "From address of continuity emails; your SMTP provider must allow it.",
});

/** Web push (standard Web Push protocol): the VAPID key pair (`npx web-push generate-vapid-keys`). */
export const VAPID_PUBLIC_KEY = defineString("VAPID_PUBLIC_KEY", {
  default: "",
  description: "VAPID public key for web push (empty: web push off).",
});
export const VAPID_PRIVATE_KEY = defineSecret("VAPID_PRIVATE_KEY");
export const VAPID_SUBJECT = defineString("VAPID_SUBJECT", {
  default: "mailto:owner@example.com",
  description: "Contact push services may use about your pushes (mailto: or https: URL).",
});

/** Push endpoints must be https; these origins may also be plain http (the local push service only). */
export const PUSH_HTTP_ORIGINS = defineString("PUSH_HTTP_ORIGINS", {
  default: "",
  description: "Comma-separated http origins allowed as push endpoints (local development only).",
});

/** HMAC key of resume and unsubscribe links; changing it invalidates every link already sent. */
export const LINK_SIGNING_SECRET = defineSecret("LINK_SIGNING_SECRET");

/** Task queue function that sends continuity notifications (the queue id is the function name). */
export const CONTINUITY_QUEUE = "continuityTask";
/** Task queue function that emails an away agent about new visitor messages. */
export const AGENT_ALERT_QUEUE = "agentAlertTask";
/** The task-queue function that wakes snoozed threads (snooze/wake.ts). */
export const WAKE_QUEUE = "wakeSnoozed";

/**
 * What stops a deployed function from starting (run by onInit before its first request, index.ts):
 * a PUBLIC_URL that is not https, and signing secrets too short or too guessable. Only the secrets
 * this function has mounted are checked (a function sees only those it declares). The emulators run
 * with local values and are not checked.
 */
export function startupProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.FUNCTIONS_EMULATOR === "true") return [];
  const problems = [
    publicUrlProblem(env.PUBLIC_URL ?? ""),
    appCheckProblem(env.WIDGET_APP_CHECK, env.WIDGET_APP_CHECK_SITE_KEY),
  ];
  for (const secret of [BM_CLIENT_TOKEN, LINK_SIGNING_SECRET]) {
    const value = env[secret.name];
    if (value !== undefined) problems.push(secretProblem(secret.name, value));
  }
  return problems.filter((p): p is string => p !== undefined);
}
