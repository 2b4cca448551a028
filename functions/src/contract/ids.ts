import { z } from "zod";
import { ID_PATTERN } from "./patterns";

export const ThreadId = z.string().regex(ID_PATTERN, "threadId is malformed");
export type ThreadId = z.infer<typeof ThreadId>;
export const MessageId = z.string().regex(ID_PATTERN, "messageId is malformed");

/** Chosen by the client per send, so a retried send is stored once. */
export const ClientId = (field: string) =>
  z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, `${field} must be 8-64 letters, digits, - or _`);

/** A BCP 47 language tag, as browsers and Google send it. */
export const Locale = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/, "locale must be a language tag");
