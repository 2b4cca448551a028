import type { RenderedEmail } from "./template";
import { headerText } from "./template";

/**
 * SMTP through nodemailer, configured by one URL (any provider: smtps://user:pass@host:465,
 * smtp://host:587 with STARTTLS...). nodemailer is loaded on first use, so functions that never
 * send mail do not pay for it at cold start; one transport per SMTP URL is kept per instance.
 */
type Transporter = {
  sendMail(mail: Record<string, unknown>): Promise<{ messageId: string; accepted: unknown[]; rejected: unknown[] }>;
};

let cached: { url: string; transport: Transporter } | undefined;

async function transportFor(smtpUrl: string): Promise<Transporter> {
  if (cached?.url === smtpUrl) return cached.transport;
  const loaded: unknown = await import("nodemailer");
  const nodemailer = ((loaded as { default?: unknown }).default ?? loaded) as {
    createTransport(url: string): Transporter;
  };
  const transport = nodemailer.createTransport(smtpUrl);
  cached = { url: smtpUrl, transport };
  return transport;
}

export interface Outgoing {
  smtpUrl: string;
  from: { name: string; address: string };
  to: string;
  email: RenderedEmail;
  /** Same batch, same Message-ID: a receiving server or a reader can tell a repeat. */
  messageId: string;
}

export class EmailRejected extends Error {}

export async function sendEmail(o: Outgoing): Promise<{ messageId: string }> {
  const transport = await transportFor(o.smtpUrl);
  const info = await transport.sendMail({
    from: { name: headerText(o.from.name, 60), address: o.from.address },
    to: o.to,
    subject: o.email.subject,
    text: o.email.text,
    html: o.email.html,
    headers: o.email.headers,
    messageId: o.messageId,
  });
  if (info.rejected.length > 0) throw new EmailRejected("the SMTP server refused the recipient");
  return { messageId: info.messageId };
}
