// Where everything lives in Firestore: the one place that knows the paths, SDK-free so the store
// (firebase-admin), the console (web SDK), the widget (REST) and the rules tests share it.
// threads/{threadId} and threads/{threadId}/messages are public contract (integrations read them).
// Each path is also its own export, so a page bundles only the ones it uses.

export const collections = {
  threads: "threads",
  messages: "messages",
  notes: "notes",
  agents: "agents",
  rateLimits: "rateLimits",
} as const;

export const threadPath = (threadId: string) => `threads/${threadId}`;
export const messagesPath = (threadId: string) => `${threadPath(threadId)}/${collections.messages}`;
/** The agent typing signal the console writes and the widget reads (never on the thread: write rate). */
export const agentTypingPath = (threadId: string) => `${threadPath(threadId)}/typing/agent`;
/** The console's heartbeat { at } (docs/console.md): each agent writes only their own (firestore.rules). */
export const agentPresencePath = (uid: string) => `${collections.agents}/${uid}/presence/console`;

// No property reads at the top level (literals instead), so a bundler drops what a page does not use.
export const paths = {
  threads: "threads",
  thread: threadPath,
  messages: messagesPath,
  message: (threadId: string, messageId: string) => `${messagesPath(threadId)}/${messageId}`,
  notes: (threadId: string) => `${threadPath(threadId)}/${collections.notes}`,
  note: (threadId: string, noteId: string) => `${threadPath(threadId)}/${collections.notes}/${noteId}`,
  /** Agents-only details of one follow-up plan (text, author, who cancelled): never on the thread. */
  followUpDetails: (threadId: string, planId: string) => `${threadPath(threadId)}/followUps/${planId}`,
  followUpPlans: (threadId: string) => `${threadPath(threadId)}/followUps`,
  agentTyping: agentTypingPath,
  /** The Business Messages visitor's typing signal. */
  visitorTyping: (threadId: string) => `${threadPath(threadId)}/signals/typing`,
  /** Business Messages deliveries seen (receipts, surveys…), keyed by Google's request id. */
  bmInbound: (threadId: string, id: string) => `${threadPath(threadId)}/bmInbound/${id}`,
  bmSendRate: (threadId: string) => `${threadPath(threadId)}/bm/sendRate`,
  /** Signed webhook bodies we could not act on, kept a few days for inspection (function-only). */
  bmUnhandled: "bmUnhandled",
  bmUnhandledEntry: (id: string) => `bmUnhandled/${id}`,
  pushSubscriptions: (threadId: string) => `${threadPath(threadId)}/pushSubscriptions`,
  pushSubscription: (threadId: string, id: string) => `${threadPath(threadId)}/pushSubscriptions/${id}`,
  /** Continuity state: what was notified, unsubscribes, the last decision. */
  reachState: (threadId: string) => `${threadPath(threadId)}/reach/state`,
  /** One agent's email alerts for the thread (when the last went, the next due): erased with the thread. */
  agentAlert: (threadId: string, uid: string) => `${threadPath(threadId)}/agentAlerts/${uid}`,
  businessSettings: "settings/business",
  agents: "agents",
  agent: (uid: string) => `${collections.agents}/${uid}`,
  agentPresence: agentPresencePath,
  leadStats: "stats/leads",
  /** How many threads were erased, and by whom: counts only, never an id or a text. */
  erasureStats: "stats/erasures",
  /** Insights: one day's counters, spread over shards (`{day}_{n}`, field `day`): a range is one query. */
  insightShards: "insightShards",
  insightShard: (day: string, shard: number) => `insightShards/${day}_${shard}`,
  /** Insights: a closed day's shards folded into one document (`{day}`, field `day`): one read per day. */
  insightDays: "insightDays",
  insightDay: (day: string) => `insightDays/${day}`,
  /** Insights: one document per counted fact (hashed id, nothing personal): a retried trigger counts once. */
  insightFact: (hash: string) => `insightFacts/${hash}`,
  rateLimit: (id: string) => `${collections.rateLimits}/${id}`,
  /** A resume link that was exchanged (keyed by a hash of its nonce: single use). Functions only. */
  linkUse: (hash: string) => `linkUses/${hash}`,
  /** A one-time code for the business's own site (keyed by its hash). Functions only. */
  handoffCode: (hash: string) => `handoffCodes/${hash}`,
  /** A new email address asked for from a link device, until the new address confirms it. Functions only. */
  emailChange: (hash: string) => `emailChanges/${hash}`,
} as const;

/**
 * The emulator-only dev clock (devFollowUps): never read or written when deployed. Outside `paths`,
 * which the console bundles whole, so the production site never names it.
 */
export const devClockPath = "dev/clock";
