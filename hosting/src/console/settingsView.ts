// Settings (admins): business, hours, widget origins, follow-ups, canned replies, agents and roles.
// Saved through the updateSettings / manageAgents callables, which validate with zod server-side.
import { call } from "./backend";
import { $, clear, h } from "./dom";
import type { CallableRequest, ConsoleRole } from "../../../functions/src/contract/callables";
import type { SettingsInput } from "../../../functions/src/contract/settings";
import { replyChipList } from "./cardComposer";
import { onSessionChange, session, type Agent, type CannedReply, type Settings } from "./session";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
let stopWatching: (() => void) | undefined;

export function showSettings(): void {
  const pane = $("settings-pane");
  stopWatching?.();
  if (session.role !== "admin") {
    clear(pane, h("p", { class: "notice", role: "alert" }, "Only admins can open settings."));
    return;
  }
  if (!session.settingsLoaded) {
    clear(pane, h("p", { class: "empty" }, "Loading settings…"));
    stopWatching = onSessionChange(() => session.settingsLoaded && showSettings());
    return;
  }
  clear(pane, h("h2", {}, "Settings"), settingsForm(session.settings), agentsSection());
  // The agents table follows the realtime list; the settings form is not rebuilt under the admin's typing.
  stopWatching = onSessionChange(() => {
    const table = document.getElementById("agents-table");
    if (table) table.replaceWith(agentsTable(session.agents));
  });
}

export function hideSettings(): void {
  stopWatching?.();
  stopWatching = undefined;
}

function field(label: string, input: HTMLElement): HTMLLabelElement {
  return h("label", {}, label, input);
}

