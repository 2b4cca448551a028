import { strict as assert } from "node:assert";
import {
  bmMessageUuid,
  BM_TEXT_MAX,
  classifyFailure,
  representativeFor,
  splitText,
  textMessageBody,
} from "../../src/channels/businessMessages/outbound";
import { Suggestions } from "../../src/contract/suggestions";
import { bmTaskId, RetryLater, runBmTask, transitionFor } from "../../src/channels/businessMessages/tasks";
import { BmApiError, type BmApi } from "../../src/channels/businessMessages/api";

describe("Business Messages outbound", () => {
  it("message UUIDs are RFC 4122 v5, stable per (thread, message, part), distinct otherwise", () => {
    const a = bmMessageUuid("bm_t1", "agent_m1");
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(bmMessageUuid("bm_t1", "agent_m1"), a);
    assert.notEqual(bmMessageUuid("bm_t1", "agent_m1", 1), a);
    assert.notEqual(bmMessageUuid("bm_t2", "agent_m1"), a);
  });

  it("texts up to 3,072 characters go as one message", () => {
    assert.deepEqual(splitText("hello"), ["hello"]);
    const exact = "x".repeat(BM_TEXT_MAX);
    assert.deepEqual(splitText(exact), [exact]);
    assert.deepEqual(splitText("   "), []);
  });

  it("longer texts are split on a paragraph, sentence or word boundary, never over the limit, nothing lost", () => {
    const para = "word ".repeat(400).trim(); // 1999 chars
    const text = `${para}\n\n${para}`;
    const parts = splitText(text);
    assert.equal(parts.length, 2);
    assert.deepEqual(parts, [para, para]);
    const words = "lorem ipsum dolor sit amet ".repeat(300);
    const split = splitText(words);
    assert.ok(split.every((p) => p.length <= BM_TEXT_MAX));
    assert.equal(split.join(" ").replace(/\s+/g, " "), words.trim().replace(/\s+/g, " "));
    const noSpaces = "y".repeat(BM_TEXT_MAX * 2 + 5);
    assert.deepEqual(
      splitText(noSpaces).map((p) => p.length),
      [BM_TEXT_MAX, BM_TEXT_MAX, 5],
    );
  });

  it("agents speak as HUMAN with their name, automated messages as BOT", () => {
    assert.deepEqual(representativeFor("agent", "Linh"), { representativeType: "HUMAN", displayName: "Linh" });
    assert.deepEqual(representativeFor("bot", "Linh"), { representativeType: "BOT" });
    assert.deepEqual(representativeFor("system", undefined), { representativeType: "BOT" });
  });

  it("every send carries a fallback: the text, then the chips as lines; HUMANs send no live-agent chip", () => {
    const rep = { representativeType: "BOT" as const };
    assert.deepEqual(textMessageBody({ uuid: "u", text: "hi", representative: rep }), {
      messageId: "u",
      representative: rep,
      text: "hi",
      fallback: "hi",
    });
    const chips = [
      { reply: { text: "Yes", postbackData: "y" } },
      { action: { text: "Call us", postbackData: "call", dialAction: { phoneNumber: "+14155550100" } } },
      { action: { text: "Menu", postbackData: "menu", openUrlAction: { url: "https://bakery.example/menu" } } },
      { liveAgentRequest: {} },
    ];
    const withChips = textMessageBody({ uuid: "u", text: "pick one", representative: rep, suggestions: chips });
    assert.equal(withChips.fallback, "pick one\n\nYes\nCall us: +14155550100\nMenu: https://bakery.example/menu");
    assert.equal(withChips.suggestions?.length, 4);
    const human = textMessageBody({
      uuid: "u",
      text: "pick one",
      representative: { representativeType: "HUMAN" },
      suggestions: chips,
    });
    assert.equal(human.suggestions?.length, 3);
    assert.equal(
      textMessageBody({ uuid: "u", text: "x".repeat(3072), representative: rep, suggestions: chips }).fallback.length,
      3072,
    );
  });

  it("suggestions are validated against Google's limits", () => {
    const ok = Suggestions.safeParse([{ reply: { text: "Yes", postbackData: "y" } }, { liveAgentRequest: {} }]);
    assert.ok(ok.success);
    const bad = [
      Array.from({ length: 14 }, (_, i) => ({ reply: { text: `c${i}`, postbackData: "p" } })),
      [{ reply: { text: "x".repeat(26), postbackData: "p" } }],
      [{ reply: { text: "Yes", postbackData: "é".repeat(1025) } }],
      [{ action: { text: "Call", postbackData: "p", dialAction: { phoneNumber: "555-0100" } } }],
      [{ action: { text: "Go", postbackData: "p", openUrlAction: { url: "javascript:alert(1)" } } }],
      [{ action: { text: "Go", postbackData: "p" } }],
      [{ reply: { text: "Yes", postbackData: "p" }, liveAgentRequest: {} }],
    ];
    for (const b of bad) assert.equal(Suggestions.safeParse(b).success, false, JSON.stringify(b).slice(0, 80));
  });

  it("429 and 5xx are retried, but 503 and a survey's RESOURCE_EXHAUSTED are permanent", () => {
    assert.equal(classifyFailure(429).kind, "retry");
    assert.equal(classifyFailure(429, "RESOURCE_EXHAUSTED", undefined, "event").kind, "retry");
    assert.equal(classifyFailure(500).kind, "retry");
    assert.equal(classifyFailure(502).kind, "retry");
    const unavailable = classifyFailure(503, "UNAVAILABLE");
    assert.ok(unavailable.kind === "permanent" && !unavailable.unreachable);
    assert.match(unavailable.reason, /503/);
    const survey = classifyFailure(429, "RESOURCE_EXHAUSTED", "a survey was already sent", "survey");
    assert.ok(survey.kind === "permanent" && !survey.unreachable);
    assert.match(survey.reason, /24 hours/);
  });

  it("a survey refused with RESOURCE_EXHAUSTED is not retried (the task returns); an event's 429 is", async () => {
    const refusing = (status: number, googleStatus: string): BmApi => ({
      createMessage: async () => {},
      createEvent: async () => {
        throw new BmApiError(status, googleStatus, "slow down");
      },
      updateReceipt: async () => {},
      createSurvey: async () => {
        throw new BmApiError(status, googleStatus, "a survey was already sent in the last 24 hours");
      },
    });
    const ctx = { now: new Date(), retryCount: 0, api: refusing(429, "RESOURCE_EXHAUSTED") };
    await runBmTask({ kind: "survey", threadId: "t", conversationId: "c", surveyId: "s" }, ctx);
    await assert.rejects(
      runBmTask(
        {
          kind: "event",
          threadId: "t",
          conversationId: "c",
          eventId: "e",
          eventType: "TYPING_STARTED",
          representative: { representativeType: "BOT" },
        },
        ctx,
      ),
      RetryLater,
    );
  });

  it("JOINED before the first HUMAN message after BOT ones, LEFT before a BOT one after a HUMAN", () => {
    assert.equal(transitionFor(undefined, "HUMAN"), undefined);
    assert.equal(transitionFor(undefined, "BOT"), undefined);
    assert.equal(transitionFor("BOT", "BOT"), undefined);
    assert.equal(transitionFor("HUMAN", "HUMAN"), undefined);
    assert.equal(transitionFor("BOT", "HUMAN"), "REPRESENTATIVE_JOINED");
    assert.equal(transitionFor("HUMAN", "BOT"), "REPRESENTATIVE_LEFT");
  });

  it("403/404/FAILED_PRECONDITION are permanent with a readable reason; ALREADY_EXISTS means done", () => {
    assert.deepEqual(classifyFailure(409, "ALREADY_EXISTS"), { kind: "already-done" });
    const forbidden = classifyFailure(403, "PERMISSION_DENIED");
    assert.ok(forbidden.kind === "permanent" && forbidden.unreachable);
    assert.match(forbidden.reason, /403/);
    const missing = classifyFailure(404, "NOT_FOUND");
    assert.ok(missing.kind === "permanent" && missing.unreachable);
    const precondition = classifyFailure(400, "FAILED_PRECONDITION");
    assert.ok(precondition.kind === "permanent" && !precondition.unreachable);
    assert.match(precondition.reason, /cannot show/);
    const invalid = classifyFailure(400, "INVALID_ARGUMENT", "text: at most 3072 characters");
    assert.ok(invalid.kind === "permanent");
    assert.match(invalid.reason, /at most 3072/);
  });

  it("task ids derive from the work, so the same message is queued once", () => {
    const a = bmTaskId({ kind: "message", threadId: "bm_t", messageId: "m1" });
    assert.equal(bmTaskId({ kind: "message", threadId: "bm_t", messageId: "m1" }), a);
    assert.notEqual(bmTaskId({ kind: "message", threadId: "bm_t", messageId: "m2" }), a);
    assert.match(a, /^[A-Za-z0-9_-]{1,500}$/);
  });
});
