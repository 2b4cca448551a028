import type { ThreadState } from "./thread";

/**
 * Which devices may read and write a visitor's thread (docs/reach.md, "Devices, not bearer links").
 *
 * - The widget visitor who started the thread: always (its uid is the thread's first visitorUid).
 * - A device that came in through an emailed link or a handoff code: listed in `linkDevices`, and only
 *   while the thread's reach window is open (`windows.web`, which rolls forward when the visitor
 *   writes). So a forwarded or leaked link never gives lasting access: it is exchanged once, and what
 *   it buys ends with the window. firestore.rules applies the same test to reads.
 */
export type DeviceVia = "link" | "handoff";

export interface LinkDevice {
  via: DeviceVia;
  at: Date;
}

export type WithDevices = Pick<ThreadState, "visitorUids" | "windows"> & {
  linkDevices?: Record<string, LinkDevice>;
};

/** When a link device's access ends: the reach window (undefined when the thread has none open). */
export function deviceAccessUntil(thread: WithDevices): Date | undefined {
  return thread.windows.web;
}

export function mayUseThread(thread: WithDevices, uid: string, now: Date): boolean {
  if (!thread.visitorUids.includes(uid)) return false;
  if (!thread.linkDevices?.[uid]) return true;
  const until = deviceAccessUntil(thread);
  return Boolean(until && now.getTime() < until.getTime());
}

/** A link or code may only be exchanged while the access it buys would last. */
export function canAdmitDevice(thread: WithDevices, now: Date): boolean {
  const until = deviceAccessUntil(thread);
  return Boolean(until && now.getTime() < until.getTime());
}

/** How many devices a thread may be attached to (the widget's own uid is always kept). */
export const MAX_VISITOR_UIDS = 20;

/**
 * The thread's device fields after admitting `uid`: keeps the first uid (the widget visitor who
 * started the thread) and the newest devices; a device already attached changes nothing.
 */
export function admitDevice(
  thread: WithDevices,
  uid: string,
  via: DeviceVia,
  now: Date,
): { visitorUids: string[]; linkDevices: Record<string, LinkDevice> } | undefined {
  if (thread.visitorUids.includes(uid)) return undefined;
  const next = [...thread.visitorUids, uid];
  const visitorUids =
    next.length > MAX_VISITOR_UIDS ? [next[0]!, ...next.slice(next.length - MAX_VISITOR_UIDS + 1)] : next;
  const linkDevices: Record<string, LinkDevice> = {};
  for (const [u, d] of Object.entries(thread.linkDevices ?? {})) if (visitorUids.includes(u)) linkDevices[u] = d;
  linkDevices[uid] = { via, at: now };
  return { visitorUids, linkDevices };
}

/**
 * "Sign out other devices": every device but this one loses the thread, except the one that started it
 * in the widget (the first uid): a device that came in through a forwarded link must not be able to
 * lock the visitor out of their own conversation. Undefined when nothing would change.
 */
export function signOutOthers(
  thread: WithDevices,
  uid: string,
): { visitorUids: string[]; linkDevices: Record<string, LinkDevice>; removed: number } | undefined {
  const keep = new Set([thread.visitorUids[0], uid]);
  const visitorUids = thread.visitorUids.filter((u) => keep.has(u));
  const removed = thread.visitorUids.length - visitorUids.length;
  if (!removed) return undefined;
  const linkDevices: Record<string, LinkDevice> = {};
  for (const [u, d] of Object.entries(thread.linkDevices ?? {})) if (visitorUids.includes(u)) linkDevices[u] = d;
  return { visitorUids, linkDevices, removed };
}
