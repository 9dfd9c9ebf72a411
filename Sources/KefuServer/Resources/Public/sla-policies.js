// Service-level policies (owners and admins edit, everyone reads): in the order they are
// tried, which conversations each covers, and its targets per priority in minutes.
import { api, el, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const canEdit = document.body.dataset.canEdit === "true";
const CLOCKS = ["firstResponse", "nextResponse", "resolution"];
const CLOCK_NAMES = { firstResponse: "sla_first_response", nextResponse: "sla_next_response", resolution: "sla_resolution" };
let editing = null;
let teams = [];
let inboxes = [];
// What a policy does when left as it is: the desk's standard escalation.
const STANDARD = { onWarning: { notifyAssignee: true }, onBreach: { notifyAssignee: true, notifyTeam: true } };

function message(id, text) {
  const node = $(id);
  if (!node) return;
  node.textContent = text;
  node.hidden = !text;
}

const list = (text) => text.split(/[,，\s]+/).map((part) => part.trim()).filter(Boolean);

function covers(policy) {
  const c = policy.conditions ?? {};
  const parts = [];
  if (c.priorities?.length) parts.push(c.priorities.map((p) => t(`priority_${p}`)).join("/"));
  if (c.tiers?.includes("vip")) parts.push("VIP");
  if (c.complaint === true) parts.push(t("sla_complaints_only"));
  if (c.complaint === false) parts.push(t("sla_complaints_not"));
  if (c.languages?.length) parts.push(c.languages.join("/"));
  if (c.categories?.length) parts.push(c.categories.join("/"));
  const named = (ids, known) => ids.map((id) => known.find((item) => item.id === id)?.name ?? id).join("/");
  if (c.inboxIds?.length) parts.push(named(c.inboxIds, inboxes));
  if (c.teamIds?.length) parts.push(named(c.teamIds, teams));
  return parts.length ? parts.join(" · ") : t("sla_everyone");
}

function targets(policy) {
  return CLOCKS.flatMap((clock) => Object.entries(policy.targets?.[clock] ?? {}).map(([priority, target]) =>
    `${t(CLOCK_NAMES[clock])} ${t(`priority_${priority}`)} ${Math.round(target.seconds / 60)} ${t("sla_minutes")}`)).join(", ");
}

function escalationSummary(policy) {
  const e = policy.escalation ?? STANDARD;
  const said = (steps) => {
    const parts = [];
    if (steps?.notifyAssignee) parts.push(t("sla_notify_assignee"));
    if (steps?.notifyTeam) parts.push(t("sla_notify_team"));
    if (steps?.raisePriority) parts.push(t("sla_raise_priority"));
    if (steps?.handToTeamId) parts.push(`${t("sla_hand_to_team")} ${teams.find((team) => team.id === steps.handToTeamId)?.name ?? ""}`);
    return parts.length ? parts.join(", ") : t("sla_escalation_summary_none");
  };
  return `${t("sla_on_warning")} (${Math.round((policy.warningShare ?? 0.8) * 100)}%): ${said(e.onWarning)}; ${t("sla_on_breach")}: ${said(e.onBreach)}`;
}

function choices(container, items, name) {
  if (!container) return;
  container.replaceChildren(...items.map((item) =>
    el("label", { className: "schedule-check" }, el("input", { type: "checkbox", name, value: item.id }), ` ${item.name}`)));
}

function fill(policy) {
  if (!$("policy-form")) return;
  editing = policy;
  $("policy-form-title").textContent = policy ? t("schedules_edit", { name: policy.name }) : t("sla_new");
  $("policy-name").value = policy?.name ?? "";
  const c = policy?.conditions ?? {};
  for (const box of document.querySelectorAll("input[name=priority]")) box.checked = c.priorities?.includes(box.value) ?? false;
  $("policy-vip").checked = c.tiers?.includes("vip") ?? false;
  $("policy-complaint").value = c.complaint === true ? "true" : c.complaint === false ? "false" : "";
  $("policy-languages").value = (c.languages ?? []).join(", ");
  $("policy-categories").value = (c.categories ?? []).join(", ");
  for (const box of document.querySelectorAll("input[name=inbox]")) box.checked = c.inboxIds?.includes(box.value) ?? false;
  for (const box of document.querySelectorAll("input[name=team]")) box.checked = c.teamIds?.includes(box.value) ?? false;
  $("policy-warning-share").value = Math.round((policy?.warningShare ?? 0.8) * 100);
  const escalation = policy?.escalation ?? STANDARD;
  for (const input of document.querySelectorAll("#policy-escalation [data-step]")) {
    const value = escalation[input.dataset.when]?.[input.dataset.step];
    if (input.type === "checkbox") input.checked = Boolean(value);
    else input.value = value ?? "";
  }
  let business = true;
  for (const input of document.querySelectorAll("input[data-clock]")) {
    const target = policy?.targets?.[input.dataset.clock]?.[input.dataset.priority];
    input.value = target ? Math.round(target.seconds / 60) : "";
    if (target && target.businessHours === false) business = false;
  }
  $("policy-business").checked = business;
  $("policy-cancel").hidden = !policy;
}

async function act(action, done) {
  message("policy-error", "");
  message("policy-status", "");
  try {
    const result = await action();
    await render();
    if (done) done(result);
  } catch (error) {
    message("policy-error", error.message);
  }
}

async function render() {
  const { items } = await api("GET", "/api/v1/sla-policies");
  const rows = items.map((policy) => el("tr", { dataset: { id: policy.id } },
    el("td", { text: String(policy.position + 1) }),
    el("td", { text: policy.name }),
    el("td", { text: covers(policy) }),
    el("td", { text: targets(policy) }),
    el("td", { className: "policy-escalation", text: escalationSummary(policy) }),
    el("td", {}, canEdit ? [
      el("button", { type: "button", className: "policy-up", text: "↑", "aria-label": t("sla_move_up"), disabled: policy.position === 0,
        onclick: () => act(() => api("PATCH", `/api/v1/sla-policies/${policy.id}`, { position: policy.position - 1 })) }),
      el("button", { type: "button", className: "policy-edit", text: t("schedules_edit_button"), onclick: () => fill(policy) }),
      el("button", { type: "button", className: "policy-delete", text: t("schedules_delete"),
        onclick: () => act(() => api("DELETE", `/api/v1/sla-policies/${policy.id}`), () => { if (editing?.id === policy.id) fill(null); }) }),
    ] : [])));
  $("policy-list").replaceChildren(...rows);
  $("policy-empty").hidden = rows.length > 0;
}

$("policy-form")?.addEventListener("submit", (event) => {
  event.preventDefault();
  const businessHours = $("policy-business").checked;
  const targetsBody = {};
  for (const input of document.querySelectorAll("input[data-clock]")) {
    if (!input.value) continue;
    targetsBody[input.dataset.clock] ??= {};
    targetsBody[input.dataset.clock][input.dataset.priority] = { seconds: Math.round(Number(input.value) * 60), businessHours };
  }
  const body = {
    name: $("policy-name").value.trim(),
    conditions: {
      priorities: [...document.querySelectorAll("input[name=priority]:checked")].map((box) => box.value),
      tiers: $("policy-vip").checked ? ["vip"] : [],
      complaint: $("policy-complaint").value === "" ? null : $("policy-complaint").value === "true",
      languages: list($("policy-languages").value),
      categories: list($("policy-categories").value),
      inboxIds: [...document.querySelectorAll("input[name=inbox]:checked")].map((box) => box.value),
      teamIds: [...document.querySelectorAll("input[name=team]:checked")].map((box) => box.value),
    },
    targets: targetsBody,
    warningShare: Number($("policy-warning-share").value) / 100,
    escalation: { onWarning: {}, onBreach: {} },
  };
  for (const input of document.querySelectorAll("#policy-escalation [data-step]")) {
    body.escalation[input.dataset.when][input.dataset.step] = input.type === "checkbox" ? input.checked : input.value || null;
  }
  act(() => editing ? api("PATCH", `/api/v1/sla-policies/${editing.id}`, body) : api("POST", "/api/v1/sla-policies", body),
      (saved) => { fill(null); message("policy-status", t("schedules_saved", { name: saved.name })); });
});

$("policy-cancel")?.addEventListener("click", () => fill(null));
async function start() {
  const [teamList, inboxList] = await Promise.all([api("GET", "/api/v1/teams"), api("GET", "/api/v1/inboxes")]);
  teams = teamList.items;
  inboxes = inboxList.items;
  choices($("policy-inboxes"), inboxes, "inbox");
  choices($("policy-teams"), teams, "team");
  for (const select of document.querySelectorAll("#policy-escalation select")) {
    select.replaceChildren(el("option", { value: "", text: t("sla_hand_to_nobody") }), ...teams.map((team) => el("option", { value: team.id, text: team.name })));
  }
  fill(null);
  await render();
}

start().catch((error) => message("policy-error", error.message));
