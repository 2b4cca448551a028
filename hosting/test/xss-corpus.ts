// The untrusted-text corpus (issue 8, security): classic XSS and escaping payloads, sent by visitors
// and agents through every surface by hosting/test/xss-corpus.test.ts. Every payload that would run
// script assigns `window.__xss` (or the parent's), and every payload that would become markup puts
// "__xss" into an attribute or a script/style body: "inert" is then detectable, not guessed.

import { RECORD_NOTIFICATIONS } from "./console-support";

export interface Payload {
  name: string;
  text: string;
}

/** The marker every executing payload assigns; the test traps it in every frame. */
export const MARKER = "__xss";

const run = (name: string) => `window.${MARKER}='${name}'`;

export const PAYLOADS: Payload[] = [
  { name: "script", text: `<script>${run("script")}</script>` },
  { name: "img onerror", text: `<img src=x onerror="${run("img")}">` },
  { name: "svg onload", text: `<svg onload="${run("svg")}"><circle r="1"/></svg>` },
  { name: "svg script", text: `<svg><script>${run("svgscript")}</script></svg>` },
  { name: "javascript: url", text: `javascript:${run("jsurl")}` },
  { name: "anchor javascript:", text: `<a href="javascript:${run("anchor")}" class="${MARKER}">click me</a>` },
  { name: "attribute breakout", text: `"'><img src=x onerror=${run("breakout")}> x="` },
  { name: "textarea breakout", text: `</textarea><img src=x onerror=${run("textarea")}>` },
  { name: "title breakout", text: `</title><script>${run("title")}</script>` },
  { name: "iframe srcdoc", text: `<iframe srcdoc="<script>parent.${MARKER}='srcdoc'</script>"></iframe>` },
  { name: "iframe javascript:", text: `<iframe src="javascript:parent.${MARKER}='iframe'"></iframe>` },
  { name: "template literal", text: `\${${run("template")}} \`\${1+1}\`` },
  { name: "mustache", text: `{{constructor.constructor("${run("mustache")}")()}} {{7*7}} <%= 7*7 %> #{7*7}` },
  { name: "html entities", text: `&lt;script&gt;${run("entity")}&lt;/script&gt; &amp;lt; &#60;b&#62; &quot;` },
  { name: "numeric entity img", text: `&#60;img src=x onerror=${run("numeric")}&#62; &#x3C;svg&#x3E;` },
  { name: "rtl override", text: `invoice\u202Eexe.pdf \u202Bright-to-left\u202C \u2067isolate\u2069` },
  { name: "zero width", text: `ad\u200Bmin zero\u200Cwidth\u200Djoin word\u2060joiner bom\uFEFFmid` },
  {
    name: "css style",
    text: `<style>body{display:none} /*${MARKER}*/</style><div style="background:url(javascript:${run("css")})">styled</div>`,
  },
  { name: "markdown link", text: `[click me](javascript:${run("markdown")}) ![img](x" onerror="${run("mdimg")})` },
  {
    name: "details ontoggle",
    text: `<details open ontoggle="${run("details")}"><summary>${MARKER}</summary></details>`,
  },
  { name: "autofocus onfocus", text: `<input autofocus onfocus="${run("autofocus")}">` },
  { name: "body onload", text: `<body onload="${run("body")}">` },
  { name: "mutation xss", text: `<math><mtext><table><mglyph><style><img src=x onerror=${run("mxss")}>` },
  {
    name: "object data",
    text: `<object data="javascript:${run("object")}"></object><embed src="javascript:${run("embed")}">`,
  },
  {
    name: "meta refresh",
    text: `<meta http-equiv="refresh" content="0;url=javascript:${run("meta")}"><base href="javascript:/">`,
  },
  {
    name: "link with quotes",
    text: `https://example.com/?q="><img src=x onerror=${run("urlquote")}> and http://example.com/<script>${run("urlscript")}</script>`,
  },
  { name: "data url", text: `data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9J2RhdGEnPC9zY3JpcHQ+` },
  { name: "comment and cdata", text: `<!-- <![CDATA[ ]]> --!> <b class="${MARKER}">bold</b>` },
  { name: "json breakout", text: `"}]}, {"text":"</script><script>${run("json")}</script>` },
  { name: "unicode", text: `Tiếng Việt 👩🏽‍💻 ñ 中文 العربية` },
];

