/**
 * The email an away agent gets when a visitor writes: the visitor's name, the channel, the first
 * lines of each new message as ESCAPED text (visitor text is untrusted: never HTML), and a link to
 * the thread in the console. Pure: no I/O, unit-tested.
 */
import { emailText, escapeHtml, headerText, type RenderedEmail } from "./template";

export interface AgentAlertInput {
  businessName: string;
  visitorName: string;
  channel: "web" | "bm";
  messages: { text: string; createdAt: Date }[];
  threadUrl: string;
  /** Where the agent turns these emails off. */
  consoleUrl: string;
}

const CHANNELS = { web: "Web chat", bm: "Business Messages" } as const;
/** Lines and characters of each message shown: enough to triage, the rest is in the console. */
const LINES = 3;
const LINE_CHARS = 200;
const MESSAGES = 10;

/** The first lines of a message, each cut to a readable length. */
export function firstLines(text: string): string {
  const lines = emailText(text)
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "");
  const shown = lines.slice(0, LINES).map((l) => (l.length <= LINE_CHARS ? l : `${l.slice(0, LINE_CHARS - 1)}…`));
  if (lines.length > LINES) shown.push("…");
  return shown.join("\n");
}

export function renderAgentAlert(input: AgentAlertInput): RenderedEmail {
  const visitor = headerText(input.visitorName, 40) || "A visitor";
  const channel = CHANNELS[input.channel];
  const count = input.messages.length;
  const subject = headerText(count === 1 ? `New message from ${visitor}` : `${count} new messages from ${visitor}`);
  const shown = input.messages.slice(-MESSAGES);
  const more = count - shown.length;
  const lead = `${visitor} wrote on ${channel} while you were away from the ${headerText(input.businessName, 60)} console:`;
  const footer = "You get this email because nobody had the console open. Turn these emails off in the console.";

  const text = [
    lead,
    "",
    ...(more > 0 ? [`(${more} earlier not shown)`, ""] : []),
    shown.map((m) => firstLines(m.text)).join("\n\n---\n\n"),
    "",
    `Open the conversation: ${input.threadUrl}`,
    "",
    "--",
    footer,
    input.consoleUrl,
  ].join("\n");

  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="margin:0;padding:24px;font:15px/1.5 system-ui,sans-serif;color:#18181b">` +
    `<p>${escapeHtml(lead)}</p>` +
    (more > 0 ? `<p>(${more} earlier not shown)</p>` : "") +
    shown
      .map(
        (m) =>
          `<div style="margin:0 0 16px;padding:12px 14px;background:#f4f4f5;border-radius:10px;white-space:pre-wrap;word-wrap:break-word">` +
          `${escapeHtml(firstLines(m.text))}</div>`,
      )
      .join("") +
    `<p><a href="${escapeHtml(input.threadUrl)}" style="display:inline-block;padding:10px 16px;background:#9a3412;color:#fff;border-radius:8px;text-decoration:none">Open the conversation</a></p>` +
    `<p style="font-size:12px;color:#71717a">${escapeHtml(footer)} ` +
    `<a href="${escapeHtml(input.consoleUrl)}" style="color:#71717a">Console</a></p></body></html>`;
  return { subject, text, html, headers: {} };
}
