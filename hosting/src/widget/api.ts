import type { RenewLink, RenewLinkResult, Resume, ResumeResult } from "../../../functions/src/contract/reach";
import type {
  ApiErrorBody,
  CreateHandoff,
  CreateHandoffResult,
  RedeemHandoff,
  RedeemHandoffResult,
  SignOutDevices,
  SignOutDevicesResult,
  EraseConversation,
  EraseConversationResult,
  MarkSeen,
  SaveEmail,
  SaveEmailResult,
  SendMessage,
  SendMessageResult,
  WidgetConfig,
} from "../../../functions/src/contract/widget";
import { appCheckHeaders, useAppCheck } from "./appCheck";
import type { Env } from "./env";
import { idToken } from "./session";

/** The widget API (same origin: /api/widget/…); errors carry the status and the server's reason. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly retryAfterSeconds = 0,
    /** The server's machine code for some refusals (a link: expired, used, altered…). */
    readonly code = "",
  ) {
    super(reason);
  }
}

export type { WidgetConfig };

/** Each POST route the chat app calls: its body and its answer (functions/src/contract). */
interface PostRoutes {
  "/messages": [SendMessage, SendMessageResult];
  "/email": [SaveEmail, SaveEmailResult];
  "/seen": [MarkSeen, { ok: true; updated: boolean }];
  "/erase": [EraseConversation, EraseConversationResult];
  "/handoff": [CreateHandoff, CreateHandoffResult];
  "/handoff/redeem": [RedeemHandoff, RedeemHandoffResult];
  "/devices/signout": [SignOutDevices, SignOutDevicesResult];
  "/api/resume": [Resume, ResumeResult];
  "/api/resume/renew": [RenewLink, RenewLinkResult];
}

async function request<T>(path: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path.startsWith("/api/") ? path : `/api/widget${path}`, init);
  } catch {
    throw new ApiError(0, "network");
  }
  const body: Partial<ApiErrorBody> = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new ApiError(
      res.status,
      body.error ?? `HTTP ${res.status}`,
      Number(body.retryAfterSeconds) || 0,
      String(body.code ?? ""),
    );
  return body as T;
}

/** The public config; also settles whether visitor calls need App Check (they wait for this). */
export async function getConfig(): Promise<WidgetConfig> {
  const config = await request<WidgetConfig>("/config", {}).catch((err: unknown) => {
    useAppCheck(null);
    throw err;
  });
  useAppCheck(config.appCheckSiteKey);
  return config;
}

export async function post<P extends keyof PostRoutes>(
  env: Env,
  path: P,
  body: PostRoutes[P][0],
): Promise<PostRoutes[P][1]> {
  const { token } = await idToken(env).catch(() => {
    throw new ApiError(0, "network");
  });
  return request(path, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...(await appCheckHeaders(env)) },
    body: JSON.stringify(body),
  });
}
