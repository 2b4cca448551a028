// What every view of a signed-in console needs: who is signed in, the business settings and the agents.
import { doc, onSnapshot, type Unsubscribe } from "firebase/firestore";
import { backend, revive, toQuery } from "./backend";
import { agentsQuery } from "./queries";
import { paths } from "../../../functions/src/contract/paths";
import type { ConsoleRole } from "../../../functions/src/contract/roles";
import type { BusinessSettings, CannedReply } from "../../../functions/src/contract/settings";

export type Role = ConsoleRole;

export type { CannedReply };

/** settings/business as stored: a document written by an older version may lack fields (the contract fills defaults server-side). */
export type Settings = Partial<BusinessSettings>;

export interface Agent {
  uid: string;
  email?: string;
  displayName?: string;
  role?: Role;
  /** Email alerts while away from the console; absent means on. */
  emailWhenAway?: boolean;
}

export const session = {
  uid: "",
  email: "",
  role: "agent" as Role,
  settings: {} as Settings,
  settingsLoaded: false,
  agents: [] as Agent[],
};

const listeners = new Set<() => void>();
let stops: Unsubscribe[] = [];

/** Views re-render their settings- or agent-dependent parts when either changes. */
export function onSessionChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed(): void {
  for (const fn of listeners) fn();
}

export function startSession(user: { uid: string; email: string; role: Role }): void {
  Object.assign(session, user);
  stops.push(
    onSnapshot(doc(backend.db, paths.businessSettings), (snap) => {
      session.settings = revive<Settings>(snap.data() ?? {});
      session.settingsLoaded = true;
      changed();
    }),
    onSnapshot(toQuery(agentsQuery()), (snap) => {
      session.agents = snap.docs
        .map((d) => ({ ...d.data(), uid: d.id }) as Agent)
        .sort((a, b) => (a.displayName ?? a.email ?? "").localeCompare(b.displayName ?? b.email ?? ""));
      changed();
    }),
  );
}

export function stopSession(): void {
  for (const stop of stops) stop();
  stops = [];
  listeners.clear();
  session.settingsLoaded = false;
}

export function agentName(uid: string | null | undefined): string {
  if (!uid) return "Unassigned";
  if (uid === session.uid) return "You";
  const agent = session.agents.find((a) => a.uid === uid);
  return agent?.displayName || agent?.email || "Another agent";
}

/** Random ids for callables' idempotency keys (a retried send reuses its id). */
export function clientId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
