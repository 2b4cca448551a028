import type { Env } from "./env";
import { idToken } from "./session";

/** The widget API (same origin: /api/widget/…); errors carry the status and the server's reason. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly retryAfterSeconds = 0,
  ) {
    super(reason);
  }
}

export interface WidgetConfig {
  name: string;
  greeting: string;
  awayMessage: string;
  open: boolean;
  nextOpenAt: string | null;
  messageMax: number;
}

async function request<T>(path: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path.startsWith("/api/") ? path : `/api/widget${path}`, init);
  } catch {
    throw new ApiError(0, "network");
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body.error ?? `HTTP ${res.status}`, Number(body.retryAfterSeconds) || 0);
  return body as T;
}

export function getConfig(): Promise<WidgetConfig> {
  return request("/config", {});
}

export async function post<T>(env: Env, path: string, body: unknown): Promise<T> {
  const { token } = await idToken(env).catch(() => {
    throw new ApiError(0, "network");
  });
  return request(path, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}
