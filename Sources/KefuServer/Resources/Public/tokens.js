// API tokens (owners and admins): integrations authenticate with them. A token is shown
// once, when it is made; afterwards only its first characters identify it.
import { api, el, pageStrings } from "./console-api.js";
import { copyText } from "./settings.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const when = (iso) => (iso ? new Date(iso).toLocaleString(document.documentElement.lang) : t("tokens_never"));

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

async function act(action) {
  message("tokens-error", "");
  message("tokens-status", "");
  try {
    await action();
  } catch (error) {
    message("tokens-error", error.message);
  }
}

async function render() {
  const [{ items }, agents] = await Promise.all([api("GET", "/api/v1/tokens"), api("GET", "/api/v1/agents")]);
  const names = new Map(agents.items.map((agent) => [agent.id, agent.name]));
  $("token-list").replaceChildren(...items.map((token) => el("tr", { dataset: { id: token.id } },
    el("td", { text: token.name }),
    el("td", {}, el("code", { text: `${token.hint}…` })),
    el("td", { text: names.get(token.agentId) ?? "—" }),
    el("td", { text: when(token.createdAt) }),
    el("td", { className: "token-used", text: when(token.lastUsedAt) }),
    el("td", {}, el("button", { type: "button", className: "token-revoke", text: t("tokens_revoke"),
      onclick: () => {
        if (!confirm(t("tokens_revoke_confirm", { name: token.name }))) return;
        act(async () => {
          await api("DELETE", `/api/v1/tokens/${token.id}`);
          await render();
          message("tokens-status", t("tokens_revoked", { name: token.name }));
        });
      } })))));
  $("token-empty").hidden = items.length > 0;
}

if (document.body.dataset.canEdit === "true") {
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(async () => {
      const created = await api("POST", "/api/v1/tokens", { name: $("token-name").value.trim() });
      $("token-form").reset();
      $("token-value").textContent = created.token;
      $("token-once").hidden = false;
      await render();
    });
  });
  $("token-copy").addEventListener("click", () => copyText($("token-value").textContent, $("token-copy"), t("settings_copied")));
  render().catch((error) => message("tokens-error", error.message));
}
