import { HttpsError, onCall } from "firebase-functions/https";
import { z } from "zod";
import { REGION } from "../config";
import { hashId } from "../domain/ids";
import { MESSAGE_TEXT_MAX } from "../domain/thread";
import { systemClock } from "../domain/time";
import { parseOrInvalid, requireRole } from "../http/consoleAuth";
import { logs } from "../logs";
import { addNote as storeNote } from "../store/notes";
import { ThreadNotFound } from "../store/threads";

const AddNote = z.object({
  threadId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  text: z.string().trim().min(1, "note is empty").max(MESSAGE_TEXT_MAX),
  clientNoteId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
});

/** An internal note on a thread, for agents only: it never reaches the visitor. */
export const addNote = onCall({ region: REGION }, async (request) => {
  const caller = requireRole(request, ["agent", "admin"]);
  const { threadId, text, clientNoteId } = parseOrInvalid(AddNote, request.data);
  const noteId = `note_${hashId(caller.uid, clientNoteId)}`;
  try {
    const result = await storeNote(threadId, {
      id: noteId,
      text,
      authorUid: caller.uid,
      authorName: caller.name,
      createdAt: systemClock(),
    });
    logs.noteAdded(threadId, noteId, result.duplicate);
    return { noteId, duplicate: result.duplicate };
  } catch (err) {
    if (err instanceof ThreadNotFound) throw new HttpsError("not-found", err.message);
    throw err;
  }
});