function settingsForm(s: Settings): HTMLFormElement {
  const name = h("input", { value: s.name ?? "", required: true });
  const greeting = h("textarea", { rows: 2, value: s.greeting ?? "" });
  const away = h("textarea", { rows: 2, value: s.awayMessage ?? "" });
  const siteUrl = h("input", {
    type: "url",
    value: s.siteUrl ?? "",
    placeholder: "https://shop.example/",
    "aria-describedby": "site-url-note",
  });
  const accent = h("input", { type: "color", value: s.accentColor ?? "#9a3412" });
  const timeZone = h("input", { value: s.hours?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone });
  const dayRows = DAYS.map((day, i) => {
    const hours = s.hours?.days?.[i] ?? null;
    const open = h("input", { type: "time", value: hours?.open ?? "09:00", "aria-label": `${day} opens` });
    const close = h("input", { type: "time", value: hours?.close ?? "17:00", "aria-label": `${day} closes` });
    const closed = h("input", { type: "checkbox", checked: !hours, "aria-label": `${day} closed` });
    return { day, open, close, closed };
  });
  const origins = h("textarea", { rows: 3, value: (s.allowedOrigins ?? []).join("\n") });
  const template = h("textarea", { rows: 2, value: s.followUpTemplate ?? "" });
  const margin = h("input", { type: "number", min: 1, max: 168, value: String(s.followUpMarginHours ?? 24) });
  const reachDays = h("input", { type: "number", min: 1, max: 365, value: String(s.reachWindowDays ?? 30) });
  const continuity = h("input", { type: "number", min: 1, max: 1440, value: String(s.continuityDelayMinutes ?? 2) });
  // Empty: keep conversations until someone erases them.
  const retention = h("input", {
    type: "number",
    min: 1,
    max: 3650, // RETENTION_DAYS_MAX (contract/settings.ts, not imported: it would bundle zod)
    value: s.retentionDays ? String(s.retentionDays) : "",
    "aria-describedby": "retention-help",
  });
  const canned = h("tbody", {});
  // What a row has no field for (action chips, a card) is kept as it was and saved with the row.
  const cannedKept = new WeakMap<HTMLTableRowElement, Pick<CannedReply, "suggestions" | "richCard">>();
  const addCanned = (c: CannedReply) => {
    const row = h(
      "tr",
      {},
      h(
        "td",
        {},
        h("input", {
          value: c.shortcut,
          "aria-label": "Shortcut",
          size: 12,
          pattern: "[a-z0-9][a-z0-9-]*",
          "data-field": "shortcut",
        }),
      ),
      h(
        "td",
        {},
        h("textarea", { value: c.text, rows: 1, cols: 40, "aria-label": "Canned reply text", "data-field": "text" }),
      ),
      h(
        "td",
        {},
        h("input", {
          value: (c.suggestions ?? []).flatMap((x) => ("reply" in x ? [x.reply.text] : [])).join(", "),
          "aria-label": "Canned reply chips (comma-separated)",
          size: 18,
          "data-field": "chips",
        }),
        c.richCard ? h("span", { class: "hint" }, " + card") : null,
      ),
      h(
        "td",
        {},
        h(
          "button",
          { type: "button", onClick: (e: Event) => (e.target as HTMLElement).closest("tr")?.remove() },
          "Remove",
        ),
      ),
    );
    cannedKept.set(row, { suggestions: c.suggestions, richCard: c.richCard });
    canned.append(row);
  };
  for (const c of s.cannedReplies ?? []) addCanned(c);
  const result = h("p", { role: "status" });

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    const value: SettingsInput = {
      ...s,
      name: name.value,
      greeting: greeting.value,
      awayMessage: away.value,
      siteUrl: siteUrl.value.trim(),
      accentColor: accent.value,
      hours: {
        timeZone: timeZone.value.trim(),
        days: dayRows.map((d) => (d.closed.checked ? null : { open: d.open.value, close: d.close.value })),
      },
      allowedOrigins: origins.value.split(/\s+/).filter(Boolean),
      followUpTemplate: template.value,
      followUpMarginHours: Number(margin.value),
      reachWindowDays: Number(reachDays.value),
      continuityDelayMinutes: Number(continuity.value),
      retentionDays: retention.value.trim() === "" ? null : Number(retention.value),
      cannedReplies: Array.from(canned.querySelectorAll("tr"), (tr) => cannedFromRow(tr, cannedKept.get(tr))).filter(
        (c) => c.shortcut || c.text.trim(),
      ),
    };
    result.className = "";
    result.textContent = "Saving…";
    try {
      await call("updateSettings", value);
      result.className = "saved";
      result.textContent = "Settings saved.";
    } catch (err) {
      result.textContent = `Not saved: ${(err as Error).message}`;
    }
  }

  return h(
    "form",
    { onSubmit: save, "aria-label": "Business settings" },
    h(
      "fieldset",
      {},
      h("legend", {}, "Business"),
      field("Business name", name),
      field("Greeting", greeting),
      field("Away message", away),
      field("Your website (where the widget is)", siteUrl),
      h(
        "p",
        { id: "site-url-note", class: "hint" },
        "The chat page behind the links in reply emails links back to this address, and the widget there opens " +
          "the same conversation. Empty: the chat page offers no way back to your site, and visitors answer on it only.",
      ),
      field("Colour of the chat page", accent),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Opening hours"),
      field("Time zone", timeZone),
      h(
        "table",
        {},
        h(
          "tbody",
          {},
          ...dayRows.map((d) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, d.day),
              h("td", {}, d.open),
              h("td", {}, d.close),
              h("td", {}, h("label", {}, d.closed, " closed")),
            ),
          ),
        ),
      ),
    ),
    h("fieldset", {}, h("legend", {}, "Widget"), field("Allowed widget origins (one per line)", origins)),
    h(
      "fieldset",
      {},
      h("legend", {}, "Reach and follow-ups"),
      field("Follow-up template", template),
      field("Follow-up margin before a window closes (hours)", margin),
      field("Widget, push and email reach window (days)", reachDays),
      field("Continuity delay before push or email (minutes)", continuity),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Data retention"),
      field("Erase conversations inactive for (days)", retention),
      h(
        "p",
        { id: "retention-help" },
        "Leave empty to keep conversations until they are erased by hand. The hourly sweep erases older ones for good.",
      ),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Canned replies (type / in the reply box)"),
      h("table", {}, canned),
      h("button", { type: "button", onClick: () => addCanned({ shortcut: "", text: "" }) }, "Add canned reply"),
    ),
    h("button", { type: "submit" }, "Save settings"),
    result,
  );
}

