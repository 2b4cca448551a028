import { readFileSync } from "node:fs";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import {
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  serverTimestamp,
  setDoc,
  updateDoc,
  type Firestore,
} from "firebase/firestore";
import { PROJECT_ID, uniqueId } from "../support/emulators";

type Who = "visitorA" | "visitorB" | "agent" | "admin" | "noRole" | "unauthenticated";
type Op = (db: Firestore, ids: Ids) => Promise<unknown>;
interface Ids {
  thread: string;
  /** The uid of the signed-in agent or admin (agents/{uid} exists for them), or of anyone else. */
  me: string;
  /** Their display name in agents/{uid} (agents and admins only). */
  myName: string;
}

const inSeconds = (s: number) => new Date(Date.now() + s * 1000);
/** The console's heartbeat document of a uid (a placeholder for the signed-out, who have none). */
const presenceOf = (uid: string) => `agents/${uid || "nobody"}/presence/console`;

const WHO: Who[] = ["visitorA", "visitorB", "agent", "admin", "noRole", "unauthenticated"];

// Each operation lists exactly who may do it; everyone else must be denied.
const MATRIX: Array<{ what: string; op: Op; allowed: Who[] }> = [
  {
    what: "read own thread",
    op: (db, ids) => getDoc(doc(db, `threads/${ids.thread}`)),
    allowed: ["visitorA", "agent", "admin"],
  },
  { what: "list threads", op: (db) => getDocs(collection(db, "threads")), allowed: ["agent", "admin"] },
  {
    what: "read messages",
    op: (db, ids) => getDocs(collection(db, `threads/${ids.thread}/messages`)),
    allowed: ["visitorA", "agent", "admin"],
  },
  {
    what: "write a message",
    op: (db, ids) => setDoc(doc(db, `threads/${ids.thread}/messages/${uniqueId("m")}`), { from: "agent", text: "x" }),
    allowed: [],
  },
  {
    what: "read internal notes",
    op: (db, ids) => getDocs(collection(db, `threads/${ids.thread}/notes`)),
    allowed: ["agent", "admin"],
  },
  {
    what: "write an internal note directly",
    op: (db, ids) => setDoc(doc(db, `threads/${ids.thread}/notes/${uniqueId("n")}`), { text: "x" }),
    allowed: [],
  },
  {
    what: "triage a thread (status)",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { status: "resolved" }),
    allowed: ["agent", "admin"],
  },
  {
    what: "assign a thread to oneself",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { assignedTo: ids.me }),
    allowed: ["agent", "admin"],
  },
  {
    what: "assign a thread to someone who is not an agent",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { assignedTo: "some-outsider" }),
    allowed: [],
  },
  {
    what: "assign a thread to an over-long id",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { assignedTo: "a".repeat(129) }),
    allowed: [],
  },
  {
    what: "unassign a thread",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { assignedTo: null }),
    allowed: ["agent", "admin"],
  },
  {
    what: "resolve a thread still assigned to an agent who has left",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { status: "resolved", unreadForAgents: 0 }),
    allowed: ["agent", "admin"],
  },
  {
    what: "read the agent's typing signal",
    op: (db, ids) => getDoc(doc(db, `threads/${ids.thread}/typing/agent`)),
    allowed: ["visitorA", "agent", "admin"],
  },
  {
    what: "signal typing under one's own name",
    op: (db, ids) => setDoc(doc(db, `threads/${ids.thread}/typing/agent`), { until: inSeconds(8), name: ids.myName }),
    allowed: ["agent", "admin"],
  },
  {
    what: "signal typing without a name, and stop",
    op: async (db, ids) => {
      await setDoc(doc(db, `threads/${ids.thread}/typing/agent`), { until: inSeconds(8) });
      await setDoc(doc(db, `threads/${ids.thread}/typing/agent`), { until: new Date(0) });
    },
    allowed: ["agent", "admin"],
  },
  {
    what: "signal typing under another name",
    op: (db, ids) =>
      setDoc(doc(db, `threads/${ids.thread}/typing/agent`), { until: inSeconds(8), name: "The Manager" }),
    allowed: [],
  },
  {
    what: "signal typing under a non-string name",
    op: (db, ids) => setDoc(doc(db, `threads/${ids.thread}/typing/agent`), { until: inSeconds(8), name: 42 }),
    allowed: [],
  },
  {
    what: "signal typing for an hour",
    op: (db, ids) => setDoc(doc(db, `threads/${ids.thread}/typing/agent`), { until: inSeconds(3600) }),
    allowed: [],
  },
  {
    what: "signal typing with a non-time",
    op: (db, ids) => setDoc(doc(db, `threads/${ids.thread}/typing/agent`), { until: "soon" }),
    allowed: [],
  },
  {
    what: "signal typing with extra fields",
    op: (db, ids) =>
      setDoc(doc(db, `threads/${ids.thread}/typing/agent`), { until: inSeconds(8), text: "draft reply" }),
    allowed: [],
  },
  {
    what: "write another typing document",
    op: (db, ids) => setDoc(doc(db, `threads/${ids.thread}/typing/visitor`), { until: inSeconds(8) }),
    allowed: [],
  },
  {
    what: "snooze a thread until a time",
    op: (db, ids) =>
      updateDoc(doc(db, `threads/${ids.thread}`), { status: "snoozed", snoozedUntil: new Date(Date.now() + 3600_000) }),
    allowed: ["agent", "admin"],
  },
  {
    what: "mark a thread read",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { unreadForAgents: 0 }),
    allowed: ["agent", "admin"],
  },
  {
    what: "inflate unread counts",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { unreadForAgents: 7 }),
    allowed: [],
  },
  {
    what: "set an unknown status",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { status: "deleted" }),
    allowed: [],
  },
  {
    what: "assign to a non-uid",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { assignedTo: 42 }),
    allowed: [],
  },
  {
    what: "snooze until a non-time",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { snoozedUntil: "tomorrow" }),
    allowed: [],
  },
  {
    what: "rewrite thread fields",
    op: (db, ids) => updateDoc(doc(db, `threads/${ids.thread}`), { visitorUids: ["intruder"] }),
    allowed: [],
  },
  {
    what: "create a thread",
    op: (db) => setDoc(doc(db, `threads/${uniqueId("t")}`), { visitorUids: [] }),
    allowed: [],
  },
  { what: "delete a thread", op: (db, ids) => deleteDoc(doc(db, `threads/${ids.thread}`)), allowed: [] },
  { what: "read settings", op: (db) => getDoc(doc(db, "settings/business")), allowed: ["agent", "admin"] },
  {
    what: "write settings (only through the updateSettings callable)",
    op: (db) => setDoc(doc(db, "settings/business"), { name: "x" }, { merge: true }),
    allowed: [],
  },
  {
    what: "write a malformed settings document",
    op: (db) => setDoc(doc(db, "settings/business"), { hours: "always", allowedOrigins: 7 }),
    allowed: [],
  },
  {
    what: "create another settings document",
    op: (db) => setDoc(doc(db, `settings/${uniqueId("s")}`), { a: 1 }),
    allowed: [],
  },
  { what: "read agents", op: (db) => getDocs(collection(db, "agents")), allowed: ["agent", "admin"] },
  {
    what: "write an agent profile",
    op: (db) => setDoc(doc(db, `agents/${uniqueId("a")}`), { role: "admin" }),
    allowed: [],
  },
  {
    what: "save canned replies in settings",
    op: (db) =>
      setDoc(doc(db, "settings/business"), { cannedReplies: [{ shortcut: "hi", text: "Hello!" }] }, { merge: true }),
    allowed: [],
  },
  {
    what: "write below an internal note",
    op: (db, ids) => setDoc(doc(db, `threads/${ids.thread}/notes/n1/x/y`), { text: "x" }),
    allowed: [],
  },
  {
    what: "read a follow-up's agent-only details",
    op: (db, ids) => getDoc(doc(db, `threads/${ids.thread}/followUps/agent_1`)),
    allowed: ["agent", "admin"],
  },
  {
    what: "list a thread's follow-up details",
    op: (db, ids) => getDocs(collection(db, `threads/${ids.thread}/followUps`)),
    allowed: ["agent", "admin"],
  },
  {
    what: "write a follow-up's details",
    op: (db, ids) => setDoc(doc(db, `threads/${ids.thread}/followUps/agent_1`), { text: "x" }, { merge: true }),
    allowed: [],
  },
  {
    what: "create follow-up details",
    op: (db, ids) => setDoc(doc(db, `threads/${ids.thread}/followUps/${uniqueId("agent_")}`), { text: "x" }),
    allowed: [],
  },
  {
    what: "delete a follow-up's details",
    op: (db, ids) => deleteDoc(doc(db, `threads/${ids.thread}/followUps/agent_1`)),
    allowed: [],
  },
  { what: "read lead stats", op: (db) => getDoc(doc(db, "stats/leads")), allowed: ["agent", "admin"] },
  { what: "write lead stats", op: (db) => setDoc(doc(db, "stats/leads"), { recoveredLeads: 99 }), allowed: [] },
  { what: "read erasure stats", op: (db) => getDoc(doc(db, "stats/erasures")), allowed: ["agent", "admin"] },
  { what: "write erasure stats", op: (db) => setDoc(doc(db, "stats/erasures"), { threads: 0 }), allowed: [] },
  {
    what: "delete a message (erase without the API)",
    op: (db, ids) => deleteDoc(doc(db, `threads/${ids.thread}/messages/m1`)),
    allowed: [],
  },
  {
    what: "keep one's own console heartbeat (server time)",
    op: (db, ids) => setDoc(doc(db, presenceOf(ids.me)), { at: serverTimestamp() }),
    allowed: ["agent", "admin"],
  },
  {
    what: "read one's own console heartbeat",
    op: (db, ids) => getDoc(doc(db, presenceOf(ids.me))),
    allowed: ["agent", "admin"],
  },
  {
    what: "keep another agent's console heartbeat",
    op: (db) => setDoc(doc(db, presenceOf(uniqueId("other"))), { at: serverTimestamp() }),
    allowed: [],
  },
  {
    what: "read another agent's console heartbeat",
    op: (db) => getDoc(doc(db, presenceOf(uniqueId("other")))),
    allowed: [],
  },
  {
    what: "keep one's heartbeat with a time of one's choosing",
    op: (db, ids) => setDoc(doc(db, presenceOf(ids.me)), { at: inSeconds(3600) }),
    allowed: [],
  },
  {
    what: "keep one's heartbeat with extra fields",
    op: (db, ids) => setDoc(doc(db, presenceOf(ids.me)), { at: serverTimestamp(), emailWhenAway: false }),
    allowed: [],
  },
  {
    what: "write another document beside one's heartbeat",
    op: (db, ids) => setDoc(doc(db, `agents/${ids.me || "nobody"}/presence/other`), { at: serverTimestamp() }),
    allowed: [],
  },
  {
    what: "turn one's email alerts off in the agent profile directly (only through setEmailAlerts)",
    op: (db, ids) => updateDoc(doc(db, `agents/${ids.me || "nobody"}`), { emailWhenAway: false }),
    allowed: [],
  },
  { what: "read the dev clock", op: (db) => getDoc(doc(db, "dev/clock")), allowed: [] },
  { what: "read an unknown collection", op: (db) => getDocs(collection(db, "elsewhere")), allowed: [] },
  {
    what: "write an unknown collection",
    op: (db) => setDoc(doc(db, `elsewhere/${uniqueId("x")}`), { a: 1 }),
    allowed: [],
  },
];

