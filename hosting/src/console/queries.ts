// Every Firestore query the console runs, as plain data. The console builds its listeners from
// these specs, and hosting/test/console-indexes.test.ts checks each one against
// firestore.indexes.json (the emulator does not enforce indexes; production does).
import { collections, paths } from "../../../functions/src/contract/paths";

export const STATUSES = ["open", "pending", "snoozed", "resolved"] as const;
export type Status = (typeof STATUSES)[number];
export const ASSIGNEES = ["mine", "unassigned", "all"] as const;
export type Assignee = (typeof ASSIGNEES)[number];

export const INBOX_PAGE = 50;
export const UNREAD_CAP = 200;
export const MESSAGES_LIMIT = 100;
export const NOTES_LIMIT = 100;

export type Value = string | number | null;
export interface QuerySpec {
  /** Collection id (the last segment of the path); the index's collectionGroup. */
  collection: string;
  /** Full path of the collection queried. */
  path: string;
  where: Array<{ field: string; op: "==" | ">"; value: Value }>;
  orderBy: Array<{ field: string; direction: "asc" | "desc" }>;
  limit?: number;
}

export interface InboxFilter {
  status: Status;
  assignee: Assignee;
}

/** The inbox: one status, optionally one assignee, newest activity first, one page at a time. */
export function inboxQuery(filter: InboxFilter, uid: string, limit = INBOX_PAGE): QuerySpec {
  const where: QuerySpec["where"] = [{ field: "status", op: "==", value: filter.status }];
  if (filter.assignee === "mine") where.push({ field: "assignedTo", op: "==", value: uid });
  if (filter.assignee === "unassigned") where.push({ field: "assignedTo", op: "==", value: null });
  return {
    collection: collections.threads,
    path: paths.threads,
    where,
    orderBy: [{ field: "lastActivityAt", direction: "desc" }],
    limit,
  };
}

/**
 * Threads with unread visitor messages, most recently active first (capped): the unread counts, the title
 * badge and notifications. Newest first, so a new visitor's thread is always inside the cap.
 */
export function unreadQuery(): QuerySpec {
  return {
    collection: collections.threads,
    path: paths.threads,
    where: [{ field: "unreadForAgents", op: ">", value: 0 }],
    orderBy: [{ field: "lastActivityAt", direction: "desc" }],
    limit: UNREAD_CAP,
  };
}

/** The newest messages of one open thread (never a listener across threads). */
export function messagesQuery(threadId: string): QuerySpec {
  return {
    collection: collections.messages,
    path: paths.messages(threadId),
    where: [],
    orderBy: [{ field: "createdAt", direction: "desc" }],
    limit: MESSAGES_LIMIT,
  };
}

export function notesQuery(threadId: string): QuerySpec {
  return {
    collection: collections.notes,
    path: paths.notes(threadId),
    where: [],
    orderBy: [{ field: "createdAt", direction: "desc" }],
    limit: NOTES_LIMIT,
  };
}

export function agentsQuery(): QuerySpec {
  return { collection: collections.agents, path: paths.agents, where: [], orderBy: [], limit: 500 };
}

/** Every query shape the console can run (for the index test). */
export function allConsoleQueries(): QuerySpec[] {
  const inbox = STATUSES.flatMap((status) => ASSIGNEES.map((assignee) => inboxQuery({ status, assignee }, "some-uid")));
  return [...inbox, unreadQuery(), messagesQuery("t"), notesQuery("t"), agentsQuery()];
}

export interface IndexField {
  fieldPath: string;
  order?: "ASCENDING" | "DESCENDING";
  arrayConfig?: string;
}
export interface CompositeIndex {
  collectionGroup: string;
  queryScope: string;
  fields: IndexField[];
}

/**
 * Does this query need a composite index, and does one of `indexes` serve it? Single-field
 * queries and equality-only queries are served by Firestore's automatic single-field indexes;
 * anything else needs the equality fields first (any order), then the inequality and order fields.
 */
export function indexFor(
  spec: QuerySpec,
  indexes: CompositeIndex[],
): { needed: false } | { needed: true; found: boolean } {
  const equality = spec.where.filter((w) => w.op === "==").map((w) => w.field);
  const ordered = [
    ...spec.orderBy.map((o) => ({ field: o.field, order: o.direction === "asc" ? "ASCENDING" : "DESCENDING" })),
  ];
  // Firestore orders by every inequality field too: those not in orderBy are appended by name, in the
  // direction of the last order given (ascending when none is).
  const lastOrder = ordered.length ? ordered[ordered.length - 1].order : "ASCENDING";
  const inequalities = spec.where.filter((w) => w.op !== "==").map((w) => w.field);
  for (const field of [...new Set(inequalities)].sort()) {
    if (!ordered.some((o) => o.field === field)) ordered.push({ field, order: lastOrder });
  }
  const fields = new Set([...equality, ...ordered.map((o) => o.field)]);
  if (fields.size <= 1 || ordered.length === 0) return { needed: false };
  const found = indexes.some((index) => {
    if (index.collectionGroup !== spec.collection || index.queryScope !== "COLLECTION") return false;
    if (index.fields.length !== equality.length + ordered.length) return false;
    const head = index.fields
      .slice(0, equality.length)
      .map((f) => f.fieldPath)
      .sort();
    const tail = index.fields.slice(equality.length);
    return (
      head.join() === [...equality].sort().join() &&
      tail.every((f, i) => f.fieldPath === ordered[i].field && f.order === ordered[i].order)
    );
  });
  return { needed: true, found };
}
