// firebase.json and firestore.indexes.json as `firebase deploy` reads them: what is uploaded with the
// functions, which collections expire, what Cloud Build installs, where the rewrites point.
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { REGION } from "../../../functions/src/contract/deployment";
import { paths } from "../../../functions/src/contract/paths";

const ROOT = new URL("../../../", import.meta.url).pathname;
const json = (file: string) => JSON.parse(readFileSync(join(ROOT, file), "utf8"));
const firebaseJson = json("firebase.json");
const indexes = json("firestore.indexes.json");
const functionsConfig = firebaseJson.functions[0];

/** firebase-tools' own listing of the functions source it zips (prepareFunctionsUpload uses it). */
async function uploadedFunctionFiles(): Promise<string[]> {
  const fsAsync = createRequire(join(ROOT, "package.json"))(join(ROOT, "node_modules/firebase-tools/lib/fsAsync.js"));
  const source = join(ROOT, functionsConfig.source);
  const ignore = [...functionsConfig.ignore, "firebase-debug.log", "firebase-debug.*.log"];
  const files: Array<{ name: string }> = await fsAsync.readdirRecursive({ path: source, ignoreStrings: ignore });
  return files.map((f) => relative(source, f.name));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}

/** The collection group a contract path names (its last collection segment). */
function collectionGroupOf(path: string): string {
  const segments = path.split("/");
  return segments[segments.length % 2 === 0 ? segments.length - 2 : segments.length - 1];
}

describe("firebase.json and indexes (what firebase deploy uses)", () => {
  it("uploads no local-only file with the functions: not .env.local, .secret.local, sources or tests", async () => {
    const files = await uploadedFunctionFiles();
    assert.ok(files.includes("package.json"), `uploaded: ${files.slice(0, 10).join(", ")}`);
    const localOnly = files.filter((f) =>
      /(^|\/)(\.[^/]*\.local|[^/]*\.local)$|^(src|test|node_modules)\/|\.mocharc/.test(f),
    );
    assert.deepEqual(localOnly, []);
  });

  it("declares a TTL policy on expireAt for every collection written with an expireAt", () => {
    const ttl = new Set(
      indexes.fieldOverrides
        .filter((f: { ttl?: boolean; fieldPath: string }) => f.ttl === true && f.fieldPath === "expireAt")
        .map((f: { collectionGroup: string }) => f.collectionGroup),
    );
    const writers = sourceFiles(join(ROOT, "functions/src")).filter((f) =>
      /\bexpireAt\s*:/.test(readFileSync(f, "utf8")),
    );
    assert.ok(writers.length > 0, "no file writes expireAt: the check below would pass vacuously");
    for (const file of writers) {
      const text = readFileSync(file, "utf8");
      const groups = [...text.matchAll(/\bpaths\.(\w+)\b/g)].map(([, name]) => {
        const path = paths[name as keyof typeof paths];
        return collectionGroupOf(typeof path === "function" ? (path as (...a: string[]) => string)("a", "b") : path);
      });
      assert.ok(
        groups.some((g) => ttl.has(g)),
        `${relative(ROOT, file)} writes expireAt into ${groups.join(", ") || "an unknown collection"}; ` +
          `firestore.indexes.json declares TTL only for ${[...ttl].join(", ") || "nothing"}`,
      );
    }
  });

  it("pins the functions' dependencies to the exact versions the tests ran with", () => {
    const pkg = json("functions/package.json");
    const lock = json("package-lock.json");
    for (const kind of ["dependencies", "devDependencies"]) {
      for (const [name, spec] of Object.entries<string>(pkg[kind] ?? {})) {
        const locked = (lock.packages[`functions/node_modules/${name}`] ?? lock.packages[`node_modules/${name}`])
          ?.version;
        assert.equal(spec, locked, `functions ${kind} ${name}: "${spec}" is not the locked version ${locked}`);
      }
    }
  });

  it("deploys the production hosting build, and every rewrite goes to the one region", () => {
    const predeploy: string[] = firebaseJson.hosting.predeploy;
    assert.ok(predeploy.some((c) => /run build\b/.test(c)));
    assert.ok(
      predeploy.every((c) => !c.includes("--local")),
      predeploy.join(" && "),
    );
    const regions = firebaseJson.hosting.rewrites
      .filter((r: { function?: unknown }) => r.function)
      .map((r: { function: { region: string } }) => r.function.region);
    assert.ok(regions.length > 0);
    assert.deepEqual([...new Set(regions)], [REGION]);
  });
});
