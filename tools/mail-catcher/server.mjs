// Local stand-in for an SMTP provider: a real SMTP server (the `smtp-server` package) that keeps
// every message it receives in memory, and a web page + JSON endpoint listing them.
//   SMTP  smtp://127.0.0.1:2525   (functions/.secret.local SMTP_URL points here)
//   HTTP  http://127.0.0.1:5080/  the caught mail;  /messages  JSON;  /health
// Local only: it accepts anything and binds to 127.0.0.1.
import { createServer } from "node:http";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export const SMTP_PORT = Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 2525);
export const HTTP_PORT = Number(process.env.MAIL_CATCHER_HTTP_PORT ?? 5080);
const KEEP = 500;
const caught = [];
let nextId = 1;

const smtp = new SMTPServer({
  name: "afterchat-mail-catcher",
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"], // plain local SMTP: nodemailer then sends without TLS
  size: 10 * 1024 * 1024,
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        caught.push({
          id: String(nextId++),
          receivedAt: new Date().toISOString(),
          envelope: {
            from: session.envelope.mailFrom?.address ?? null,
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          messageId: mail.messageId ?? null,
          from: mail.from?.text ?? null,
          to: mail.to?.text ?? null,
          subject: mail.subject ?? "",
          text: mail.text ?? "",
          html: typeof mail.html === "string" ? mail.html : "",
          headers: Object.fromEntries(
            [...mail.headers].map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
          ),
          rawHeaders: Object.fromEntries(mail.headerLines.map((h) => [h.key, h.line.replace(/\r?\n(?=[ \t])/g, "")])),
        });
        if (caught.length > KEEP) caught.shift();
        callback();
      })
      .catch((err) => callback(err));
  },
});

const escape = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function listPage() {
  const rows = caught
    .slice()
    .reverse()
    .map(
      (m) =>
        `<article><h2>${escape(m.subject)}</h2><p class="meta">${escape(m.receivedAt)} · from ${escape(m.from ?? "")} · to ${escape(m.to ?? "")}</p>` +
        `<pre>${escape(m.text)}</pre><p><a href="/messages/${m.id}/html">HTML part</a></p></article>`,
    )
    .join("");
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Caught mail</title><meta http-equiv="refresh" content="10">` +
    `<style>body{font:15px/1.45 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}article{border:1px solid #ddd;border-radius:8px;padding:0 1rem;margin:1rem 0}` +
    `pre{white-space:pre-wrap;word-wrap:break-word}.meta{color:#666;font-size:13px}</style></head>` +
    `<body><h1>Caught mail (${caught.length})</h1><p>Everything the local stack sent to <code>smtp://127.0.0.1:${SMTP_PORT}</code>. JSON: <a href="/messages">/messages</a></p>` +
    `${rows || "<p>No mail yet.</p>"}</body></html>`
  );
}

const http = createServer((req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${HTTP_PORT}`);
  const html = /^\/messages\/(\d+)\/html$/.exec(url.pathname);
  if (url.pathname === "/health")
    return send(res, 200, "application/json", JSON.stringify({ ok: true, caught: caught.length }));
  if (url.pathname === "/messages" && req.method === "GET") {
    const to = url.searchParams.get("to");
    const list = to ? caught.filter((m) => m.envelope.to.includes(to)) : caught;
    return send(res, 200, "application/json", JSON.stringify(list));
  }
  if (url.pathname === "/messages" && req.method === "DELETE") {
    caught.length = 0;
    return send(res, 204, "text/plain", "");
  }
  if (html) {
    const m = caught.find((c) => c.id === html[1]);
    // The HTML part as the mail client would show it, sandboxed: no script runs here either.
    if (m)
      return send(res, 200, "text/html; charset=utf-8", m.html, {
        "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'",
      });
  }
  if (url.pathname === "/") return send(res, 200, "text/html; charset=utf-8", listPage());
  send(res, 404, "text/plain", "not found");
});

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
  res.end(body);
}

smtp.listen(SMTP_PORT, "127.0.0.1", () => console.log(`mail catcher: smtp://127.0.0.1:${SMTP_PORT}`));
http.listen(HTTP_PORT, "127.0.0.1", () => console.log(`mail catcher: http://127.0.0.1:${HTTP_PORT}/`));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    http.close();
    smtp.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
