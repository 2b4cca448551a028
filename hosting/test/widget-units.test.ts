import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { format, pickLanguage } from "../src/widget/i18n/index";
import { en } from "../src/widget/i18n/en";
import { vi } from "../src/widget/i18n/vi";
import { cardFrom, fieldsOf } from "../src/console/cardComposer";
import { cardViewsOf, safeHttps } from "../src/widget/cards";
import { linkify } from "../src/widget/linkify";
import { textOn } from "../src/widget/protocol";

describe("widget pieces (no browser)", () => {
  it("links only http(s) URLs and leaves sentence punctuation outside", () => {
    assert.deepEqual(linkify("see https://example.com/a?b=1. ok"), [
      { text: "see " },
      { text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { text: ". ok" },
    ]);
    assert.deepEqual(linkify("javascript:alert(1) data:text/html,<b>x</b> ftp://x"), [
      { text: "javascript:alert(1) data:text/html,<b>x</b> ftp://x" },
    ]);
    assert.deepEqual(
      linkify(`<a href="http://x.test/">`).filter((s) => "href" in s),
      [{ text: "http://x.test/", href: "http://x.test/" }],
    );
  });

  it("reads a stored card defensively: https links only, chips by kind, alt text for images", () => {
    assert.equal(safeHttps("javascript:alert(1)"), undefined);
    assert.equal(safeHttps("http://x.test/a.jpg"), undefined);
    assert.equal(safeHttps("https://x.test/a.jpg"), "https://x.test/a.jpg");
    const views = cardViewsOf(
      {
        standaloneCard: {
          cardContent: {
            title: "<img src=x onerror=alert(1)>",
            description: "Serves 8",
            media: { contentInfo: { fileUrl: "javascript:alert(1)" } },
            suggestions: [
              { reply: { text: "Order it", postbackData: "o" } },
              { action: { text: "Menu", postbackData: "m", openUrlAction: { url: "data:text/html,x" } } },
              { action: { text: "Call", postbackData: "c", dialAction: { phoneNumber: "+1 415-555-0100" } } },
            ],
          },
        },
      },
      { contentInfo: { fileUrl: "https://x.test/cake.jpg" } },
    );
    assert.deepEqual(views, [
      { image: { url: "https://x.test/cake.jpg", alt: "Image" }, chips: [] },
      {
        title: "<img src=x onerror=alert(1)>",
        description: "Serves 8",
        image: undefined,
        chips: [
          { text: "Order it", kind: "reply" },
          { text: "Call", kind: "tel", target: "tel:+14155550100" },
        ],
      },
    ]);
    assert.deepEqual(cardViewsOf("nonsense", 42), []);
  });

  it("picks the language from the attribute, then the browser, else English", () => {
    assert.equal(pickLanguage("vi", ["en-US"]), "vi");
    assert.equal(pickLanguage(null, ["fr-FR", "vi-VN"]), "vi");
    assert.equal(pickLanguage("de", ["de-DE"]), "en");
    assert.equal(format(en.typing, { name: "Minh" }), "Minh is typing…");
    assert.deepEqual(Object.keys(vi).sort(), Object.keys(en).sort());
  });

  it("chooses launcher text colour by contrast", () => {
    assert.equal(textOn("#9a3412"), "#fff");
    assert.equal(textOn("#ffd43b"), "#000");
    assert.equal(textOn("#fff"), "#000");
  });

  it("the build measured the widget within budget (loader ≤ 3 KB, opened ≤ 60 KB, chat page ≤ 30 KB gzipped)", () => {
    const budgets = JSON.parse(readFileSync(new URL("../dist/widget-budgets.json", import.meta.url), "utf8")) as {
      name: string;
      gzip: number;
      maxGzip: number;
      ok: boolean;
    }[];
    assert.equal(budgets.length, 3);
    const chatPage = budgets.find((b) => b.name.startsWith("chat page"));
    assert.ok(chatPage && chatPage.maxGzip === 30 * 1024, "the chat page behind reply links has its 30 KB budget");
    for (const b of budgets) assert.ok(b.ok && b.gzip <= b.maxGzip && b.gzip > 500, `${b.name}: ${b.gzip} B`);
  });
});

describe("console card composer (no browser)", () => {
  const empty = { title: "", description: "", imageUrl: "", chips: "" };
  it("builds Google's standalone card from the fields, with the title as the image's alt text", () => {
    assert.deepEqual(cardFrom(empty), {});
    assert.deepEqual(
      cardFrom({ title: " Cake ", description: "Serves 8", imageUrl: "https://x.test/c.jpg", chips: "Order, Ask" }),
      {
        richCard: {
          standaloneCard: {
            cardContent: {
              title: "Cake",
              description: "Serves 8",
              media: { height: "MEDIUM", contentInfo: { fileUrl: "https://x.test/c.jpg", altText: "Cake" } },
              suggestions: [
                { reply: { text: "Order", postbackData: "Order" } },
                { reply: { text: "Ask", postbackData: "Ask" } },
              ],
            },
          },
        },
      },
    );
  });

  it("says what is wrong before sending: http image, 5 chips, long title, chips without a card", () => {
    assert.match(cardFrom({ ...empty, title: "t", imageUrl: "http://x.test/a.jpg" }).error!, /https/);
    assert.match(cardFrom({ ...empty, title: "t", chips: "a,b,c,d,e" }).error!, /at most 4/);
    assert.match(cardFrom({ ...empty, title: "t".repeat(201) }).error!, /200/);
    assert.match(cardFrom({ ...empty, chips: "a" }).error!, /needs a title/);
    assert.deepEqual(fieldsOf(cardFrom({ ...empty, title: "T", chips: "a, b" }).richCard), {
      ...empty,
      title: "T",
      chips: "a, b",
    });
  });
});
