// Canned replies: each agent's own, and (for owners and admins) the team's and the
// workspace's, with an English and a Chinese body; how often each was used and the CSAT
// of the conversations it was used in. Saving runs the reply guard, whose reasons show here.
import { api, el, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const canEdit = document.body.dataset.canEdit === "true";
let me = null;
let teams = [];
let editing = null;
const VARIABLES = ["contact.name", "conversation.number", "agent.name", "contact.email", "workspace.name"];

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

function mayChange(reply) {
  return reply.scope === "personal" ? reply.ownerId === me.id : canEdit;
}

function fill(reply) {
  editing = reply;
  $("canned-form-title").textContent = reply ? t("canned_edit", { shortcut: reply.shortcut }) : t("canned_new");
  $("canned-shortcut").value = reply?.shortcut ?? "";
  $("canned-name").value = reply?.title ?? "";
  $("canned-scope").value = reply?.scope ?? "personal";
  $("canned-team").value = reply?.teamId ?? teams[0]?.id ?? "";
  $("canned-en").value = reply?.body?.en ?? "";
  $("canned-zh").value = reply?.body?.["zh-Hans"] ?? "";
  $("canned-cancel").hidden = !reply;
  $("canned-team-label").hidden = $("canned-scope").value !== "team";
}

async function render() {
  const { items } = await api("GET", "/api/v1/canned-replies");
  const scopeName = (reply) => reply.scope === "team" ? `${t("canned_scope_team")}: ${teams.find((x) => x.id === reply.teamId)?.name ?? ""}` : t(`canned_scope_${reply.scope}`);
  $("canned-list").replaceChildren(...items.map((reply) => el("tr", { dataset: { id: reply.id, shortcut: reply.shortcut } },
    el("td", {}, el("code", { text: `/${reply.shortcut}` })),
    el("td", { text: reply.title }),
    el("td", { text: scopeName(reply) }),
    el("td", { className: "uses", text: String(reply.usageCount) }),
    el("td", { text: reply.csat === undefined || reply.csat === null ? "—" : `${Math.round(reply.csat * 100)}% (${reply.ratings})` }),
    el("td", {}, mayChange(reply) ? [
      el("button", { type: "button", className: "edit", text: t("canned_edit_button"), onclick: () => fill(reply) }),
      el("button", { type: "button", className: "delete", text: t("canned_delete"), onclick: async () => {
        if (!confirm(t("canned_delete_confirm", { shortcut: reply.shortcut }))) return;
        try {
          await api("DELETE", `/api/v1/canned-replies/${reply.id}`);
          await render();
        } catch (error) {
          message("canned-error", error.message);
        }
      } }),
    ] : []))));
  $("canned-empty").hidden = items.length > 0;
}

async function start() {
  const [profile, teamList] = await Promise.all([api("GET", "/api/v1/auth/me"), api("GET", "/api/v1/teams")]);
  me = profile;
  teams = teamList.items;
  $("canned-team").replaceChildren(...teams.map((team) => el("option", { value: team.id, text: team.name })));
  $("canned-scope").addEventListener("change", () => ($("canned-team-label").hidden = $("canned-scope").value !== "team"));
  $("canned-cancel").addEventListener("click", () => fill(null));
  $("canned-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    message("canned-error", "");
    message("canned-status", "");
    const scope = $("canned-scope").value;
    const body = {
      shortcut: $("canned-shortcut").value.trim(), title: $("canned-name").value.trim(), scope,
      teamId: scope === "team" ? $("canned-team").value : undefined,
      body: { en: $("canned-en").value.trim() || undefined, "zh-Hans": $("canned-zh").value.trim() || undefined },
    };
    try {
      if (editing) await api("PATCH", `/api/v1/canned-replies/${editing.id}`, body);
      else await api("POST", "/api/v1/canned-replies", body);
      message("canned-status", t("canned_saved", { shortcut: body.shortcut }));
      fill(null);
      await render();
    } catch (error) {
      message("canned-error", error.message);
    }
  });
  // Written here rather than in the page, whose text never holds template braces.
  $("canned-variables").textContent = VARIABLES.map((name) => `{{${name}}}`).join(" ");
  fill(null);
  await render();
}

start().catch((error) => message("canned-error", error.message));
