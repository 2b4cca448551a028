import { NotFound } from "../domain/errors";
import { clock } from "../clock";
import { defineCallable } from "../http/callable";
import { lifecycleLogs } from "../logs";
import { exportThreadData } from "../store/erase";

/** Admins export one thread as JSON (the console downloads it). Logged with counts, never content. */
export const exportThread = defineCallable("exportThread", { roles: ["admin"] }, async ({ threadId }, admin) => {
  const data = await exportThreadData(threadId);
  if (!data) throw new NotFound(`Thread ${threadId} does not exist (erased, or never created).`);
  lifecycleLogs.exported(threadId, admin.uid, data.messages.length, data.notes.length);
  return { exportedAt: (await clock.now(threadId)).toISOString(), threadId, ...data };
});
