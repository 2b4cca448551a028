import type { Topic } from "@google-cloud/pubsub";
import { EVENTS_TOPIC } from "../config";
import type { AfterchatEvent } from "../domain/events";
import { followUpLogs } from "../logs";

let topic: Promise<Topic> | undefined;

/**
 * Loaded on first use so functions that never publish don't pay for the client at cold start.
 * The client finds PUBSUB_EMULATOR_HOST by itself under the emulator.
 */
function eventsTopic(): Promise<Topic> {
  topic ??= import("@google-cloud/pubsub").then(({ PubSub }) => new PubSub().topic(EVENTS_TOPIC));
  return topic;
}

/** Publishes each event as JSON, with its type, version and id as attributes (subscription filters use them). */
export async function publishEvents(events: AfterchatEvent[]): Promise<void> {
  if (events.length === 0) return;
  const t = await eventsTopic();
  await Promise.all(
    events.map((e) =>
      t.publishMessage({
        json: e,
        attributes: { type: e.type, version: String(e.version), eventId: e.id, threadId: e.threadId },
      }),
    ),
  );
  followUpLogs.eventsPublished(
    events.length,
    events.map((e) => e.type),
  );
}
