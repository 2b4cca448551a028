import { clock } from "../clock";
import { hashId } from "../domain/ids";
import { defineCallable } from "../http/callable";
import { logs } from "../logs";
import { addNote as storeNote } from "../store/notes";

/** An internal note on a thread, for agents only: it never reaches the visitor. */
export const addNote = defineCallable("addNote", { roles: ["agent", "admin"] }, async (input, agent) => {
  const { threadId, text, clientNoteId } = input;
  const noteId = `note_${hashId(agent.uid, clientNoteId)}`;
  const result = await storeNote(threadId, {
    id: noteId,
    text,
    authorUid: agent.uid,
    authorName: agent.name,
    createdAt: await clock.now(threadId),
  });
  logs.noteAdded(threadId, noteId, result.duplicate);
  return { noteId, duplicate: result.duplicate };
});
