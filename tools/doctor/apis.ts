// Asks Google, through the real client libraries and the owner's Application Default Credentials,
// for every answer the checks need. Nothing here judges: errors become answers too.
import { CloudTasksClient } from "@google-cloud/tasks";
// One module per API, not `googleapis` itself: its index loads (and type-checks) every Google API,
// ≈ 1 s at each start and most of the doctor's type-check.
import { cloudresourcemanager_v1 } from "googleapis/build/src/apis/cloudresourcemanager/v1";
import { iam_v1 } from "googleapis/build/src/apis/iam/v1";
import { identitytoolkit_v2 } from "googleapis/build/src/apis/identitytoolkit/v2";
import { pubsub_v1 } from "googleapis/build/src/apis/pubsub/v1";
import { secretmanager_v1 } from "googleapis/build/src/apis/secretmanager/v1";
import { serviceusage_v1 } from "googleapis/build/src/apis/serviceusage/v1";
import { GoogleAuth } from "googleapis-common";
import type { Answer, Answers, ApiError, Credentials, WidgetFetch } from "./checks";
import { projectNumberOf, queueName, runtimeAccounts } from "./checks";
import type { Declared } from "./manifest";

export interface ApiOptions {
  project: string;
  quotaProject?: string;
  publicUrl?: { url?: string; source?: string };
  /** Tests only: send every Google call (and the token exchange) to this stand-in instead. */
  apiRoot?: string;
}

const HTTP_OF_GRPC: Record<number, number> = {
  3: 400,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  13: 500,
  14: 503,
  16: 401,
};

const ErrorBody = (e: unknown) =>
  (e as { response?: { status?: number; data?: { error?: GoogleJsonError } } }).response;
interface GoogleJsonError {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<{ reason?: string; metadata?: { service?: string } }>;
}

/** One shape for googleapis (gaxios) and google-gax errors: Google's JSON error, or a gRPC-coded one. */
export function toApiError(err: unknown): ApiError {
  const response = ErrorBody(err);
  const json = response?.data?.error;
  if (response?.status) {
    const info = json?.details?.find((d) => d.reason);
    return {
      status: response.status,
      code: json?.status,
      message: json?.message ?? String(err),
      reason: info?.reason,
      service: info?.metadata?.service,
    };
  }
  const gax = err as {
    code?: number;
    details?: string;
    message?: string;
    reason?: string;
    errorInfoMetadata?: { service?: string };
  };
  if (typeof gax.code === "number") {
    return {
      status: HTTP_OF_GRPC[gax.code] ?? 500,
      message: gax.details || gax.message || String(err),
      reason: gax.reason,
      service: gax.errorInfoMetadata?.service,
    };
  }
  return { status: 0, message: (err as Error)?.message ?? String(err) };
}

async function answer<T>(call: () => Promise<T>): Promise<Answer> {
  try {
    return { ok: true, body: await call() };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}

/**
 * The owner's ADC, with the token exchange pointed at the stand-in in tests. The project is the one
 * named on the command line: without it, the library asks `gcloud config` for a default project (a
 * Python process, ≈ 3 s) before the first call.
 */
function makeAuth(project: string, apiRoot: string | undefined): GoogleAuth {
  return new GoogleAuth({
    projectId: project,
    scopes: ["https://www.googleapis.com/auth/cloud-platform"],
    ...(apiRoot ? { clientOptions: { endpoints: { oauth2TokenUrl: `${apiRoot}/token` } } } : {}),
  });
}

/** What kind of credentials ADC found, and the quota project calls will be billed to. */
async function credentialsOf(auth: GoogleAuth, quotaProject: string | undefined): Promise<Credentials> {
  try {
    const client = await auth.getClient();
    if (quotaProject) client.quotaProjectId = quotaProject;
    const type = client.constructor.name;
    const kind =
      type === "UserRefreshClient"
        ? "user"
        : ["JWT", "Compute", "Impersonated"].includes(type)
          ? "service_account"
          : "other";
    return { kind, quotaProject: client.quotaProjectId ?? undefined };
  } catch (err) {
    return { kind: "none", problem: (err as Error).message.split("\n")[0] };
  }
}

function tasksClient(auth: GoogleAuth, apiRoot: string | undefined): CloudTasksClient {
  // HTTP/JSON transport (fallback): the same REST API as gcloud, and what a local stand-in can serve.
  const root = apiRoot ? new URL(apiRoot) : undefined;
  const endpoint = root
    ? { apiEndpoint: root.hostname, port: Number(root.port), protocol: root.protocol.replace(":", "") }
    : {};
  return new CloudTasksClient({ fallback: true, auth: auth as never, ...endpoint });
}

async function fetchWidget(url: string): Promise<Answer<WidgetFetch>> {
  try {
    const res = await fetch(`${url.replace(/\/+$/, "")}/widget.js`, { signal: AbortSignal.timeout(15_000) });
    return {
      ok: true,
      body: { status: res.status, contentType: res.headers.get("content-type") ?? "", body: await res.text() },
    };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, error: { status: 0, message: cause?.code ?? cause?.message ?? (err as Error).message } };
  }
}

