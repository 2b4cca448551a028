import { signLink } from "../domain/resumeLinks";

/** Public URLs of the signed links (docs/reach.md): `/t/<token>` resumes, `/api/email/unsubscribe?token=` opts out. */
export function resumeUrl(publicUrl: string, key: string, threadId: string, now: Date): string {
  return `${publicUrl.replace(/\/$/, "")}/t/${signLink(key, { purpose: "resume", threadId }, { now })}`;
}

export function unsubscribeUrl(publicUrl: string, key: string, threadId: string, now: Date): string {
  const token = signLink(key, { purpose: "unsubscribe", threadId }, { now });
  return `${publicUrl.replace(/\/$/, "")}/api/email/unsubscribe?token=${encodeURIComponent(token)}`;
}

/**
 * Where the chat page sends the visitor back to the business's own site: `siteUrl` with a one-time
 * handoff code in the fragment (never sent to the business's server, never in its logs); the widget
 * loader there hands it to the chat app, which redeems it (docs/reach.md, "Back to the business's site").
 */
export const HANDOFF_FRAGMENT = "afterchat";
