/**
 * Messages between the push window (/push/?thread=<id>, top-level on our origin) and the widget
 * that opened it. The window needs the visitor's ID token to store a subscription for their thread;
 * the widget's storage may be partitioned away from this window (third-party iframe), so it asks.
 */
export const PUSH_WINDOW_PATH = "/push/";
export type PushWindowMessage =
  | { type: "afterchat:push:need-token"; threadId: string }
  | { type: "afterchat:push:token"; threadId: string; idToken: string }
  | { type: "afterchat:push:done"; threadId: string; result: "subscribed" | "denied" | "unsupported" | "failed" };
