// Small helpers for the local scripts: run a command, wait for a URL.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";

export const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
export const firebaseBin = `${root}/node_modules/.bin/firebase`;

/** Runs a command with inherited stdio; resolves with its exit code (never rejects). */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", cwd: root, ...opts });
    child.on("error", (err) => {
      console.error(`could not run ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Runs a command with its output going to a file only (the emulators' logs); resolves with its exit code. */
export function runLogged(cmd, args, file, opts = {}) {
  return new Promise((resolve) => {
    const log = openSync(file, "w");
    const child = spawn(cmd, args, { cwd: root, ...opts, stdio: ["ignore", log, log] });
    child.on("error", (err) => {
      console.error(`could not run ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on("close", (code, signal) => {
      closeSync(log);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** Copies what is appended to `file` to our stdout as it arrives; the returned stop() copies the rest. */
export function follow(file) {
  let offset = 0;
  const copy = () => {
    if (!existsSync(file)) return;
    const size = statSync(file).size;
    if (size <= offset) return;
    const fd = openSync(file, "r");
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    closeSync(fd);
    offset = size;
    process.stdout.write(buf);
  };
  const timer = setInterval(copy, 200);
  return () => {
    clearInterval(timer);
    copy();
  };
}

/** The last `lines` lines of a text file (for a failure's context). */
export function tail(file, lines = 40) {
  if (!existsSync(file)) return "";
  return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
}

/** Polls until the URL answers with the expected status, or throws after the timeout. */
export async function waitForHttp(url, { status = 200, timeoutMs = 120_000, intervalMs = 300 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === status) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${url} not ready after ${timeoutMs / 1000}s (${last})`);
}

export const PROJECT_ID = "demo-afterchat";
export const urls = {
  hosting: "http://127.0.0.1:5000",
  functions: `http://127.0.0.1:5001/${PROJECT_ID}/us-central1`,
  firestore: "127.0.0.1:8080",
  auth: "127.0.0.1:9099",
  pubsub: "127.0.0.1:8085",
  tasks: "127.0.0.1:9499",
};
