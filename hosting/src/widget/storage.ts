/**
 * localStorage on our own origin (inside the iframe), shared by every tab; a memory fallback
 * when the browser blocks it (then the chat lasts as long as the page).
 */
const memory = new Map<string, string>();

/** Plain strings are stored as they are (the thread id is read by tools and tests). */
export function loadText(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return memory.get(key);
  }
}

export function saveText(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    memory.set(key, value);
  }
}

export function remove(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    memory.delete(key);
  }
}

export function load<T>(key: string): T | undefined {
  const raw = loadText(key);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

export function save(key: string, value: unknown): void {
  saveText(key, JSON.stringify(value));
}

/**
 * Runs `work` while holding a cross-tab lock when the browser grants one (Web Locks). In a third-party
 * iframe (the widget on the business's own site) Chromium may deny locks with a SecurityError: the work
 * then runs without one (two tabs opened in the same instant might sign up twice; nothing else changes).
 */
export async function exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return work();
  let started = false;
  try {
    return (await locks.request(name, () => ((started = true), work()))) as T;
  } catch (err) {
    if (!started && err instanceof DOMException && err.name === "SecurityError") return work();
    throw err;
  }
}

export const KEYS = {
  session: "afterchat.session",
  threadId: "afterchat.threadId",
  outbox: "afterchat.outbox",
  lastSeen: "afterchat.lastSeenAt",
  email: "afterchat.email",
} as const;
