import type { Response } from "express";
import { onRequest, type HttpsOptions, type Request } from "firebase-functions/https";
import { REGION } from "../config";
import { NotFound } from "../domain/errors";
import { logs } from "../logs";
import { HttpError } from "./errors";

export type Method = "GET" | "POST";
export type Handler = (req: Request, res: Response) => Promise<void> | void;

export interface HttpApi {
  /** Prefix the route has when reached through Hosting (e.g. /api/widget); absent on the function's own URL. */
  prefix: RegExp;
  /** Largest request body accepted (413 above). */
  bodyMaxBytes: number;
  routes: Record<string, Partial<Record<Method, Handler>>>;
  /** Runs before routing (CORS, an emulator-only guard); true when it answered the request itself. */
  before?: (req: Request, res: Response, path: string) => Promise<boolean> | boolean;
}

function send(res: Response, err: HttpError): void {
  res.set(err.headers);
  res.status(err.status).json({ error: err.reason, ...err.body });
}

async function route(api: HttpApi, req: Request, res: Response): Promise<void> {
  const path = req.path.replace(api.prefix, "") || "/";
  if (api.before && (await api.before(req, res, path))) return;
  const target = api.routes[path];
  if (!target) throw new HttpError(404, "no such route");
  const handler = target[req.method as Method];
  if (!handler) {
    const methods = Object.keys(target);
    throw new HttpError(405, `use ${methods.join(" or ")}`, {}, { Allow: methods.join(", ") });
  }
  if ((req.rawBody?.length ?? 0) > api.bodyMaxBytes) throw new HttpError(413, "request body too large");
  await handler(req, res);
}

/**
 * An HTTP API as one function: routes by path and method (404, 405), refuses oversized bodies (413),
 * and answers every failure the same way: `{error, …}` with the HttpError's status, 404 for
 * NotFound, 500 (logged) for anything unexpected.
 */
export function defineHttpApi(name: string, options: Omit<HttpsOptions, "region">, api: HttpApi) {
  return onRequest({ region: REGION, ...options }, async (req, res) => {
    try {
      await route(api, req, res);
    } catch (err) {
      const known = err instanceof NotFound ? new HttpError(404, err.message) : err;
      if (known instanceof HttpError) {
        logs.requestRejected(name, known.status, known.reason);
        return send(res, known);
      }
      logs.unexpectedError(name, err);
      send(res, new HttpError(500, "internal error"));
    }
  });
}
