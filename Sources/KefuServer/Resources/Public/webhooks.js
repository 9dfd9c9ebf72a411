// The webhooks settings page (owners and admins): add, switch on and off, delete, and see
// what was delivered. A webhook the desk switched off says why, and can be switched back on.
import { api, el, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const canEdit = document.body.dataset.canEdit === "true";
const when = (iso) => new Date(iso).toLocaleString(document.documentElement.lang);

function showError(text) {
  const error = $("webhook-error");
  if (!error) return;
  error.textContent = text;
  error.hidden = !text;
}

function status(hook) {
  if (!hook.active) return el("span", { className: "webhook-off", text: t("webhooks_disabled", { reason: hook.disabledReason ?? "" }) });
  if (hook.failingSince) return el("span", { className: "webhook-failing", text: t("webhooks_failing", { time: when(hook.failingSince) }) });
  return el("span", { className: "webhook-ok", text: t("webhooks_active") });
}

async function act(action) {
  showError("");
  try {
    await action();
    await render();
  } catch (error) {
    showError(error.message);
  }
}

async function showDeliveries(hook) {
  const { items } = await api("GET", `/api/v1/webhooks/${hook.id}/deliveries?limit=10`);
  const rows = items.map((d) => el("li", { className: d.succeeded ? "delivery-ok" : "delivery-failed" },
    `${when(d.createdAt)} · ${d.eventType} · ${d.succeeded ? t("webhooks_delivery_ok") : t("webhooks_delivery_failed")}`,
    d.statusCode ? ` · HTTP ${d.statusCode}` : "", d.error ? ` · ${d.error}` : ""));
  $("delivery-list").replaceChildren(...(rows.length ? rows : [el("li", { text: t("webhooks_no_deliveries") })]));
  $("webhook-deliveries").hidden = false;
}

async function render() {
  if (!canEdit) return;
  const { items } = await api("GET", "/api/v1/webhooks");
  const rows = items.map((hook) => el("tr", { dataset: { id: hook.id } },
    el("td", { text: hook.url }),
    el("td", { text: hook.eventTypes.join(", ") }),
    el("td", {}, status(hook)),
    el("td", {},
      el("button", { type: "button", className: hook.active ? "webhook-disable" : "webhook-enable",
        text: hook.active ? t("webhooks_disable") : t("webhooks_enable"),
        onclick: () => act(() => api("PATCH", `/api/v1/webhooks/${hook.id}`, { active: !hook.active })) }),
      el("button", { type: "button", className: "webhook-deliveries", text: t("webhooks_deliveries"),
        onclick: () => showDeliveries(hook).catch((error) => showError(error.message)) }),
      el("button", { type: "button", className: "webhook-delete", text: t("webhooks_delete"),
        onclick: () => act(() => api("DELETE", `/api/v1/webhooks/${hook.id}`)) }))));
  $("webhook-list").replaceChildren(...rows);
  $("webhook-empty").hidden = rows.length > 0;
}

$("webhook-form")?.addEventListener("submit", (event) => {
  event.preventDefault();
  const eventTypes = [...document.querySelectorAll("input[name=event]:checked")].map((box) => box.value);
  act(async () => {
    const created = await api("POST", "/api/v1/webhooks", { url: $("webhook-url").value.trim(), eventTypes });
    $("webhook-url").value = "";
    const secret = $("webhook-secret");
    secret.textContent = t("webhooks_secret_once", { secret: created.secret ?? "" });
    secret.hidden = false;
  });
});

render().catch((error) => showError(error.message));
