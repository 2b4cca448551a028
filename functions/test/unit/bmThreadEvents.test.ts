import { strict as assert } from "node:assert";
import { tasksForThreadChange, type ThreadChange } from "../../src/channels/businessMessages/threadEvents";
import { newThread, type ThreadState } from "../../src/domain/thread";

const now = new Date("2026-11-26T12:00:00Z");

function bmThread(over: Partial<ThreadState> = {}, bm: Partial<NonNullable<ThreadState["bm"]>> = {}): ThreadState {
  const t = newThread({
    id: "bm_t",
    origin: "bm",
    visitor: { displayName: "V", locale: "en" },
    bm: { conversationId: "conv-1", agent: "a", ...bm },
    now,
  });
  return { ...t, lastVisitorMessageAt: new Date(now.getTime() - 3600_000), ...over };
}

function change(before: ThreadState, after: ThreadState, extra: Partial<ThreadChange> = {}): ThreadChange {
  return { threadId: "bm_t", eventId: "evt-1", before, after, now, surveyOnResolve: false, ...extra };
}

describe("Business Messages thread events", () => {
  const asked = { liveAgentRequestedAt: new Date(now.getTime() - 60_000) };

  it("an agent taking a thread that asked for a human → REPRESENTATIVE_JOINED as HUMAN with their name", () => {
    const tasks = tasksForThreadChange(
      change(bmThread({}, asked), bmThread({ assignedTo: "u1" }, asked), { agentName: "Linh" }),
    );
    assert.equal(tasks.length, 1);
    assert.ok(tasks[0]!.kind === "event");
    assert.equal(tasks[0]!.eventType, "REPRESENTATIVE_JOINED");
    assert.deepEqual(tasks[0]!.representative, { representativeType: "HUMAN", displayName: "Linh" });
    const again = tasksForThreadChange(
      change(bmThread({}, asked), bmThread({ assignedTo: "u1" }, asked), { agentName: "Linh" }),
    );
    assert.deepEqual(again, tasks, "a redelivered change yields the same event id");
  });

  it("releasing it → REPRESENTATIVE_LEFT; no event when nobody asked for a human", () => {
    const left = tasksForThreadChange(
      change(bmThread({ assignedTo: "u1" }, asked), bmThread({ assignedTo: null }, asked)),
    );
    assert.ok(left[0]?.kind === "event" && left[0].eventType === "REPRESENTATIVE_LEFT");
    assert.deepEqual(tasksForThreadChange(change(bmThread(), bmThread({ assignedTo: "u1" }))), []);
  });

  it("opening the thread (unread back to 0) → READ receipt for the visitor's last message", () => {
    const tasks = tasksForThreadChange(
      change(
        bmThread({ unreadForAgents: 2 }, { lastUserMessageId: "m-9" }),
        bmThread({ unreadForAgents: 0 }, { lastUserMessageId: "m-9" }),
      ),
    );
    assert.deepEqual(tasks, [{ kind: "receipt", threadId: "bm_t", conversationId: "conv-1", messageId: "m-9" }]);
  });

  it("resolving sends a survey only when the setting is on", () => {
    const before = bmThread();
    const after = bmThread({ status: "resolved" });
    assert.deepEqual(tasksForThreadChange(change(before, after)), []);
    const [survey] = tasksForThreadChange(change(before, after, { surveyOnResolve: true }));
    assert.equal(survey?.kind, "survey");
  });

  it("nothing once the window has closed, or for threads Business Messages cannot reach", () => {
    const old = { lastVisitorMessageAt: new Date(now.getTime() - 31 * 86_400_000) };
    assert.deepEqual(
      tasksForThreadChange(change(bmThread(old, asked), bmThread({ ...old, assignedTo: "u1" }, asked))),
      [],
    );
    const unreachable = { reach: { bm: false, push: false, email: false } };
    assert.deepEqual(
      tasksForThreadChange(change(bmThread(unreachable, asked), bmThread({ ...unreachable, assignedTo: "u1" }, asked))),
      [],
    );
  });
});
