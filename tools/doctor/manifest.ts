// What the deployed code declares, read from the built functions the way firebase deploy reads it:
// every export's `__endpoint` (and `__requiredAPIs`), which firebase-functions fills in when the
// function is defined. Nothing here is copied from config.ts by hand.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { z } from "zod";

/**
 * A number the code set; anything else (null, absent, RESET_VALUE, a param expression) is not a
 * literal the doctor can compare, and firebase deploy then leaves that setting to Cloud Tasks.
 */
const Int = z.unknown().optional();

const Endpoint = z.object({
  platform: z.string().optional(),
  region: z.array(z.string()).optional(),
  serviceAccountEmail: z.unknown().optional(),
  secretEnvironmentVariables: z.array(z.object({ key: z.string() })).optional(),
  taskQueueTrigger: z
    .object({
      retryConfig: z
        .object({
          maxAttempts: Int,
          minBackoffSeconds: Int,
          maxBackoffSeconds: Int,
          maxDoublings: Int,
          maxRetrySeconds: Int,
        })
        .nullish(),
      rateLimits: z.object({ maxConcurrentDispatches: Int, maxDispatchesPerSecond: Int }).nullish(),
    })
    .optional(),
  eventTrigger: z
    .object({ eventType: z.string(), eventFilters: z.record(z.string(), z.unknown()).optional() })
    .optional(),
});
type Endpoint = z.infer<typeof Endpoint>;

export type RetryConfig = {
  [K in "maxAttempts" | "minBackoffSeconds" | "maxBackoffSeconds" | "maxDoublings" | "maxRetrySeconds"]?: number;
};
export type RateLimits = { maxConcurrentDispatches?: number; maxDispatchesPerSecond?: number };

/** A Cloud Tasks queue firebase deploy creates for a task-queue function (queue id = function id). */
export interface DeclaredQueue {
  functionId: string;
  region: string;
  retryConfig: RetryConfig;
  rateLimits: RateLimits;
}

export interface Declared {
  functionIds: string[];
  queues: DeclaredQueue[];
  secrets: string[];
  topics: string[];
  /** APIs the endpoints ask for (`__requiredAPIs`: cloudtasks for task queues, cloudscheduler for schedules). */
  requiredApis: string[];
  /** Service accounts set in code (`serviceAccount` option); empty: every function runs as the default one. */
  serviceAccounts: string[];
  usesFirestoreTriggers: boolean;
  usesSecrets: boolean;
}

const PUBSUB_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";

/** Only the numbers the code set: null means "not declared". */
function declaredNumbers<T extends object>(o: T | null | undefined): { [K in keyof T]?: number } {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => typeof v === "number")) as {
    [K in keyof T]?: number;
  };
}

/** Walks exports like firebase-functions' loader: nested groups become `group-name` ids. */
function endpointsOf(
  mod: Record<string, unknown>,
  prefix = "",
): Array<{ id: string; endpoint: Endpoint; requiredApis: string[] }> {
  const out: Array<{ id: string; endpoint: Endpoint; requiredApis: string[] }> = [];
  for (const [name, value] of Object.entries(mod)) {
    if (!value || (typeof value !== "object" && typeof value !== "function")) continue;
    const v = value as { __endpoint?: unknown; __requiredAPIs?: Array<{ api: string }> };
    if (v.__endpoint) {
      const endpoint = Endpoint.parse(v.__endpoint);
      out.push({ id: `${prefix}${name}`, endpoint, requiredApis: (v.__requiredAPIs ?? []).map((a) => a.api) });
    } else if (typeof value === "object") {
      out.push(...endpointsOf(value as Record<string, unknown>, `${prefix}${name}-`));
    }
  }
  return out;
}

/** Pure: the declarations of a loaded functions module (its exports). */
export function declaredFrom(mod: Record<string, unknown>): Declared {
  const all = endpointsOf(mod);
  const sorted = <T>(xs: Iterable<T>) => [...new Set(xs)].sort();
  const queues = all.flatMap(({ id, endpoint }) =>
    endpoint.taskQueueTrigger
      ? (endpoint.region ?? ["us-central1"]).map((region) => ({
          functionId: id,
          region,
          retryConfig: declaredNumbers(endpoint.taskQueueTrigger!.retryConfig),
          rateLimits: declaredNumbers(endpoint.taskQueueTrigger!.rateLimits),
        }))
      : [],
  );
  const secrets = all.flatMap(({ endpoint }) => (endpoint.secretEnvironmentVariables ?? []).map((s) => s.key));
  const topics = all.flatMap(({ endpoint }) =>
    endpoint.eventTrigger?.eventType === PUBSUB_PUBLISHED ? [String(endpoint.eventTrigger.eventFilters?.topic)] : [],
  );
  return {
    functionIds: sorted(all.map((e) => e.id)),
    queues,
    secrets: sorted(secrets),
    topics: sorted(topics),
    requiredApis: sorted(all.flatMap((e) => e.requiredApis)),
    serviceAccounts: sorted(
      all.flatMap(({ endpoint }) =>
        typeof endpoint.serviceAccountEmail === "string" ? [endpoint.serviceAccountEmail] : [],
      ),
    ),
    usesFirestoreTriggers: all.some(
      ({ endpoint }) => endpoint.eventTrigger?.eventType.startsWith("google.cloud.firestore.") ?? false,
    ),
    usesSecrets: secrets.length > 0,
  };
}

export class StaleBuild extends Error {}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(path) : s.mtimeMs);
  }
  return newest;
}

/** Why functions/lib cannot stand for functions/src (missing, or older than a source file); undefined when it can. */
export function staleBuild(functionsDir: string): string | undefined {
  const lib = join(functionsDir, "lib", "index.js");
  if (!existsSync(lib)) return "functions/lib is missing: run `npm run build -w functions` first.";
  if (newestMtime(join(functionsDir, "src")) > statSync(lib).mtimeMs)
    return "functions/lib is older than functions/src: run `npm run build -w functions` first.";
  return undefined;
}

/**
 * Loads functions/lib (the code `firebase deploy` would upload). Refuses a missing or stale build:
 * the doctor must judge the code as it is, not an older compile.
 */
export function loadDeclared(functionsDir: string): Declared {
  const stale = staleBuild(functionsDir);
  if (stale) throw new StaleBuild(stale);
  const lib = join(functionsDir, "lib", "index.js");
  const require = createRequire(join(functionsDir, "package.json"));
  return declaredFrom(require(lib) as Record<string, unknown>);
}

/**
 * PUBLIC_URL as the deployed functions get it: functions/.env.<projectId> (where `firebase deploy`
 * stores answered params), then functions/.env; else --public-url.
 */
export function publicUrlOf(
  functionsDir: string,
  project: string,
  flag: string | undefined,
): { url?: string; source?: string } {
  for (const name of [`.env.${project}`, ".env"]) {
    const file = join(functionsDir, name);
    if (!existsSync(file)) continue;
    const line = readFileSync(file, "utf8")
      .split(/\r?\n/)
      .find((l) => /^\s*PUBLIC_URL\s*=/.test(l));
    const value = line
      ?.split("=")
      .slice(1)
      .join("=")
      .trim()
      .replace(/^(["'])(.*)\1$/, "$2");
    if (value) return { url: value, source: `functions/${name}` };
  }
  return flag ? { url: flag, source: "--public-url" } : {};
}
