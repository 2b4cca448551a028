import type { Env } from "./env";
import { exclusive, KEYS, load, save } from "./storage";

/**
 * The visitor is an anonymous Firebase Auth user, signed in through the Auth REST API
 * (a few hundred bytes instead of the ~45 KB gzipped Auth SDK). The refresh token lives in
 * our origin's localStorage, so every tab and every reload is the same visitor.
 */
interface Session {
  uid: string;
  idToken: string;
  refreshToken: string;
  expiresAt: number;
}

const EARLY_REFRESH_MS = 5 * 60_000;

async function post<T>(url: string, body: BodyInit, type: string): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": type }, body });
  if (!res.ok) throw new Error(`auth HTTP ${res.status}`);
  return res.json() as Promise<T>;
}

async function signUp(env: Env): Promise<Session> {
  const r = await post<{ localId: string; idToken: string; refreshToken: string; expiresIn: string }>(
    `${env.authBase}/accounts:signUp?key=${env.apiKey}`,
    JSON.stringify({ returnSecureToken: true }),
    "application/json",
  );
  return {
    uid: r.localId,
    idToken: r.idToken,
    refreshToken: r.refreshToken,
    expiresAt: Date.now() + Number(r.expiresIn) * 1000,
  };
}

async function refresh(env: Env, s: Session): Promise<Session> {
  const r = await post<{ user_id: string; id_token: string; refresh_token: string; expires_in: string }>(
    `${env.tokenBase}/token?key=${env.apiKey}`,
    new URLSearchParams({ grant_type: "refresh_token", refresh_token: s.refreshToken }),
    "application/x-www-form-urlencoded",
  );
  return {
    uid: r.user_id,
    idToken: r.id_token,
    refreshToken: r.refresh_token,
    expiresAt: Date.now() + Number(r.expires_in) * 1000,
  };
}

const fresh = (s: Session | undefined): s is Session => Boolean(s && s.expiresAt - EARLY_REFRESH_MS > Date.now());

/**
 * A valid ID token for this visitor, signing up on first use. The lock makes two tabs opened
 * at once agree on one visitor instead of creating two.
 */
export async function idToken(env: Env): Promise<{ uid: string; token: string }> {
  let s = load<Session>(KEYS.session);
  if (!fresh(s)) {
    s = await exclusive("afterchat-session", async () => {
      const again = load<Session>(KEYS.session); // another tab may have refreshed meanwhile
      if (fresh(again)) return again;
      const next = again ? await refresh(env, again) : await signUp(env);
      save(KEYS.session, next);
      return next;
    });
  }
  return { uid: s.uid, token: s.idToken };
}
