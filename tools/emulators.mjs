// Finds what the Firebase emulators need on this machine and returns the environment to run
// firebase-tools with. Used by `npm start`, `npm test` and the benchmark.
//
// - Java >= 21 (firebase-tools refuses older ones for the Firestore and Pub/Sub emulators):
//   JAVA_HOME, then /usr/lib/jvm/temurin-*, then `java` on PATH.
// - Google's Debian emulator packages (google-cloud-cli-firestore-emulator / -pubsub-emulator),
//   when installed, are used instead of a download: the Firestore jar has no Main-Class, so a
//   tiny shim jar naming it is built once in ~/.cache/afterchat (outside the tracked tree).
// - Otherwise firebase-tools downloads the emulators itself, as on any machine with internet.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const PLATFORM = process.env.AFTERCHAT_GCLOUD_PLATFORM ?? "/usr/lib/google-cloud-sdk/platform";
const FIRESTORE_JAR = join(PLATFORM, "cloud-firestore-emulator/cloud-firestore-emulator.jar");
const PUBSUB_BIN = join(PLATFORM, "pubsub-emulator/bin/cloud-pubsub-emulator");
const FIRESTORE_MAIN = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";
const MIN_JAVA = 21;

export const CACHE_DIR = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "afterchat");

export class EmulatorSetupError extends Error {}

function javaMajor(javaBin) {
  const out = spawnSync(javaBin, ["-version"], { encoding: "utf8" });
  if (out.error || out.status !== 0) return undefined;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2]) : major;
}

function javaCandidates() {
  const list = [];
  if (process.env.JAVA_HOME) list.push(join(process.env.JAVA_HOME, "bin/java"));
  if (existsSync("/usr/lib/jvm")) {
    const temurins = readdirSync("/usr/lib/jvm")
      .filter((d) => d.startsWith("temurin-"))
      .sort((a, b) => parseInt(b.split("-")[1]) - parseInt(a.split("-")[1]));
    for (const d of temurins) list.push(join("/usr/lib/jvm", d, "bin/java"));
  }
  list.push("java");
  return list;
}

/** The first Java >= 21, or an EmulatorSetupError that says what to install. */
export function findJava() {
  const seen = [];
  for (const bin of javaCandidates()) {
    if (bin !== "java" && !existsSync(bin)) continue;
    const major = javaMajor(bin);
    if (major === undefined) continue;
    seen.push(`${bin} (${major})`);
    if (major >= MIN_JAVA) {
      const resolved =
        bin === "java"
          ? execFileSync("sh", ["-c", 'readlink -f "$(command -v java)"'], { encoding: "utf8" }).trim()
          : bin;
      return { javaBin: resolved, binDir: join(resolved, ".."), major };
    }
  }
  throw new EmulatorSetupError(
    `The Firestore and Pub/Sub emulators need Java ${MIN_JAVA} or newer. Found: ${seen.join(", ") || "no java at all"}.\n` +
      `Install a JDK ${MIN_JAVA}+ (for example Temurin 21 or 25) and set JAVA_HOME to it.`,
  );
}

function buildFirestoreShim(binDir) {
  const shim = join(CACHE_DIR, "firestore-shim.jar");
  if (existsSync(shim)) return shim;
  mkdirSync(CACHE_DIR, { recursive: true });
  const manifest = join(CACHE_DIR, "firestore-shim.MF");
  writeFileSync(manifest, `Manifest-Version: 1.0\nMain-Class: ${FIRESTORE_MAIN}\nClass-Path: file:${FIRESTORE_JAR}\n`);
  const jar = join(binDir, "jar");
  if (existsSync(jar)) {
    execFileSync(jar, ["cfm", shim, manifest]);
  } else {
    // A JRE without the jar tool: a jar is a zip holding META-INF/MANIFEST.MF.
    execFileSync("python3", [
      "-c",
      `import zipfile,sys;z=zipfile.ZipFile(sys.argv[1],'w');z.write(sys.argv[2],'META-INF/MANIFEST.MF');z.close()`,
      shim,
      manifest,
    ]);
  }
  return shim;
}

function cachedDownload(prefix) {
  const dir = process.env.FIREBASE_EMULATORS_PATH ?? join(homedir(), ".cache/firebase/emulators");
  return existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(prefix));
}

/**
 * The environment for firebase-tools, and how the Firestore/Pub/Sub emulators will be had:
 * `local` (Debian packages), `download` (firebase-tools fetches or has cached them) or
 * `unavailable` (CI without the packages and without a cache: no way to run them here).
 */
export function emulatorEnv(base = process.env) {
  const java = findJava();
  const env = { ...base, PATH: `${java.binDir}:${base.PATH ?? ""}`, JAVA_HOME: join(java.binDir, "..") };
  // The functions emulator starts one worker process per concurrent invocation and drops the event when
  // a worker is not up within this many seconds (default 30, "Failed to load function."). A burst of
  // triggers on a busy 2-core machine starts twenty-odd workers at once: give them time instead of losing
  // a trigger or a task attempt.
  env.FUNCTIONS_DISCOVERY_TIMEOUT ??= "120";
  let source;
  if (existsSync(FIRESTORE_JAR) && existsSync(PUBSUB_BIN)) {
    env.FIRESTORE_EMULATOR_BINARY_PATH = buildFirestoreShim(java.binDir);
    env.PUBSUB_EMULATOR_BINARY_PATH = PUBSUB_BIN;
    source = "local";
  } else if (cachedDownload("cloud-firestore-emulator") && cachedDownload("pubsub-emulator")) {
    source = "download";
  } else {
    source = base.CI === "true" ? "unavailable" : "download";
  }
  return { env, source, java };
}

export function describe({ source, java, env }) {
  const lines = [`java ${java.major} at ${java.javaBin}`];
  if (source === "local") {
    lines.push(`firestore emulator: ${env.FIRESTORE_EMULATOR_BINARY_PATH} -> ${FIRESTORE_JAR}`);
    lines.push(`pubsub emulator: ${env.PUBSUB_EMULATOR_BINARY_PATH}`);
  } else {
    lines.push(
      `firestore and pubsub emulators: ${source === "download" ? "downloaded by firebase-tools" : "UNAVAILABLE"}`,
    );
  }
  return lines.join("\n");
}

// `node tools/emulators.mjs`: say what the emulators will run with (used by .ci/run).
if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const setup = emulatorEnv();
    console.log(describe(setup));
    if (setup.source === "unavailable") console.log("the emulator suites will be SKIPPED");
  } catch (err) {
    console.log(err.message);
    console.log("the emulator suites will be SKIPPED");
  }
}
