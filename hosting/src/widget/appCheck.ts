import type { Env } from "./env";

/**
 * Firebase App Check over REST, only when the business requires it (the API's config carries a
 * reCAPTCHA Enterprise site key). Then, and only then, Google's reCAPTCHA script is loaded; its token
 * is exchanged for an App Check token the way the App Check SDK does, without the SDK's bytes.
 */
const EXCHANGE = "https://content-firebaseappcheck.googleapis.com/v1";
const RECAPTCHA = "https://www.google.com/recaptcha/enterprise.js";
/** Renew a token this long before it expires (App Check tokens live 30 min to 7 days). */
const EARLY_RENEWAL_MS = 5 * 60_000;

interface Grecaptcha {
  enterprise: { ready(cb: () => void): void; execute(siteKey: string, opts: { action: string }): Promise<string> };
}

/** Whether App Check is on is in the API's config: a call made before it arrives waits for it. */
let settle!: (key: string | null) => void;
const siteKey = new Promise<string | null>((resolve) => (settle = resolve));
let current: Promise<{ token: string; expiresAt: number }> | undefined;

/** Called once the API's config is in (null when off, or when the config could not be had). */
export function useAppCheck(key: string | null): void {
  settle(key);
}

function loadRecaptcha(key: string): Promise<Grecaptcha> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = `${RECAPTCHA}?render=${encodeURIComponent(key)}`;
    script.onload = () => {
      const g = (window as unknown as { grecaptcha?: Grecaptcha }).grecaptcha;
      if (g) g.enterprise.ready(() => resolve(g));
      else reject(new Error("reCAPTCHA did not load"));
    };
    script.onerror = () => reject(new Error("reCAPTCHA did not load"));
    document.head.append(script);
  });
}

let recaptcha: Promise<Grecaptcha> | undefined;

async function fetchToken(env: Env, key: string): Promise<{ token: string; expiresAt: number }> {
  if (!env.appId) throw new Error("App Check needs the web app's id in Hosting's /__/firebase/init.json");
  recaptcha ??= loadRecaptcha(key);
  const proof = await (await recaptcha).enterprise.execute(key, { action: "fire_app_check" });
  const app = `projects/${env.projectId}/apps/${env.appId}`;
  const res = await fetch(`${EXCHANGE}/${app}:exchangeRecaptchaEnterpriseToken?key=${env.apiKey}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ recaptcha_enterprise_token: proof }),
  });
  if (!res.ok) throw new Error(`App Check HTTP ${res.status}`);
  const body = (await res.json()) as { token: string; ttl: string };
  return { token: body.token, expiresAt: Date.now() + parseFloat(body.ttl) * 1000 };
}

/** The header a widget API call carries: empty when App Check is off or a token cannot be had. */
export async function appCheckHeaders(env: Env): Promise<Record<string, string>> {
  const key = await siteKey;
  if (!key) return {};
  const fresh = current && (await current.catch(() => undefined));
  const pending = !fresh || fresh.expiresAt - EARLY_RENEWAL_MS < Date.now() ? fetchToken(env, key) : current!;
  current = pending;
  // Without a token the call is still made: the API answers 401 with a reason the widget shows.
  const got = await pending.catch(() => undefined);
  return got ? { "x-firebase-appcheck": got.token } : {};
}