describe("security rules: who × what", function () {
  let env: RulesTestEnvironment;
  const uids: Record<Who, string> = {
    visitorA: uniqueId("va"),
    visitorB: uniqueId("vb"),
    agent: uniqueId("ag"),
    admin: uniqueId("ad"),
    noRole: uniqueId("nr"),
    unauthenticated: "",
  };

  before(async () => {
    // A project id of its own: the 300 fresh threads below would otherwise each run the emulated
    // thread and message triggers (events, Insights), minutes of work the rules do not depend on.
    env = await initializeTestEnvironment({
      projectId: `${PROJECT_ID}-rules`,
      firestore: { rules: readFileSync(`${__dirname}/../../../firestore.rules`, "utf8") },
    });
  });
  after(() => env?.cleanup());

  function dbFor(who: Who): Firestore {
    if (who === "unauthenticated") return env.unauthenticatedContext().firestore() as unknown as Firestore;
    const claims = who === "agent" ? { role: "agent" } : who === "admin" ? { role: "admin" } : {};
    return env.authenticatedContext(uids[who], claims).firestore() as unknown as Firestore;
  }

  const NAMES: Partial<Record<Who, string>> = { agent: "Minh", admin: "Ada Admin" };

  async function freshThread(who: Who): Promise<Ids> {
    const thread = uniqueId("rules");
    await env.withSecurityRulesDisabled(async (ctx) => {
      const db = ctx.firestore();
      await setDoc(doc(db, `threads/${thread}`), {
        status: "open",
        visitorUids: [uids.visitorA],
        origin: "web",
        unreadForAgents: 2,
        assignedTo: "agent-who-left", // no agents/{uid} any more: triage must still work
      });
      for (const w of ["agent", "admin"] as const) {
        await setDoc(doc(db, `agents/${uids[w]}`), { displayName: NAMES[w], role: w });
      }
      await setDoc(doc(db, `threads/${thread}/messages/m1`), { from: "visitor", text: "hi" });
      await setDoc(doc(db, `threads/${thread}/notes/n1`), { text: "internal" });
      await setDoc(doc(db, `threads/${thread}/followUps/agent_1`), {
        text: "Your cake is ready",
        agentUid: uids.agent,
        authorName: "Ada",
      });
      await setDoc(doc(db, "settings/business"), { name: "Test" }, { merge: true });
    });
    return { thread, me: uids[who], myName: NAMES[who] ?? "Someone" };
  }

  for (const row of MATRIX) {
    for (const who of WHO) {
      const allowed = row.allowed.includes(who);
      it(`${who} ${allowed ? "may" : "may not"} ${row.what}`, async () => {
        const ids = await freshThread(who);
        const attempt = row.op(dbFor(who), ids);
        await (allowed ? assertSucceeds(attempt) : assertFails(attempt));
      });
    }
  }
});
