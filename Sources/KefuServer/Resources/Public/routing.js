// Routing: who waits in the queue and why (every agent sees it), what each agent answers
// in, is skilled at and takes at once (admins set skills and capacity; agents their own
// languages), and how long an agent who goes away keeps their conversations.
import { api, el, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const canEdit = document.body.dataset.canEdit === "true";
const list = (text) => text.split(/[,，\s]+/).map((part) => part.trim()).filter(Boolean);
let me = null;
let agents = [];
let inboxes = [];
let queue = [];

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

function waited(since) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(since)) / 1000));
  const m = Math.floor(seconds / 60), s = seconds % 60;
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}:${String(s).padStart(2, "0")}` : `${m}:${String(s).padStart(2, "0")}`;
}

function drawQueue() {
  const rows = queue.map((entry) => el("tr", { dataset: { id: entry.conversation.id } },
    el("td", { text: String(entry.position) }),
    el("td", {}, el("a", { href: `/console#${entry.conversation.id}`, text: `#${entry.conversation.number}` }),
      entry.conversation.priority !== "normal" ? ` · ${t(`priority_${entry.conversation.priority}`)}` : ""),
    el("td", { text: inboxes.find((inbox) => inbox.id === entry.inboxId)?.name ?? "" }),
    el("td", { className: "queue-waited", dataset: { since: entry.waitingSince }, text: waited(entry.waitingSince) }),
    el("td", { className: "queue-reason", text: t(`routing_reason_${entry.reason}`) }),
    el("td", { text: entry.tier === "vip" ? "VIP" : t("routing_standard") })));
  $("queue-list").replaceChildren(...rows);
  $("queue-empty").hidden = rows.length > 0;
}

async function loadQueue() {
  queue = (await api("GET", "/api/v1/routing/queue")).items;
  drawQueue();
}

function agentRow(agent) {
  const mine = agent.id === me.id;
  const languages = el("input", { className: "agent-languages", value: agent.languages.join(", "), disabled: !(canEdit || mine),
    "aria-label": `${agent.name}: ${t("routing_languages")}`, placeholder: agent.locale ?? "zh, en" });
  const skills = el("input", { className: "agent-skills", value: agent.skills.join(", "), disabled: !canEdit,
    "aria-label": `${agent.name}: ${t("routing_skills")}` });
  const capacity = el("input", { className: "agent-capacity", type: "number", min: "0", max: "100", value: String(agent.capacity), disabled: !canEdit,
    "aria-label": `${agent.name}: ${t("routing_capacity")}` });
  const save = el("button", { type: "button", className: "agent-save", text: t("routing_save"), hidden: !(canEdit || mine),
    onclick: () => act(async () => {
      const body = { languages: list(languages.value) };
      if (canEdit) Object.assign(body, { skills: list(skills.value), capacity: Number(capacity.value) });
      const saved = await api("PATCH", `/api/v1/agents/${agent.id}`, body);
      message("routing-status", t("routing_saved", { name: saved.name }));
    }) });
  return el("tr", { dataset: { id: agent.id } },
    el("td", { text: agent.name }),
    el("td", { text: t(`presence_${agent.availability}`) }),
    el("td", {}, languages), el("td", {}, skills), el("td", {}, capacity), el("td", {}, save));
}

function teamRow(team) {
  const boxes = agents.map((agent) => el("label", { className: "schedule-check" },
    el("input", { type: "checkbox", className: "team-member", value: agent.id, checked: team.agentIds.includes(agent.id), disabled: !canEdit,
      "aria-label": `${team.name}: ${agent.name}` }), ` ${agent.name}`));
  const save = canEdit ? el("button", { type: "button", className: "team-save", text: t("routing_save"),
    onclick: () => act(async () => {
      const agentIds = boxes.map((label) => label.querySelector("input")).filter((box) => box.checked).map((box) => box.value);
      const saved = await api("PATCH", `/api/v1/teams/${team.id}`, { agentIds });
      message("routing-status", t("routing_saved", { name: saved.name }));
    }) }) : null;
  return el("tr", { dataset: { id: team.id } },
    el("td", {}, el("strong", { text: team.name }), team.description ? el("div", { className: "hint", text: team.description }) : null),
    el("td", {}, el("div", { className: "schedule-row" }, boxes)), el("td", {}, save));
}

async function loadTeams() {
  const teams = (await api("GET", "/api/v1/teams")).items;
  $("team-list").replaceChildren(...teams.map(teamRow));
  $("team-empty").hidden = teams.length > 0;
}

async function act(action) {
  message("routing-error", "");
  message("routing-status", "");
  try {
    await action();
  } catch (error) {
    message("routing-error", error.message);
  }
}

async function start() {
  const [who, agentList, inboxList, settings] = await Promise.all([
    api("GET", "/api/v1/auth/me"), api("GET", "/api/v1/agents"), api("GET", "/api/v1/inboxes"), api("GET", "/api/v1/routing"),
  ]);
  me = who;
  agents = agentList.items;
  inboxes = inboxList.items;
  $("agent-list").replaceChildren(...agents.map(agentRow));
  await loadTeams();
  $("team-form")?.addEventListener("submit", (event) => {
    event.preventDefault();
    act(async () => {
      const saved = await api("POST", "/api/v1/teams", { name: $("team-name").value.trim(), description: $("team-description").value.trim() || undefined });
      $("team-form").reset();
      await loadTeams();
      message("routing-status", t("routing_saved", { name: saved.name }));
    });
  });
  $("grace-seconds").value = settings.graceSeconds;
  $("grace-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(async () => {
      const saved = await api("PATCH", "/api/v1/routing", { graceSeconds: Number($("grace-seconds").value) });
      $("grace-seconds").value = saved.graceSeconds;
      message("routing-status", t("routing_grace_saved", { seconds: saved.graceSeconds }));
    });
  });
  await loadQueue();
  setInterval(() => loadQueue().catch(() => {}), 5_000);
  setInterval(() => { for (const cell of document.querySelectorAll(".queue-waited")) cell.textContent = waited(cell.dataset.since); }, 1_000);
}

start().catch((error) => message("routing-error", error.message));
