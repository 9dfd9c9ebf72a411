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
  if (c.languages?.length) parts.push(c.languages.join("/"));
  if (c.categories?.length) parts.push(c.categories.join("/"));
  return parts.length ? parts.join(" · ") : t("sla_everyone");
}

function targets(policy) {
  return CLOCKS.flatMap((clock) => Object.entries(policy.targets?.[clock] ?? {}).map(([priority, target]) =>
    `${t(CLOCK_NAMES[clock])} ${t(`priority_${priority}`)} ${Math.round(target.seconds / 60)} ${t("sla_minutes")}`)).join(", ");
}

function fill(policy) {
  editing = policy;
  $("policy-form-title").textContent = policy ? t("schedules_edit", { name: policy.name }) : t("sla_new");
  $("policy-name").value = policy?.name ?? "";
  const c = policy?.conditions ?? {};
  for (const box of document.querySelectorAll("input[name=priority]")) box.checked = c.priorities?.includes(box.value) ?? false;
  $("policy-vip").checked = c.tiers?.includes("vip") ?? false;
  $("policy-languages").value = (c.languages ?? []).join(", ");
  $("policy-categories").value = (c.categories ?? []).join(", ");
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
      languages: list($("policy-languages").value),
      categories: list($("policy-categories").value),
    },
    targets: targetsBody,
  };
  act(() => editing ? api("PATCH", `/api/v1/sla-policies/${editing.id}`, body) : api("POST", "/api/v1/sla-policies", body),
      (saved) => { fill(null); message("policy-status", t("schedules_saved", { name: saved.name })); });
});

$("policy-cancel")?.addEventListener("click", () => fill(null));
render().catch((error) => message("policy-error", error.message));
