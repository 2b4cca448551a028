// Suggestion chips in Google Business Messages' own JSON (v1 `Suggestion`), accepted by agentReply and
// stored on the message: Business Messages sends them as they are, the widget shows the reply chips
// as buttons. Limits are Google's: at most 13 chips, chip text 1–25 characters, postbackData at most
// 2,048 bytes (UTF-8).
import { z } from "zod";

export const SUGGESTIONS_MAX = 13;
export const CHIP_TEXT_MAX = 25;
export const POSTBACK_MAX_BYTES = 2048;

const ChipText = z.string().trim().min(1, "chip text is empty").max(CHIP_TEXT_MAX, "chip text: at most 25 characters");
const Postback = z
  .string()
  .max(POSTBACK_MAX_BYTES)
  .refine((s) => new TextEncoder().encode(s).length <= POSTBACK_MAX_BYTES, "postbackData: at most 2,048 bytes");

const Reply = z.strictObject({ text: ChipText, postbackData: Postback });
const Action = z
  .strictObject({
    text: ChipText,
    postbackData: Postback,
    dialAction: z
      .strictObject({ phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/, "phoneNumber: E.164, e.g. +14155550100") })
      .optional(),
    openUrlAction: z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2048) }).optional(),
  })
  .refine(
    (a) => Boolean(a.dialAction) !== Boolean(a.openUrlAction),
    "action needs exactly one of dialAction, openUrlAction",
  );

export const Suggestion = z.union([
  z.strictObject({ reply: Reply }),
  z.strictObject({ action: Action }),
  z.strictObject({ liveAgentRequest: z.strictObject({}) }),
]);
export type Suggestion = z.infer<typeof Suggestion>;

export const Suggestions = z.array(Suggestion).max(SUGGESTIONS_MAX, "at most 13 suggestions");

/** The chips a visitor can answer with text on any channel (the widget shows these as buttons). */
export function replyChips(suggestions: readonly Suggestion[] | undefined): string[] {
  return (suggestions ?? []).flatMap((s) => ("reply" in s ? [s.reply.text] : []));
}
