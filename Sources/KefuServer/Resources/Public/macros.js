// Macros: named lists of actions (send a canned reply, add a note, set the status, the
// priority, the team or the assignee, add or remove tags, snooze) that agents apply to a
// conversation in one click; each agent's own and, for owners and admins, shared ones;
// how often each was used and the CSAT of the conversations it was used in.
import { api, el, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const canEdit = document.body.dataset.canEdit === "true";
const TYPES = ["reply", "note", "status", "priority", "team", "assign", "add_tags", "remove_tags", "snooze"];
let me = null;
let teams = [];
let replies = [];
let editing = null;

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

const select = (className, label, options, value) =>
  el("select", { className, "aria-label": label }, ...options.map(([v, text]) => el("option", { value: v, text, selected: v === value })));

// The control that holds one action's value, by its type.
function valueControl(type, action = {}) {
  switch (type) {
    case "reply":
      return select("value", t("macros_type_reply"), replies.map((r) => [r.id, `/${r.shortcut} · ${r.title}`]), action.cannedReplyId);
    case "note":
      return el("input", { type: "text", className: "value", maxlength: "4000", value: action.text ?? "", "aria-label": t("macros_type_note") });
    case "status":
      return select("value", t("field_status"), ["open", "pending", "resolved", "closed"].map((s) => [s, t(`status_${s}`)]), action.status);
    case "priority":
      return select("value", t("field_priority"), ["low", "normal", "high", "urgent"].map((p) => [p, t(`priority_${p}`)]), action.priority);
    case "team":
      return select("value", t("field_team"), [["", t("no_team")], ...teams.map((x) => [x.id, x.name])], action.teamId ?? "");
    case "assign":
      return select("value", t("field_assignee"), [["me", t("macros_assign_me")], ["nobody", t("nobody")]], action.to);
    case "add_tags":
    case "remove_tags":
      return el("input", { type: "text", className: "value", value: (action.tags ?? []).join(" "), placeholder: "refund usdt", "aria-label": t("field_tags") });
    case "snooze":
      return el("input", { type: "number", className: "value", min: "1", max: "720", value: String(action.hours ?? 24), "aria-label": t("macros_hours") });
  }
}

function actionRow(action = { type: "reply" }) {
  const row = el("li", { className: "macro-action" });
  const type = select("type", t("macros_type"), TYPES.map((x) => [x, t(`macros_type_${x}`)]), action.type);
  let value = valueControl(action.type, action);
  type.addEventListener("change", () => {
    const next = valueControl(type.value);
    value.replaceWith(next);
    value = next;
  });
  const remove = el("button", { type: "button", className: "remove", text: t("macros_remove_action"), onclick: () => row.remove() });
  row.append(type, " ", value, " ", remove);
  row.read = () => {
    const v = value.value;
    switch (type.value) {
      case "reply": return { type: "reply", cannedReplyId: v };
      case "note": return { type: "note", text: v };
      case "status": return { type: "status", status: v };
      case "priority": return { type: "priority", priority: v };
      case "team": return { type: "team", teamId: v || null };
      case "assign": return { type: "assign", to: v };
      case "add_tags":
      case "remove_tags": return { type: type.value, tags: v.split(/[\s,]+/).filter(Boolean) };
      case "snooze": return { type: "snooze", hours: Number(v) };
    }
  };
  return row;
}

function describe(action) {
  switch (action.type) {
    case "reply": {
      const reply = replies.find((r) => r.id === action.cannedReplyId);
      return t("macros_does_reply", { shortcut: reply ? reply.shortcut : "?" });
    }
    case "note": return t("macros_does_note");
    case "status": return `${t("field_status")}: ${t(`status_${action.status}`)}`;
    case "priority": return `${t("field_priority")}: ${t(`priority_${action.priority}`)}`;
    case "team": return `${t("field_team")}: ${teams.find((x) => x.id === action.teamId)?.name ?? t("no_team")}`;
    case "assign": return `${t("field_assignee")}: ${action.to === "me" ? t("macros_assign_me") : t("nobody")}`;
    case "add_tags": return `+ ${action.tags.join(" ")}`;
    case "remove_tags": return `− ${action.tags.join(" ")}`;
    case "snooze": return t("macros_does_snooze", { hours: action.hours });
  }
  return action.type;
}

function fill(macro) {
  editing = macro;
  $("macro-form-title").textContent = macro ? t("macros_edit", { name: macro.name }) : t("macros_new");
  $("macro-name").value = macro?.name ?? "";
  $("macro-scope").value = macro?.scope ?? "personal";
  $("macro-team").value = macro?.teamId ?? teams[0]?.id ?? "";
  $("macro-team-label").hidden = $("macro-scope").value !== "team";
  $("macro-actions").replaceChildren(...(macro?.actions ?? [{ type: "reply" }]).map(actionRow));
  $("macro-cancel").hidden = !macro;
}

const mayChange = (macro) => (macro.scope === "personal" ? macro.ownerId === me.id : canEdit);

async function render() {
  const { items } = await api("GET", "/api/v1/macros");
  const scopeName = (m) => (m.scope === "team" ? `${t("canned_scope_team")}: ${teams.find((x) => x.id === m.teamId)?.name ?? ""}` : t(`canned_scope_${m.scope}`));
  $("macro-list").replaceChildren(...items.map((macro) => el("tr", { dataset: { id: macro.id, name: macro.name } },
    el("td", { text: macro.name }),
    el("td", { className: "does", text: macro.actions.map(describe).join(" · ") }),
    el("td", { text: scopeName(macro) }),
    el("td", { className: "uses", text: String(macro.usageCount) }),
    el("td", { text: macro.csat === undefined || macro.csat === null ? "—" : `${Math.round(macro.csat * 100)}% (${macro.ratings})` }),
    el("td", {}, mayChange(macro) ? [
      el("button", { type: "button", className: "edit", text: t("canned_edit_button"), onclick: () => fill(macro) }),
      el("button", { type: "button", className: "delete", text: t("canned_delete"), onclick: async () => {
        if (!confirm(t("macros_delete_confirm", { name: macro.name }))) return;
        try {
          await api("DELETE", `/api/v1/macros/${macro.id}`);
          await render();
        } catch (error) {
          message("macro-error", error.message);
        }
      } }),
    ] : []))));
  $("macro-empty").hidden = items.length > 0;
}

async function start() {
  const [profile, teamList, replyList] = await Promise.all([api("GET", "/api/v1/auth/me"), api("GET", "/api/v1/teams"), api("GET", "/api/v1/canned-replies")]);
  me = profile;
  teams = teamList.items;
  replies = replyList.items;
  $("macro-team").replaceChildren(...teams.map((team) => el("option", { value: team.id, text: team.name })));
  $("macro-scope").addEventListener("change", () => ($("macro-team-label").hidden = $("macro-scope").value !== "team"));
  $("macro-add-action").addEventListener("click", () => $("macro-actions").append(actionRow({ type: "note" })));
  $("macro-cancel").addEventListener("click", () => fill(null));
  $("macro-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    message("macro-error", "");
    message("macro-status", "");
    const scope = $("macro-scope").value;
    const body = {
      name: $("macro-name").value.trim(), scope, teamId: scope === "team" ? $("macro-team").value : undefined,
      actions: [...$("macro-actions").children].map((row) => row.read()),
    };
    try {
      if (editing) await api("PATCH", `/api/v1/macros/${editing.id}`, body);
      else await api("POST", "/api/v1/macros", body);
      message("macro-status", t("macros_saved", { name: body.name }));
      fill(null);
      await render();
    } catch (error) {
      message("macro-error", error.message);
    }
  });
  fill(null);
  await render();
}

start().catch((error) => message("macro-error", error.message));