function agentsSection(): HTMLElement {
  const email = h("input", { type: "email", required: true, "aria-label": "Agent email" });
  const role = h(
    "select",
    { "aria-label": "Role" },
    h("option", { value: "agent" }, "agent"),
    h("option", { value: "admin" }, "admin"),
  );
  const result = h("p", { role: "status" });
  const invite = h(
    "form",
    {
      class: "inline-form",
      onSubmit: async (e: Event) => {
        e.preventDefault();
        result.textContent = "Inviting…";
        try {
          const r = await call("manageAgents", {
            action: "invite",
            email: email.value.trim(),
            role: role.value as ConsoleRole,
          });
          result.replaceChildren(
            `${email.value.trim()} can now sign in as ${role.value}. Send them this link to set their password: `,
            h("a", { href: r.link ?? "", target: "_blank", rel: "noopener" }, "set-password link"),
          );
          email.value = "";
        } catch (err) {
          result.textContent = `Not invited: ${(err as Error).message}`;
        }
      },
    },
    email,
    role,
    h("button", { type: "submit" }, "Invite"),
  );
  return h("fieldset", {}, h("legend", {}, "Agents and roles"), agentsTable(session.agents), invite, result);
}

function agentsTable(agents: Agent[]): HTMLTableElement {
  const status = h("caption", { role: "status" });
  const act = async (data: CallableRequest<"manageAgents">, done: string) => {
    status.textContent = "…";
    try {
      await call("manageAgents", data);
      status.textContent = done;
    } catch (err) {
      status.textContent = (err as Error).message;
    }
  };
  return h(
    "table",
    { id: "agents-table" },
    status,
    h("thead", {}, h("tr", {}, h("th", {}, "Agent"), h("th", {}, "Role"), h("th", {}, ""))),
    h(
      "tbody",
      {},
      ...agents.map((a) => {
        const self = a.uid === session.uid;
        const who = a.displayName ? `${a.displayName} <${a.email ?? ""}>` : (a.email ?? a.uid);
        return h(
          "tr",
          {},
          h("td", {}, who, self ? " (you)" : ""),
          h(
            "td",
            {},
            h(
              "select",
              {
                "aria-label": `Role of ${a.email ?? a.uid}`,
                disabled: self,
                onChange: (e: Event) =>
                  act(
                    { action: "setRole", uid: a.uid, role: (e.target as HTMLSelectElement).value as ConsoleRole },
                    "Role changed.",
                  ),
              },
              ...["agent", "admin"].map((r) => h("option", { value: r, selected: a.role === r }, r)),
            ),
          ),
          h(
            "td",
            {},
            self
              ? ""
              : h(
                  "button",
                  {
                    type: "button",
                    onClick: () =>
                      confirm(`Remove ${a.email ?? a.uid} from the console?`) &&
                      act({ action: "remove", uid: a.uid }, "Agent removed."),
                  },
                  "Remove",
                ),
          ),
        );
      }),
    ),
  );
}

/** One canned-reply row: reply chips from the field (text = postbackData), other chips and the card as they were. */
function cannedFromRow(
  tr: HTMLTableRowElement,
  kept: Pick<CannedReply, "suggestions" | "richCard"> | undefined,
): CannedReply {
  const field = (name: string) => tr.querySelector<HTMLInputElement>(`[data-field="${name}"]`)!.value;
  const replies = replyChipList(field("chips")).map((text) => ({ reply: { text, postbackData: text } }));
  const suggestions = [...replies, ...(kept?.suggestions ?? []).filter((x) => !("reply" in x))];
  return {
    shortcut: field("shortcut").trim().replace(/^\//, "").toLowerCase(),
    text: field("text"),
    ...(suggestions.length ? { suggestions } : {}),
    ...(kept?.richCard ? { richCard: kept.richCard } : {}),
  };
}
