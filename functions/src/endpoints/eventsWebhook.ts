import { onMessagePublished } from "firebase-functions/pubsub";
import { EVENTS_TOPIC, EVENTS_WEBHOOK_SECRET, EVENTS_WEBHOOK_URL, REGION } from "../config";
import { EVENT_TYPES, type AfterchatEvent } from "../domain/events";
import { postEvent } from "../events/webhook";
import { followUpLogs } from "../logs";

/**
 * The optional outgoing webhook: every event on `afterchat-events`, signed, to the business's
 * HTTPS endpoint. Off the chat path entirely (a Pub/Sub subscriber); a failed delivery throws so
 * Pub/Sub retries it with backoff.
 */
export const eventsWebhook = onMessagePublished(
  { region: REGION, topic: EVENTS_TOPIC, secrets: [EVENTS_WEBHOOK_SECRET], retry: true, timeoutSeconds: 60 },
  async (message) => {
    const url = EVENTS_WEBHOOK_URL.value();
    if (!url) return;
    let event: AfterchatEvent | undefined;
    try {
      event = message.data.message.json as AfterchatEvent;
    } catch {
      event = undefined;
    }
    if (!event?.id || !EVENT_TYPES.includes(event.type)) {
      followUpLogs.webhookFailed(String(event?.id ?? "unknown"), "not an Afterchat event; dropped");
      return;
    }
    const result = await postEvent({ url, secret: EVENTS_WEBHOOK_SECRET.value() }, event);
    if (result.delivered) return;
    followUpLogs.webhookFailed(event.id, result.status);
    // A receiver that refuses the event (4xx) will refuse it again: drop it rather than retry for days.
    if (!result.permanent) throw new Error(`event webhook: ${result.status}`);
  },
);
