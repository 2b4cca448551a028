import { strict as assert } from "node:assert";
import {
  BM_TEXT_MAX,
  bmParts,
  cardFallback,
  imageFallback,
  partBody,
  representativeFor,
} from "../../src/channels/businessMessages/outbound";
import { CardContent, Image, RichCard } from "../../src/contract/richContent";
import { callables } from "../../src/contract/callables";
import { CannedReply } from "../../src/contract/settings";

const IMG = "https://example.com/cake.jpg";
const card = (over: Record<string, unknown> = {}) => ({
  title: "Chocolate cake",
  description: "Serves 8",
  media: { height: "MEDIUM", contentInfo: { fileUrl: IMG, altText: "A chocolate cake" } },
  suggestions: [{ reply: { text: "Order it", postbackData: "order" } }],
  ...over,
});
const errorOf = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? "" : r.error!.issues.map((i) => i.message).join("; ");

describe("Business Messages rich content (Google's v1 RichCard and Image)", () => {
  it("a card within Google's limits parses; title 200, description 2,000, 4 chips are the edges", () => {
    assert.ok(CardContent.safeParse(card()).success);
    assert.ok(CardContent.safeParse(card({ title: "t".repeat(200), description: "d".repeat(2000) })).success);
    assert.match(errorOf(CardContent.safeParse(card({ title: "t".repeat(201) }))), /title: at most 200/);
    assert.match(errorOf(CardContent.safeParse(card({ description: "d".repeat(2001) }))), /description: at most 2,000/);
    const chips = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ reply: { text: `c${i}`, postbackData: `p${i}` } }));
    assert.ok(CardContent.safeParse(card({ suggestions: chips(4) })).success);
    assert.match(errorOf(CardContent.safeParse(card({ suggestions: chips(5) }))), /at most 4 suggestions per card/);
    // Chip limits are the message's: 25 characters.
    assert.ok(
      !CardContent.safeParse(card({ suggestions: [{ reply: { text: "x".repeat(26), postbackData: "" } }] })).success,
    );
  });

  it("a card needs a title, description or media; unknown keys and bad heights are refused", () => {
    assert.match(errorOf(CardContent.safeParse({})), /needs a title, a description or media/);
    assert.ok(CardContent.safeParse({ media: { contentInfo: { fileUrl: IMG } } }).success);
    assert.equal(CardContent.parse({ media: { contentInfo: { fileUrl: IMG } } }).media?.height, "MEDIUM");
    assert.ok(!CardContent.safeParse(card({ html: "<b>x</b>" })).success);
    assert.ok(!CardContent.safeParse(card({ media: { height: "HUGE", contentInfo: { fileUrl: IMG } } })).success);
  });

  it("file and thumbnail URLs must be https (no http, javascript: or data:)", () => {
    for (const fileUrl of ["http://example.com/a.jpg", "javascript:alert(1)", "data:image/png;base64,AA", "/a.jpg"])
      assert.ok(!Image.safeParse({ contentInfo: { fileUrl } }).success, fileUrl);
    assert.ok(!Image.safeParse({ contentInfo: { fileUrl: IMG, thumbnailUrl: "http://example.com/t.jpg" } }).success);
    assert.ok(Image.safeParse({ contentInfo: { fileUrl: IMG, thumbnailUrl: IMG, forceRefresh: true } }).success);
  });

  it("a carousel has 2 to 10 cards and exactly one of standaloneCard / carouselCard", () => {
    const carousel = (n: number) => ({ carouselCard: { cardWidth: "MEDIUM", cardContents: Array(n).fill(card()) } });
    assert.ok(!RichCard.safeParse(carousel(1)).success);
    assert.ok(RichCard.safeParse(carousel(2)).success);
    assert.ok(RichCard.safeParse(carousel(10)).success);
    assert.ok(!RichCard.safeParse(carousel(11)).success);
    assert.ok(!RichCard.safeParse({ ...carousel(2), standaloneCard: { cardContent: card() } }).success);
    assert.ok(RichCard.safeParse({ standaloneCard: { cardContent: card() } }).success);
  });

  it("agentReply takes an optional richCard and image next to its text", () => {
    const base = { threadId: "bm_t1", text: "Here it is", clientMessageId: "client-msg-1" };
    assert.ok(callables.agentReply.request.safeParse(base).success);
    assert.ok(
      callables.agentReply.request.safeParse({ ...base, richCard: { standaloneCard: { cardContent: card() } } })
        .success,
    );
    assert.ok(callables.agentReply.request.safeParse({ ...base, image: { contentInfo: { fileUrl: IMG } } }).success);
    assert.ok(
      !callables.agentReply.request.safeParse({ ...base, image: { contentInfo: { fileUrl: "http://x.test/a" } } })
        .success,
    );
  });

  it("the fallback is derived from the content: title, description and chip texts; a carousel card by card", () => {
    const one = RichCard.parse({ standaloneCard: { cardContent: card() } });
    assert.equal(cardFallback(one), "Chocolate cake\nServes 8\nOrder it");
    const two = RichCard.parse({
      carouselCard: {
        cardContents: [
          card(),
          card({
            title: "Lemon tart",
            description: undefined,
            suggestions: [
              { action: { text: "Call us", postbackData: "call", dialAction: { phoneNumber: "+14155550100" } } },
            ],
          }),
        ],
      },
    });
    assert.equal(
      cardFallback(two, [{ reply: { text: "Something else", postbackData: "else" } }]),
      "Chocolate cake\nServes 8\nOrder it\n\nLemon tart\nCall us: +14155550100\n\nSomething else",
    );
    assert.equal(imageFallback(Image.parse({ contentInfo: { fileUrl: IMG, altText: "A cake" } })), `A cake: ${IMG}`);
    assert.equal(imageFallback(Image.parse({ contentInfo: { fileUrl: IMG } })), `Image: ${IMG}`);
    // Ten long cards still fit Google's fallback limit.
    const long = card({ title: "t".repeat(200), description: "d".repeat(2000) });
    const big = RichCard.parse({ carouselCard: { cardContents: Array(10).fill(long) } });
    assert.ok(cardFallback(big).length <= BM_TEXT_MAX);
  });

  it("text, image and card go as separate messages in reading order; chips on the last; each has a fallback", () => {
    const richCard = RichCard.parse({
      standaloneCard: {
        cardContent: card({ suggestions: [{ liveAgentRequest: {} }, { reply: { text: "Yes", postbackData: "y" } }] }),
      },
    });
    const image = Image.parse({ contentInfo: { fileUrl: IMG } });
    const suggestions = [{ reply: { text: "Later", postbackData: "later" } }];
    const parts = bmParts({ text: "Our cake:", richCard, imageContent: image, suggestions });
    assert.deepEqual(
      parts.map((p) => Object.keys(p)[0]),
      ["text", "image", "richCard"],
    );
    const human = representativeFor("agent", "Ann");
    const bodies = parts.map((part, i) =>
      partBody({ uuid: `u${i}`, part, last: i === parts.length - 1, representative: human, suggestions }),
    );
    for (const b of bodies) {
      const contents = ["text", "image", "richCard"].filter((k) => k in b);
      assert.equal(contents.length, 1);
      assert.ok(b.fallback.length > 0);
    }
    assert.equal(bodies[0]!.suggestions, undefined);
    assert.deepEqual(bodies[2]!.suggestions, suggestions);
    // A HUMAN's card loses its live-agent chip (Google refuses it from anyone but a BOT).
    const sent = bodies[2]!.richCard as { standaloneCard: { cardContent: { suggestions: unknown[] } } };
    assert.deepEqual(sent.standaloneCard.cardContent.suggestions, [{ reply: { text: "Yes", postbackData: "y" } }]);
    assert.equal(bodies[2]!.fallback, "Chocolate cake\nServes 8\nYes\n\nLater");
  });

  it("an agent's https avatar goes as representative.avatarImage; BOTs and http URLs carry none", () => {
    const a = "https://bakery.example/avatar.png";
    assert.deepEqual(representativeFor("agent", "Ann", a), {
      representativeType: "HUMAN",
      displayName: "Ann",
      avatarImage: a,
    });
    assert.deepEqual(representativeFor("agent", "Ann", "http://x.test/a.png"), {
      representativeType: "HUMAN",
      displayName: "Ann",
    });
    assert.deepEqual(representativeFor("bot", undefined, a), { representativeType: "BOT" });
    const set = (avatarUrl: unknown) =>
      callables.manageAgents.request.safeParse({ action: "setAvatar", uid: "u1", avatarUrl }).success;
    assert.ok(set(a));
    assert.ok(set(null));
    assert.ok(!set("http://x.test/a.png"));
  });

  it("canned replies hold chips and a card with agentReply's limits", () => {
    const canned = (extra: Record<string, unknown>) =>
      CannedReply.safeParse({ shortcut: "cake", text: "Our cake", ...extra }).success;
    assert.ok(canned({ suggestions: [{ reply: { text: "Order", postbackData: "o" } }] }));
    assert.ok(canned({ richCard: { standaloneCard: { cardContent: card() } } }));
    assert.ok(!canned({ suggestions: [{ reply: { text: "x".repeat(26), postbackData: "o" } }] }));
    assert.ok(!canned({ richCard: { standaloneCard: { cardContent: card({ title: "t".repeat(201) }) } } }));
  });
});
