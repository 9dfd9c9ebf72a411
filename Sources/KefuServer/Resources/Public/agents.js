// Agents: who works in the workspace, in which role, and whether they are available.
// Admins add agents with a temporary password and change roles; every agent keeps their
// own name, language and password here.
import { api, el, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const canEdit = document.body.dataset.canEdit === "true";
const isOwner = document.body.dataset.isOwner === "true";
let me = null;

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

async function act(action) {
  message("agents-error", "");
  message("agents-status", "");
  try {
    await action();
  } catch (error) {
    message("agents-error", error.message);
  }
}

// Twelve characters from an alphabet without look-alikes (no 0/O, 1/l/I), read out or typed easily.
function temporaryPassword() {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((byte) => alphabet[byte % alphabet.length]).join("");
}

function select(className, options, value, disabled, label) {
  return el("select", { className, disabled, "aria-label": label },
    options.map(([key, text]) => el("option", { value: key, selected: key === value, text })));
}

function agentRow(agent) {
  const mine = agent.id === me.id;
  // Only an owner grants or takes away the owner role, and no owner demotes themselves.
  const roleLocked = !canEdit || (agent.role === "owner" && (!isOwner || mine));
  const roles = [["agent", t("agents_role_agent")], ["admin", t("agents_role_admin")]];
  if (isOwner || agent.role === "owner") roles.push(["owner", t("agents_role_owner")]);
  const role = select("agent-role", roles, agent.role, roleLocked, `${agent.name}: ${t("agents_role")}`);
  const availability = select("agent-availability", ["online", "away", "offline"].map((key) => [key, t(`presence_${key}`)]),
    agent.availability, !(canEdit || mine), `${agent.name}: ${t("routing_availability")}`);
  const save = el("button", { type: "button", className: "agent-save", text: t("routing_save"), hidden: !(canEdit || mine),
    onclick: () => act(async () => {
      const body = {};
      if (availability.value !== agent.availability) body.availability = availability.value;
      if (!roleLocked && role.value !== agent.role) body.role = role.value;
      if (!Object.keys(body).length) return message("agents-status", t("agents_nothing_changed"));
      const saved = await api("PATCH", `/api/v1/agents/${agent.id}`, body);
      Object.assign(agent, saved);
      message("agents-status", t("routing_saved", { name: saved.name }));
    }) });
  return el("tr", { dataset: { id: agent.id } },
    el("td", {}, el("strong", { text: agent.name }), mine ? el("span", { className: "hint", text: ` (${t("agents_you")})` }) : null),
    el("td", { text: agent.email }),
    el("td", {}, role), el("td", {}, availability),
    el("td", { text: agent.languages.join(", ") || "—" }),
    el("td", {}, save));
}

async function loadAgents() {
  const { items } = await api("GET", "/api/v1/agents");
  $("agent-list").replaceChildren(...items.map(agentRow));
}

async function start() {
  me = await api("GET", "/api/v1/auth/me");
  await loadAgents();
  $("me-name").value = me.name;
  $("me-locale").value = me.locale?.startsWith("zh") ? "zh-Hans" : "en";
  $("me-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(async () => {
      me = await api("PATCH", `/api/v1/agents/${me.id}`, { name: $("me-name").value.trim(), locale: $("me-locale").value });
      await loadAgents();
      message("agents-status", t("routing_saved", { name: me.name }));
    });
  });
  $("password-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(async () => {
      if ($("password-new").value !== $("password-repeat").value) throw new Error(t("agents_password_mismatch"));
      await api("PATCH", `/api/v1/agents/${me.id}`, { password: $("password-new").value });
      $("password-form").reset();
      message("agents-status", t("agents_password_changed"));
    });
  });
  if (!canEdit) return;
  $("invite-password").value = temporaryPassword();
  $("invite-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(async () => {
      const password = $("invite-password").value;
      const created = await api("POST", "/api/v1/agents", {
        name: $("invite-name").value.trim(), email: $("invite-email").value.trim(), role: $("invite-role").value, password,
      });
      $("invite-form").reset();
      $("invite-password").value = temporaryPassword();
      await loadAgents();
      message("invite-result", t("agents_invited", { name: created.name, email: created.email, password, url: `${location.origin}/console` }));
    });
  });
}

start().catch((error) => message("agents-error", error.message));
