// The one fake: a local stand-in for Google's admin APIs (which cannot exist on this machine),
// serving recorded answers to the doctor's real client libraries. It also plays the OAuth token
// endpoint, so google-auth-library's real refresh-token exchange runs, and the project's Hosting
// site over https (test certificate) for the PUBLIC_URL check.
//
//   npx tsx tools/doctor/standin.ts tools/doctor/test/recordings/healthy.json
// prints the flags and environment to run the doctor against it by hand.
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttps } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

const Route = z.object({ status: z.number().int().default(200), body: z.unknown() });

export const Recording = z.object({
  description: z.string(),
  project: z.string(),
  /** Services that refuse user credentials without a quota project, as Google's do (403). */
  requireQuotaProject: z.array(z.string()).default([]),
  /** "METHOD /path" (no query string) → the API's answer. */
  routes: z.record(z.string(), Route),
  /** What the Hosting site answers for /widget.js. */
  widget: z.object({ status: z.number().int(), contentType: z.string(), body: z.string() }),
});
export type Recording = z.infer<typeof Recording>;

export const STANDIN_REFRESH_TOKEN = "standin-refresh-token";
const ACCESS_TOKEN = "standin-access-token";
/** The gcloud CLI's own project: Google names it as the consumer when user credentials carry no quota project. */
const GCLOUD_PROJECT_NUMBER = "764086051850";
const TLS_DIR = join(__dirname, "test", "tls");

export interface StandinRequest {
  method: string;
  path: string;
  service: string;
  quotaProject?: string;
}

export interface Standin {
  /** Pass to the doctor as --api-root. */
  apiRoot: string;
  /** The Hosting site (https, test certificate): use as PUBLIC_URL. */
  siteUrl: string;
  /** Trust this file (NODE_EXTRA_CA_CERTS) to fetch from siteUrl. */
  caFile: string;
  requests: StandinRequest[];
  close(): Promise<void>;
}

/** Which Google API a path belongs to (every API shares the stand-in's one origin). */
export function serviceOf(path: string): string {
  if (path === "/token") return "oauth2";
  if (/^\/v2\/projects\/[^/]+\/config$/.test(path)) return "identitytoolkit";
  if (path.startsWith("/v2/")) return "cloudtasks";
  if (/^\/v1\/projects\/[^/]+\/services\b/.test(path)) return "serviceusage";
  if (path.includes("/secrets/")) return "secretmanager";
  if (path.includes("/topics/")) return "pubsub";
  if (path.includes("/serviceAccounts/")) return "iam";
  if (/^\/v1\/projects\/[^/:]+(:getIamPolicy)?$/.test(path)) return "cloudresourcemanager";
  return "unknown";
}

function googleError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  details: unknown[] = [],
): void {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  res.end(JSON.stringify({ error: { code: status, message, status: code, details } }));
}

/** google-gax asks for `enum-encoding=int` over HTTP/JSON, and Google then sends enum numbers. */
function withIntEnums(body: unknown): unknown {
  const states = ["STATE_UNSPECIFIED", "RUNNING", "PAUSED", "DISABLED"];
  if (!body || typeof body !== "object" || !("state" in body)) return body;
  const state = (body as { state: unknown }).state;
  return { ...body, state: typeof state === "string" && states.includes(state) ? states.indexOf(state) : state };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return body;
}

function tokenEndpoint(body: string, res: ServerResponse): void {
  const form = new URLSearchParams(body);
  if (form.get("grant_type") !== "refresh_token" || form.get("refresh_token") !== STANDIN_REFRESH_TOKEN) {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "invalid_grant", error_description: "Bad Request" }));
    return;
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      access_token: ACCESS_TOKEN,
      expires_in: 3599,
      token_type: "Bearer",
      scope: "https://www.googleapis.com/auth/cloud-platform",
    }),
  );
}