/** Characters a textarea would change (CR) or that JSON carries but HTML parsing does not (NUL). */
export const CONTROL_CHARS: Payload = {
  name: "control characters",
  text: `tab\there CR\rLF\nCRLF\r\nbell\u0007 escape\u001b[31mred\u001b[0m NUL\u0000byte DEL\u007f NEL\u0085 LS\u2028PS\u2029 end`,
};

/** A line with no break longer than any preview or mail line (Business Messages allows 3072 characters). */
export const LONG_LINE: Payload = {
  name: "very long line",
  text: `${"A".repeat(2900)}<img src=x onerror=${run("long")}>${"B".repeat(60)}`,
};

/** Short enough (< 140) to be a whole preview: inbox rows, console notifications and push bodies. */
export const HEADLINE: Payload = {
  name: "headline",
  text: `<img src=x onerror=${run("preview")}>"'><svg onload=${run("preview2")}> &lt;b&gt; \u202Eend`,
};

/** The corpus as a few messages (each message fans out to several triggers: fewer is faster). */
export function corpusMessages(): { typed: string[]; raw: string; last: string } {
  const half = Math.ceil(PAYLOADS.length / 2);
  const join = (list: Payload[]) => list.map((p) => p.text).join("\n");
  return {
    /** Typed into the real widget: nothing a textarea would rewrite. */
    typed: [join(PAYLOADS.slice(0, half)), LONG_LINE.text],
    /** Sent through the API exactly as the widget calls it: control characters included. */
    raw: `${join(PAYLOADS.slice(half))}\n${CONTROL_CHARS.text}`,
    /** The last message of a thread: its preview carries live-looking markup. */
    last: HEADLINE.text,
  };
}

/** Display names: a visitor's own (widget API, at most 80) and Business Messages' (at most 256). */
export const WEB_NAME = `<svg onload=${run("webname")}>"'</title>\u202Eeman`;
export const BM_NAME = `"><img src=x onerror=${run("bmname")}> Sam \u202Egnp.exe {{7*7}}`;

/**
 * Traps the marker in every frame: assigning it reports to the test (the __xssHit binding) and is
 * remembered for SCAN; also records console notifications (headless Chromium shows none).
 */
export const TRAP = `(() => {
  Object.defineProperty(window, ${JSON.stringify(MARKER)}, { configurable: false, get: () => undefined,
    set: (v) => { try { window.__xssHit(String(v)); } catch (e) { /* no binding here: SCAN still sees it */ } window.__xssLate = String(v); } });
  ${RECORD_NOTIFICATIONS}
})();`;

/**
 * Everything in a document that could only have come from the corpus becoming markup: an on*
 * attribute anywhere, an attribute holding the marker, a javascript:/vbscript:/data:text URL, srcdoc,
 * a script or style body holding the marker, a marker that fired. (A string: tsx would wrap a
 * function's helpers.)
 */
export const SCAN = `(() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const url = a.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (/^on/i.test(a.name) || a.name === "srcdoc" || a.value.includes(${JSON.stringify(MARKER)}) || /^(javascript|vbscript|data:(text|image.svg|application))/.test(url)) {
        found.push(el.tagName.toLowerCase() + "[" + a.name + "=" + a.value.slice(0, 60) + "]");
      }
    }
    if ((el.tagName === "SCRIPT" || el.tagName === "STYLE") && (el.textContent || "").includes(${JSON.stringify(MARKER)})) found.push(el.tagName.toLowerCase() + " holding the marker");
  }
  if (window.__xssLate) found.push("marker set: " + window.__xssLate);
  return found;
})()`;
