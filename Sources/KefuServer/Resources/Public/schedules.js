// Business hours (owners and admins edit, everyone reads): each schedule's weekly hours
// in its time zone, dated overrides (holidays, make-up working days), whether it is the
// workspace's default, which inboxes follow it, and holidays imported from an .ics file.
import { api, el, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const canEdit = document.body.dataset.canEdit === "true";
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
let editing = null;
let inboxes = [];

function message(id, text) {
  const node = $(id);
  if (!node) return;
  node.textContent = text;
  node.hidden = !text;
}

// "09:00-12:00, 13:00-18:00" ⇄ [["09:00","12:00"],["13:00","18:00"]]; the desk checks the times.
const toText = (hours) => hours.map(([start, end]) => `${start}-${end}`).join(", ");
function toHours(text) {
  const trimmed = text.trim();
  if (!trimmed || trimmed === t("schedules_closed_word") || trimmed.toLowerCase() === "closed") return [];
  return trimmed.split(/[,，]/).map((part) => part.trim()).filter(Boolean).map((part) => part.split(/\s*[-–~]\s*/));
}

// One override a line: "2027-02-10 closed 春节", "2027-02-07 09:00-18:00 调休".
function toOverrides(text) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const [date, hours = "", ...name] = line.split(/\s+/);
    return { date, hours: toHours(hours), name: name.join(" ") || null };
  });
}
const overridesText = (overrides) => overrides
  .map((o) => [o.date, o.hours.length ? toText(o.hours).replace(/\s/g, "") : t("schedules_closed_word"), o.name ?? ""].join(" ").trim())
  .join("\n");

function when(iso, zone) {
  return new Date(iso).toLocaleString(document.documentElement.lang, { timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit" });
}

function state(schedule) {
  if (schedule.openNow) return el("span", { className: "schedule-open", text: t("schedules_open_now") });
  if (!schedule.nextOpening) return el("span", { className: "schedule-never", text: t("schedules_never_opens") });
  return el("span", { className: "schedule-closed", text: t("schedules_opens_at", { time: when(schedule.nextOpening, schedule.timeZone) }) });
}

function followers(schedule) {
  const names = schedule.inboxIds.map((id) => inboxes.find((inbox) => inbox.id === id)?.name ?? id);
  if (schedule.isDefault) names.unshift(t("schedules_default_badge"));
  return names.join(", ");
}

function fill(schedule) {
  editing = schedule;
  $("schedule-form-title").textContent = schedule ? t("schedules_edit", { name: schedule.name }) : t("schedules_new");
  $("schedule-name").value = schedule?.name ?? "";
  $("schedule-zone").value = schedule?.timeZone ?? "Asia/Shanghai";
  for (const input of document.querySelectorAll("input[name=day]")) input.value = schedule ? toText(schedule.weekly[input.dataset.day] ?? []) : "";
  $("schedule-overrides").value = schedule ? overridesText(schedule.overrides) : "";
  $("schedule-default").checked = schedule?.isDefault ?? false;
  for (const box of document.querySelectorAll("input[name=inbox]")) box.checked = schedule?.inboxIds.includes(box.value) ?? false;
  $("schedule-cancel").hidden = !schedule;
  $("holiday-form").hidden = !schedule;
}

async function act(action, done) {
  message("schedule-error", "");
  message("schedule-status", "");
  try {
    const result = await action();
    await render();
    if (done) done(result);
  } catch (error) {
    message("schedule-error", error.message);
  }
}

async function render() {
  const { items } = await api("GET", "/api/v1/schedules");
  const rows = items.map((schedule) => el("tr", { dataset: { id: schedule.id } },
    el("td", { text: schedule.name }),
    el("td", { text: schedule.timeZone }),
    el("td", { text: followers(schedule) }),
    el("td", {}, state(schedule)),
    el("td", {}, canEdit ? [
      el("button", { type: "button", className: "schedule-edit", text: t("schedules_edit_button"), onclick: () => fill(schedule) }),
      el("button", { type: "button", className: "schedule-delete", text: t("schedules_delete"),
        onclick: () => act(() => api("DELETE", `/api/v1/schedules/${schedule.id}`), () => { if (editing?.id === schedule.id) fill(null); }) }),
    ] : [])));
  $("schedule-list").replaceChildren(...rows);
  $("schedule-empty").hidden = rows.length > 0;
  if (editing) editing = items.find((s) => s.id === editing.id) ?? null;
}

async function loadInboxes() {
  if (!canEdit) return;
  ({ items: inboxes } = await api("GET", "/api/v1/inboxes"));
  $("schedule-inbox-list").replaceChildren(...inboxes.map((inbox) =>
    el("label", {}, el("input", { type: "checkbox", name: "inbox", value: inbox.id }), ` ${inbox.name}`)));
}

$("schedule-form")?.addEventListener("submit", (event) => {
  event.preventDefault();
  const weekly = {};
  for (const input of document.querySelectorAll("input[name=day]")) weekly[input.dataset.day] = toHours(input.value);
  const body = {
    name: $("schedule-name").value.trim(),
    timeZone: $("schedule-zone").value.trim(),
    weekly,
    overrides: toOverrides($("schedule-overrides").value),
    isDefault: $("schedule-default").checked,
    inboxIds: [...document.querySelectorAll("input[name=inbox]:checked")].map((box) => box.value),
  };
  act(() => editing ? api("PATCH", `/api/v1/schedules/${editing.id}`, body) : api("POST", "/api/v1/schedules", body),
      (saved) => { fill(saved); message("schedule-status", t("schedules_saved", { name: saved.name })); });
});

$("schedule-cancel")?.addEventListener("click", () => fill(null));

$("holiday-form")?.addEventListener("submit", (event) => {
  event.preventDefault();
  const file = $("holiday-file").files[0];
  if (!editing || !file) return message("schedule-error", t("schedules_import_pick"));
  act(async () => api("POST", `/api/v1/schedules/${editing.id}/holidays`, { ics: await file.text(), workingDay: $("holiday-day").value }),
      (saved) => { fill(saved); message("schedule-status", t("schedules_imported", { count: String(saved.overrides.length) })); });
});

for (const input of document.querySelectorAll("input[name=day]")) {
  if (["sat", "sun"].includes(input.dataset.day)) input.placeholder = t("schedules_closed_word");
}
loadInboxes().then(render).catch((error) => message("schedule-error", error.message));
