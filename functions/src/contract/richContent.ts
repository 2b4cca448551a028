// Rich content in Google Business Messages' own v1 JSON: a `richCard` (one standalone card or a carousel) and an
// `image`, accepted by agentReply and stored on the message. Business Messages sends them as they are; the
// widget and the chat page show them as plain, accessible text (title, description, image with its alt
// text, chips as buttons). Limits are Google's, from the nodejs-businessmessages v1 types
// (Schema$BusinessMessagesCardContent, …CarouselCard, …ContentInfo, …Media) and reference/business-messages.md §2.1:
// - CardContent: "title … Maximum 200 characters", "description … Maximum 2000 characters" (the issue said 2,048;
//   Google's client says 2,000, and the simulator refuses more), "suggestions … Maximum 4 suggestions";
// - CarouselCard: "a minimum of 2 cards and a maximum 10 cards";
// - ContentInfo.fileUrl / thumbnailUrl: "Publicly reachable URL" (we require https: visitors' pages load them);
// - Media.height: HEIGHT_UNSPECIFIED | SHORT | MEDIUM | TALL; CarouselCard.cardWidth: CARD_WIDTH_UNSPECIFIED |
//   SMALL | MEDIUM (Business Messages REST reference enums).
import { z } from "zod";
import { Suggestion } from "./suggestions";

export const CARD_TITLE_MAX = 200;
export const CARD_DESCRIPTION_MAX = 2000;
export const CARD_SUGGESTIONS_MAX = 4;
export const CAROUSEL_MIN = 2;
export const CAROUSEL_MAX = 10;
/** Ours, not Google's (it states none): long enough for any real description of an image. */
export const ALT_TEXT_MAX = 500;
export const FILE_URL_MAX = 2048;

/** https only: the widget and the phone load these in visitors' browsers (no mixed content, no javascript:). */
export const HttpsUrl = z.url({ protocol: /^https$/, error: "an https URL is required" }).max(FILE_URL_MAX);

export const ContentInfo = z.strictObject({
  fileUrl: HttpsUrl,
  thumbnailUrl: HttpsUrl.optional(),
  altText: z.string().trim().max(ALT_TEXT_MAX).optional(),
  forceRefresh: z.boolean().optional(),
});
export type ContentInfo = z.infer<typeof ContentInfo>;

export const Media = z.strictObject({
  height: z.enum(["HEIGHT_UNSPECIFIED", "SHORT", "MEDIUM", "TALL"]).default("MEDIUM"),
  contentInfo: ContentInfo,
});

export const CardContent = z
  .strictObject({
    title: z.string().trim().min(1).max(CARD_TITLE_MAX, "card title: at most 200 characters").optional(),
    description: z
      .string()
      .trim()
      .min(1)
      .max(CARD_DESCRIPTION_MAX, "card description: at most 2,000 characters")
      .optional(),
    media: Media.optional(),
    suggestions: z.array(Suggestion).max(CARD_SUGGESTIONS_MAX, "at most 4 suggestions per card").optional(),
  })
  // An empty card shows nothing: Google's RBM CardContent says at least one of title, description or media.
  .refine((c) => c.title || c.description || c.media, "a card needs a title, a description or media");
export type CardContent = z.infer<typeof CardContent>;

export const RichCard = z.union([
  z.strictObject({ standaloneCard: z.strictObject({ cardContent: CardContent }) }),
  z.strictObject({
    carouselCard: z.strictObject({
      cardWidth: z.enum(["CARD_WIDTH_UNSPECIFIED", "SMALL", "MEDIUM"]).default("MEDIUM"),
      cardContents: z
        .array(CardContent)
        .min(CAROUSEL_MIN, "a carousel has 2 to 10 cards")
        .max(CAROUSEL_MAX, "a carousel has 2 to 10 cards"),
    }),
  }),
]);
export type RichCard = z.infer<typeof RichCard>;

export const Image = z.strictObject({ contentInfo: ContentInfo });
export type Image = z.infer<typeof Image>;

/** The cards of a rich card, in order: one for a standalone card, 2–10 for a carousel. */
export function cardsOf(card: RichCard | undefined): CardContent[] {
  if (!card) return [];
  return "standaloneCard" in card ? [card.standaloneCard.cardContent] : card.carouselCard.cardContents;
}
