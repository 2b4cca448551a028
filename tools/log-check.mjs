// After the emulator suites: no function log line may carry a secret, an auth token or a link token.
// Function output is the emulator's lines that start with ">  ".
import { existsSync, readFileSync } from "node:fs";
import { root } from "./proc.mjs";

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./;
/** A signed resume or unsubscribe link token (domain/resumeLinks.ts: purpose.thread.expiry.nonce.sig). */
const LINK_TOKEN = /\b(resume|unsubscribe)\.[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}/;

/** Values of functions/.secret.local (local stand-ins for the deployed secrets). */
function secretValues() {
  const file = `${root}/functions/.secret.local`;
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => /^[A-Z0-9_]+=/.test(l))
    .map((l) => l.slice(l.indexOf("=") + 1).trim())
    .filter((v) => v.length >= 8);
}

/** Returns the offending lines (empty when the logs are clean). */
export function findLeaks(logFile) {
  const secrets = secretValues();
  const functionLines = readFileSync(logFile, "utf8")
    .split("\n")
    .filter((l) => l.startsWith(">  "));
  const leaks = functionLines.filter((l) => JWT.test(l) || LINK_TOKEN.test(l) || secrets.some((s) => l.includes(s)));
  return { scanned: functionLines.length, leaks };
}
