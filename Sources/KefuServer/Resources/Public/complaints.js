// The complaints register: open complaints by age with their severity, stage, promised
// reply time, team, service-level standing and why they were escalated; owners and admins
// set the complaint rules below it.
import { api, el, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const when = (iso) => (iso ? new Date(iso).toLocaleString(document.documentElement.lang) : "");
let teams = new Map();

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

function age(iso) {
  const hours = Math.max(0, (Date.now() - new Date(iso).getTime()) / 3_600_000);
  return hours < 48 ? t("complaints_age_hours", { hours: Math.floor(hours) }) : t("complaints_age_days", { days: Math.floor(hours / 24) });
}

async function render() {
  const state = $("complaints-state").value;
  const severity = $("complaints-severity").value;
  const result = await api("GET", `/api/v1/complaints?limit=100&state=${state}${severity ? `&severity=${severity}` : ""}`);
  $("complaints-list").replaceChildren(...result.items.map((c) => el("tr", { dataset: { id: c.id, severity: c.severity, milestone: c.milestone }, className: `severity-${c.severity}` },
    el("td", {}, el("a", { href: `/console#${c.conversationId}`, text: `#${c.conversationNumber}` })),
    el("td", { text: age(c.openedAt) }),
    el("td", { text: t(`complaint_severity_${c.severity}`) }),
    el("td", { className: "stage", text: t(`complaint_milestone_${c.milestone}`) }),
    el("td", { className: new Date(c.replyDueAt) < new Date() && !c.resolvedAt ? "overdue" : "", text: when(c.replyDueAt) }),
    el("td", { text: c.escalatedTeamId ? teams.get(c.escalatedTeamId) ?? "—" : "" }),
    el("td", { text: c.sla ? t(`complaints_sla_${c.sla}`) : "" }),
    el("td", { className: "reason", text: c.escalationReason ?? "" }))));
  $("complaints-empty").hidden = result.items.length > 0;
}

// Phrases agents taught the detector to ignore; an admin can take one off the list.
function showIgnored(phrases) {
  const canEdit = document.body.dataset.canEdit === "true";
  $("ignored-list").replaceChildren(...phrases.map((phrase) => el("li", { dataset: { phrase } }, el("code", { text: phrase }), " ",
    canEdit ? el("button", { type: "button", className: "link forget", text: t("complaints_ignored_forget"), onclick: async () => {
      try {
        const rules = await api("PATCH", "/api/v1/complaint-settings", { ignoredPhrases: phrases.filter((p) => p !== phrase) });
        showIgnored(rules.ignoredPhrases);
        message("complaints-status", t("complaints_ignored_forgotten", { phrase }));
      } catch (error) {
        message("complaints-error", error.message);
      }
    } }) : "")));
  $("ignored-none").hidden = phrases.length > 0;
}

async function start() {
  const [teamList, rules] = await Promise.all([api("GET", "/api/v1/teams"), api("GET", "/api/v1/complaint-settings")]);
  teams = new Map(teamList.items.map((team) => [team.id, team.name]));
  $("rules-detect").checked = rules.detect;
  $("rules-reply").value = rules.replyHours;
  $("rules-follow").value = rules.followUpDays;
  $("rules-reopen").value = rules.reopenDays;
  showIgnored(rules.ignoredPhrases ?? []);
  for (const id of ["complaints-state", "complaints-severity"]) $(id).addEventListener("change", () => render().catch((error) => message("complaints-error", error.message)));
  $("complaint-rules").addEventListener("submit", async (event) => {
    event.preventDefault();
    message("complaints-error", "");
    message("complaints-status", "");
    try {
      await api("PATCH", "/api/v1/complaint-settings", {
        detect: $("rules-detect").checked, replyHours: Number($("rules-reply").value),
        followUpDays: Number($("rules-follow").value), reopenDays: Number($("rules-reopen").value),
      });
      message("complaints-status", t("complaints_saved"));
    } catch (error) {
      message("complaints-error", error.message);
    }
  });
  await render();
}

start().catch((error) => message("complaints-error", error.message));