const byKey = async (keys: string[], ask: (key: string) => Promise<Answer>) =>
  Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await ask(k)] as const)));

/** Every answer the checks need, asked in parallel where nothing depends on another answer. */
export async function gatherAnswers(declared: Declared, opts: ApiOptions): Promise<Answers> {
  const { project, apiRoot } = opts;
  const auth = makeAuth(project, apiRoot);
  const credentials = await credentialsOf(auth, opts.quotaProject);
  const publicUrl = { ...opts.publicUrl };
  const empty = {
    project,
    credentials,
    serviceAccountPolicies: {},
    queues: {},
    secrets: {},
    secretVersions: {},
    topics: {},
    publicUrl,
  };
  if (credentials.kind === "none") return empty;

  const common = { auth, ...(apiRoot ? { rootUrl: `${apiRoot}/` } : {}) };
  const serviceusage = new serviceusage_v1.Serviceusage(common);
  const crm = new cloudresourcemanager_v1.Cloudresourcemanager(common);
  const iam = new iam_v1.Iam(common);
  const identitytoolkit = new identitytoolkit_v2.Identitytoolkit(common);
  const secretmanager = new secretmanager_v1.Secretmanager(common);
  const pubsub = new pubsub_v1.Pubsub(common);
  const tasks = tasksClient(auth, apiRoot);

  const [services, projectInfo, iamPolicy, authConfig, queues, secrets, secretVersions, topics, widget] =
    await Promise.all([
      answer(async () => {
        const all = [];
        let pageToken: string | undefined;
        do {
          const { data } = await serviceusage.services.list({
            parent: `projects/${project}`,
            filter: "state:ENABLED",
            pageSize: 200,
            pageToken,
          });
          all.push(...(data.services ?? []));
          pageToken = data.nextPageToken ?? undefined;
        } while (pageToken);
        return { services: all };
      }),
      answer(async () => (await crm.projects.get({ projectId: project })).data),
      answer(
        async () =>
          (
            await crm.projects.getIamPolicy({
              resource: project,
              requestBody: { options: { requestedPolicyVersion: 3 } },
            })
          ).data,
      ),
      answer(async () => (await identitytoolkit.projects.getConfig({ name: `projects/${project}/config` })).data),
      byKey(
        declared.queues.map((q) => queueName(project, q)),
        (name) => answer(async () => (await tasks.getQueue({ name }))[0]),
      ),
      byKey(declared.secrets, (s) =>
        answer(
          async () => (await secretmanager.projects.secrets.get({ name: `projects/${project}/secrets/${s}` })).data,
        ),
      ),
      byKey(declared.secrets, (s) =>
        answer(
          async () =>
            (
              await secretmanager.projects.secrets.versions.get({
                name: `projects/${project}/secrets/${s}/versions/latest`,
              })
            ).data,
        ),
      ),
      byKey(declared.topics, (t) =>
        answer(async () => (await pubsub.projects.topics.get({ topic: `projects/${project}/topics/${t}` })).data),
      ),
      publicUrl.url ? fetchWidget(publicUrl.url) : Promise.resolve(undefined),
    ]);
  await tasks.close();

  // Who may act as each runtime account: needs the project number, so it comes second.
  const accounts = runtimeAccounts(declared, projectNumberOf(projectInfo));
  const serviceAccountPolicies = await byKey(accounts, (a) =>
    answer(
      async () =>
        (await iam.projects.serviceAccounts.getIamPolicy({ resource: `projects/${project}/serviceAccounts/${a}` }))
          .data,
    ),
  );
  return {
    ...empty,
    services,
    projectInfo,
    iamPolicy,
    authConfig,
    queues,
    secrets,
    secretVersions,
    topics,
    serviceAccountPolicies,
    publicUrl: { ...publicUrl, fetch: widget },
  };
}
