import { tasksForTyping } from "../channels/businessMessages/threadEvents";
import { enqueueBmTask } from "../channels/businessMessages/tasks";
import { clock } from "../clock";
import { channelPolicies } from "../domain/channels";
import { typingReactions, type TypingReaction, type TypingWrite } from "../domain/reactions";
import { getBusinessSettings } from "../store/settings";
import { getThread } from "../store/threads";

/**
 * An agent's typing signal changed (the console writes threads/{id}/typing/agent): on a Business
 * Messages thread, the phone is told the agent started or stopped typing. Widget visitors read the
 * signal themselves. Costs 1 read (the thread) only when typing starts or stops.
 */
export async function onTypingWrite(write: TypingWrite): Promise<void> {
  for (const reaction of typingReactions(write)) await tellBmTyping(write, reaction);
}

async function tellBmTyping(write: TypingWrite, reaction: TypingReaction): Promise<void> {
  const thread = await getThread(write.threadId);
  if (!thread?.bm) return;
  const now = await clock.now(write.threadId);
  const settings = await getBusinessSettings(now.getTime());
  const tasks = tasksForTyping({
    threadId: write.threadId,
    thread,
    eventId: write.eventId,
    wasTyping: reaction.wasTyping,
    isTyping: reaction.isTyping,
    agentName: reaction.name,
    now,
    policies: channelPolicies(settings),
  });
  for (const task of tasks) await enqueueBmTask(task);
}
