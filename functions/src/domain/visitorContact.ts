import type { Channel, ChannelPolicy } from "./channels";
import { computeWindows, type ThreadState } from "./thread";

/** The wording the visitor agreed to, versioned so a stored consent says exactly what was shown. */
export const EMAIL_CONSENT_VERSION = "email-reply-v1";

export interface EmailConsent {
  email: string;
  locale: string;
  at: Date;
}

/**
 * "Get the reply by email": the thread can now be reached by email (continuity), and records
 * which consent text was accepted and when.
 */
export function withVisitorEmail(
  thread: ThreadState,
  consent: EmailConsent,
  policies?: Record<Channel, ChannelPolicy>,
): ThreadState & { consent: { email: { version: string; at: Date; locale: string } } } {
  const next = {
    ...thread,
    visitor: { ...thread.visitor, email: consent.email },
    reach: { ...thread.reach, email: true },
    consent: { email: { version: EMAIL_CONSENT_VERSION, at: consent.at, locale: consent.locale } },
  };
  next.windows = computeWindows(next, policies);
  return next;
}
