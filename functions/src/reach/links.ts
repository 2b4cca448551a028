import { signLink } from "../domain/resumeLinks";

/** Public URLs of the signed links (docs/reach.md): `/t/<token>` resumes, `/api/email/unsubscribe?token=` opts out. */
export function resumeUrl(publicUrl: string, key: string, threadId: string, now: Date): string {
  return `${publicUrl.replace(/\/$/, "")}/t/${signLink(key, { purpose: "resume", threadId }, { now })}`;
}

export function unsubscribeUrl(publicUrl: string, key: string, threadId: string, now: Date): string {
  const token = signLink(key, { purpose: "unsubscribe", threadId }, { now });
  return `${publicUrl.replace(/\/$/, "")}/api/email/unsubscribe?token=${encodeURIComponent(token)}`;
}
