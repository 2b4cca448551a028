/**
 * The continuity email: the business name, every unseen reply as ESCAPED text (a reply can hold
 * anything an agent pasted; it is never HTML), a resume link and an unsubscribe link, with a
 * plain-text part. Pure: no I/O, unit-tested.
 */
export interface ContinuityEmailInput {
  businessName: string;
  visitorName?: string;
  replies: { authorName?: string; text: string; createdAt: Date }[];
  resumeUrl: string;
  unsubscribeUrl: string;
  locale?: string;
  /** settings/business.hours.timeZone: times are shown in it, and it is named. */
  timeZone?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  /** RFC 8058 one-click unsubscribe headers. */
  headers: Record<string, string>;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Control characters but tab and line feed (C0, DEL, C1): a terminal mail reader would act on ANSI escapes. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Reply text for an email: CR LF and lone CR become LF, other control characters go. */
export function emailText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(CONTROL, "");
}

/** Header-safe single line (no CR/LF injection into Subject or From, no control characters). */
export function headerText(text: string, max = 78): string {
  const flat = text
    .replace(/[\r\n\t]+/g, " ")
    .replace(CONTROL, "")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * A reply's time in the business's zone, naming the zone ("2 Dec 2026, 10:15 GMT+7 (Asia/Ho_Chi_Minh)"):
 * the visitor may be elsewhere, so the zone is always said. UTC when the business set none.
 */
export function when(at: Date, locale = "en", timeZone = "UTC"): string {
  try {
    const local = at.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
    const zone =
      new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" })
        .formatToParts(at)
        .find((p) => p.type === "timeZoneName")?.value ?? timeZone;
    return zone === timeZone ? `${local} ${zone}` : `${local} ${zone} (${timeZone})`;
  } catch {
    return at.toISOString();
  }
}

export function renderContinuityEmail(input: ContinuityEmailInput): RenderedEmail {
  const business = headerText(input.businessName, 60) || "Us";
  const count = input.replies.length;
  const subject = headerText(
    count === 1 ? `${business} replied to your message` : `${business} sent you ${count} replies`,
  );
  const greeting = input.visitorName ? `Hi ${headerText(input.visitorName, 40)},` : "Hi,";

  const textReplies = input.replies
    .map(
      (r) =>
        `${r.authorName ? `${headerText(r.authorName, 40)} · ` : ""}${when(r.createdAt, input.locale, input.timeZone)}\n${emailText(r.text)}`,
    )
    .join("\n\n---\n\n");
  const text = [
    greeting,
    "",
    `${business} answered while you were away:`,
    "",
    textReplies,
    "",
    `Continue the conversation: ${input.resumeUrl}`,
    "",
    "--",
    `You get this email because you asked ${business} to email you their reply.`,
    `Stop these emails: ${input.unsubscribeUrl}`,
  ].join("\n");

  const htmlReplies = input.replies
    .map(
      (r) =>
        `<div style="margin:0 0 16px;padding:12px 14px;background:#f4f4f5;border-radius:10px">` +
        `<div style="font-size:12px;color:#52525b;margin-bottom:4px">${escapeHtml(r.authorName ? `${headerText(r.authorName, 40)} · ` : "")}${escapeHtml(when(r.createdAt, input.locale, input.timeZone))}</div>` +
        `<div style="white-space:pre-wrap;word-wrap:break-word">${escapeHtml(emailText(r.text))}</div></div>`,
    )
    .join("");
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="margin:0;padding:24px;font:15px/1.5 system-ui,sans-serif;color:#18181b">` +
    `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(business)} answered while you were away:</p>${htmlReplies}` +
    `<p><a href="${escapeHtml(input.resumeUrl)}" style="display:inline-block;padding:10px 16px;background:#9a3412;color:#fff;border-radius:8px;text-decoration:none">Continue the conversation</a></p>` +
    `<p style="font-size:12px;color:#71717a">You get this email because you asked ${escapeHtml(business)} to email you their reply. ` +
    `<a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#71717a">Stop these emails</a>.</p></body></html>`;

  return {
    subject,
    text,
    html,
    headers: { "List-Unsubscribe": `<${input.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

/**
 * "Send me a fresh link": asked from the page an old or used link opened. It goes only to the address
 * already on file for the thread, and says nothing the thread's own emails would not.
 */
export function renderFreshLinkEmail(input: {
  businessName: string;
  resumeUrl: string;
  unsubscribeUrl: string;
}): RenderedEmail {
  const business = headerText(input.businessName, 60) || "Us";
  const subject = headerText(`Your link to the conversation with ${business}`);
  const text = [
    "Hi,",
    "",
    `You asked for a fresh link to your conversation with ${business}. It opens the conversation on one device:`,
    "",
    input.resumeUrl,
    "",
    "If you did not ask for it, you can ignore this email.",
    "",
    "--",
    `Stop emails about this conversation: ${input.unsubscribeUrl}`,
  ].join("\n");
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="margin:0;padding:24px;font:15px/1.5 system-ui,sans-serif;color:#18181b">` +
    `<p>Hi,</p><p>You asked for a fresh link to your conversation with ${escapeHtml(business)}. It opens the conversation on one device.</p>` +
    `<p><a href="${escapeHtml(input.resumeUrl)}" style="display:inline-block;padding:10px 16px;background:#9a3412;color:#fff;border-radius:8px;text-decoration:none">Open the conversation</a></p>` +
    `<p>If you did not ask for it, you can ignore this email.</p>` +
    `<p style="font-size:12px;color:#71717a"><a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#71717a">Stop these emails</a>.</p></body></html>`;
  return {
    subject,
    text,
    html,
    headers: { "List-Unsubscribe": `<${input.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

/** Sent to a new address given from a device that came in through a link: it takes effect once confirmed. */
export function renderEmailConfirmation(input: { businessName: string; confirmUrl: string }): RenderedEmail {
  const business = headerText(input.businessName, 60) || "Us";
  const subject = headerText(`Confirm your email address for ${business}`);
  const text = [
    "Hi,",
    "",
    `Someone asked ${business} to send the replies of a conversation to this address.`,
    `If it was you, confirm it here (the link works for 24 hours):`,
    "",
    input.confirmUrl,
    "",
    "If it was not you, ignore this email: nothing changes.",
  ].join("\n");
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="margin:0;padding:24px;font:15px/1.5 system-ui,sans-serif;color:#18181b">` +
    `<p>Hi,</p><p>Someone asked ${escapeHtml(business)} to send the replies of a conversation to this address. If it was you, confirm it (the link works for 24 hours):</p>` +
    `<p><a href="${escapeHtml(input.confirmUrl)}" style="display:inline-block;padding:10px 16px;background:#9a3412;color:#fff;border-radius:8px;text-decoration:none">Confirm this address</a></p>` +
    `<p>If it was not you, ignore this email: nothing changes.</p></body></html>`;
  return { subject, text, html, headers: {} };
}
