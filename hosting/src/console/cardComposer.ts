// The composer's card: title, description, image URL and up to 4 reply chips, turned into Google's
// Business Messages `richCard` JSON for agentReply (functions/src/contract/richContent.ts checks it
// again with zod; these checks only give the agent a readable message before sending).
import type { RichCard } from "../../../functions/src/contract/richContent";

export interface CardFields {
  title: string;
  description: string;
  imageUrl: string;
  chips: string;
}

type ReplyChip = { reply: { text: string; postbackData: string } };

/** Comma-separated chip texts; each chip's text is also its postbackData (the answer reads the same everywhere). */
export function replyChipList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function cardFrom(f: CardFields): { richCard?: RichCard; error?: string } {
  const title = f.title.trim();
  const description = f.description.trim();
  const imageUrl = f.imageUrl.trim();
  const chips = replyChipList(f.chips);
  if (!title && !description && !imageUrl)
    return chips.length ? { error: "A card needs a title, a description or an image." } : {};
  if (title.length > 200) return { error: "The card title is over 200 characters." };
  if (description.length > 2000) return { error: "The card description is over 2,000 characters." };
  if (imageUrl && !/^https:\/\/\S+$/.test(imageUrl)) return { error: "The card image needs an https:// URL." };
  if (chips.length > 4) return { error: "A card has at most 4 chips." };
  const long = chips.find((c) => c.length > 25);
  if (long) return { error: `Card chip "${long.slice(0, 30)}" is over 25 characters.` };
  const suggestions: ReplyChip[] = chips.map((text) => ({ reply: { text, postbackData: text } }));
  return {
    richCard: {
      standaloneCard: {
        cardContent: {
          ...(title ? { title } : {}),
          ...(description ? { description } : {}),
          ...(imageUrl
            ? { media: { height: "MEDIUM", contentInfo: { fileUrl: imageUrl, ...(title ? { altText: title } : {}) } } }
            : {}),
          ...(suggestions.length ? { suggestions } : {}),
        },
      },
    },
  };
}

/** A standalone card back into the composer's fields (a canned reply's card); a carousel has no fields. */
export function fieldsOf(card: RichCard | undefined): CardFields | undefined {
  if (!card || !("standaloneCard" in card)) return undefined;
  const c = card.standaloneCard.cardContent;
  return {
    title: c.title ?? "",
    description: c.description ?? "",
    imageUrl: c.media?.contentInfo.fileUrl ?? "",
    chips: (c.suggestions ?? []).flatMap((s) => ("reply" in s ? [s.reply.text] : [])).join(", "),
  };
}
