import { tasksForTyping } from "../channels/businessMessages/threadEvents";
import { enqueueBmTask } from "../channels/businessMessages/tasks";
import { channelPolicies } from "../domain/channels";
import { systemClock } from "../domain/time";
import { getBusinessSettings } from "../store/settings";
import { getThread } from "../store/threads";

export interface TypingWrite {
  threadId: string;
  before?: { until?: Date; name?: string };
  after?: { until?: Date; name?: string };
  eventId: string;
  at: Date;
}

const typingAt = (signal: TypingWrite["before"], at: Date) =>
  Boolean(signal?.until && signal.until.getTime() > at.getTime());

/**
 * An agent's typing signal changed (the console writes threads/{id}/typing/agent): on a Business
 * Messages thread, the phone is told the agent started or stopped typing. Widget visitors read the
 * signal themselves. Costs 1 read (the thread) only when typing starts or stops.
 */
export async function onTypingWrite(write: TypingWrite): Promise<void> {
  const wasTyping = typingAt(write.before, write.at);
  const isTyping = typingAt(write.after, write.at);
  if (wasTyping === isTyping) return;
  const thread = await getThread(write.threadId);
  if (!thread?.bm) return;
  const now = systemClock();
  const settings = await getBusinessSettings(now.getTime());
  const tasks = tasksForTyping({
    threadId: write.threadId,
    thread,
    eventId: write.eventId,
    wasTyping,
    isTyping,
    agentName: write.after?.name ?? write.before?.name,
    now,
    policies: channelPolicies(settings),
  });
  for (const task of tasks) await enqueueBmTask(task);
}
