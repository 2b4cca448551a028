import { strict as assert } from "node:assert";
import { callable, consoleUser, uniqueId } from "../../functions/test/support/emulators";

/** A card title that is markup: every place that shows it (widget, chat page, simulator phone) must keep it text. */
export const TART_TITLE = "Lemon tart <img src=x onerror=alert(1)>";
export const TART_IMAGE = "https://bakery.example/tart.jpg";

type Suggestion = Record<string, unknown>;

/** An agent answers the thread with `text` and a lemon tart card carrying `suggestions` (Google's v1 JSON). */
export async function replyWithTartCard(threadId: string, text: string, suggestions: Suggestion[]): Promise<void> {
  const agent = await consoleUser("agent");
  const reply = await callable(
    "agentReply",
    {
      threadId,
      text,
      clientMessageId: uniqueId("r"),
      richCard: {
        standaloneCard: {
          cardContent: {
            title: TART_TITLE,
            description: "Serves 6",
            media: { contentInfo: { fileUrl: TART_IMAGE, altText: "A lemon tart" } },
            suggestions,
          },
        },
      },
    },
    agent.idToken,
  );
  assert.equal(reply.status, 200, JSON.stringify(reply.error));
}