function apiHandler(recording: Recording, requests: StandinRequest[]) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://standin");
    const service = serviceOf(url.pathname);
    const quotaProject = req.headers["x-goog-user-project"] as string | undefined;
    requests.push({ method: req.method ?? "GET", path: url.pathname, service, quotaProject });
    const body = await readBody(req);
    if (service === "oauth2") return tokenEndpoint(body, res);
    if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
      return googleError(
        res,
        401,
        "UNAUTHENTICATED",
        "Request had invalid authentication credentials. Expected OAuth 2 access token.",
      );
    }
    if (recording.requireQuotaProject.includes(service) && !quotaProject) {
      return googleError(
        res,
        403,
        "PERMISSION_DENIED",
        `Your application is authenticating by using local Application Default Credentials. The ${service}.googleapis.com API requires a quota project, which is not set by default. To learn how to set your quota project, see https://cloud.google.com/docs/authentication/adc-troubleshooting/user-creds .`,
        [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "SERVICE_DISABLED",
            domain: "googleapis.com",
            metadata: { service: `${service}.googleapis.com`, consumer: `projects/${GCLOUD_PROJECT_NUMBER}` },
          },
        ],
      );
    }
    const route = recording.routes[`${req.method} ${url.pathname}`];
    if (!route) return googleError(res, 404, "NOT_FOUND", `stand-in: no recording for ${req.method} ${url.pathname}`);
    const intEnums = (url.searchParams.get("$alt") ?? "").includes("enum-encoding=int");
    res.writeHead(route.status, { "content-type": "application/json; charset=UTF-8" });
    res.end(JSON.stringify(intEnums ? withIntEnums(route.body) : route.body));
  };
}

function siteHandler(recording: Recording) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== "/widget.js") {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<h1>Page Not Found</h1>");
      return;
    }
    res.writeHead(recording.widget.status, { "content-type": recording.widget.contentType });
    res.end(recording.widget.body);
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
}

export function loadRecording(file: string): Recording {
  return Recording.parse(JSON.parse(readFileSync(file, "utf8")));
}

export async function startStandin(recording: Recording): Promise<Standin> {
  const requests: StandinRequest[] = [];
  const api = createHttp(apiHandler(recording, requests));
  const caFile = join(TLS_DIR, "standin.crt");
  const site = createHttps(
    { key: readFileSync(join(TLS_DIR, "standin.key")), cert: readFileSync(caFile) },
    siteHandler(recording),
  );
  const [apiPort, sitePort] = await Promise.all([listen(api), listen(site)]);
  const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));
  return {
    apiRoot: `http://127.0.0.1:${apiPort}`,
    siteUrl: `https://127.0.0.1:${sitePort}`,
    caFile,
    requests,
    close: async () => {
      api.closeAllConnections();
      site.closeAllConnections();
      await Promise.all([close(api), close(site)]);
    },
  };
}

/** An ADC file like `gcloud auth application-default login` writes, for the stand-in's token endpoint. */
export function writeUserCredentials(dir: string, quotaProject?: string): string {
  const file = join(dir, `adc-${quotaProject ?? "no-quota"}.json`);
  const adc = {
    type: "authorized_user",
    client_id: "standin-client.apps.googleusercontent.com",
    client_secret: "standin-client-secret",
    refresh_token: STANDIN_REFRESH_TOKEN,
    ...(quotaProject ? { quota_project_id: quotaProject } : {}),
  };
  writeFileSync(file, JSON.stringify(adc, null, 2));
  return file;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: npx tsx tools/doctor/standin.ts <recording.json>");
    process.exit(2);
  }
  const recording = loadRecording(file);
  void startStandin(recording).then((s) => {
    const adc = writeUserCredentials(tmpdir(), recording.project);
    console.log(`stand-in for ${recording.project}: ${recording.description}`);
    console.log(
      `run: GOOGLE_APPLICATION_CREDENTIALS=${adc} NODE_EXTRA_CA_CERTS=${s.caFile} ` +
        `npm run doctor -- --project ${recording.project} --api-root ${s.apiRoot} --public-url ${s.siteUrl}`,
    );
  });
}
