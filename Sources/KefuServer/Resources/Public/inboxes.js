// Inboxes: where conversations come in. For each, the one line that puts the chat widget
// on a site (with a copy button), who answers it, which business hours it keeps, and what
// customers are told about reply times, in both languages.
import { api, el, pageStrings } from "./console-api.js";
import { copyText } from "./settings.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const canEdit = document.body.dataset.canEdit === "true";
const deskURL = document.body.dataset.deskUrl || location.origin;
let agents = [];
let schedules = [];

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

async function act(action) {
  message("inboxes-error", "");
  message("inboxes-status", "");
  try {
    await action();
  } catch (error) {
    message("inboxes-error", error.message);
  }
}

export const snippet = (inbox) => `<script src="${deskURL}/widget.js" data-inbox="${inbox.publicToken}" async></script>`;

function field(label, input) {
  return el("label", {}, `${label} `, input);
}

function input(className, value, props = {}) {
  return el("input", { className, value: value ?? "", disabled: !canEdit, autocomplete: "off", ...props });
}

function inboxCard(inbox) {
  const name = input("inbox-name", inbox.name, { required: true, maxlength: "200" });
  const reply = inbox.expectedReply;
  const minutes = {
    online: input("reply-online-minutes", String(reply.onlineMinutes), { type: "number", min: "0", max: "10080" }),
    offline: input("reply-offline-minutes", String(reply.offlineMinutes), { type: "number", min: "0", max: "10080" }),
  };
  const words = {};
  for (const when of ["online", "offline"]) {
    for (const [lang, key] of [["en", "en"], ["zh", "zh-Hans"]]) {
      words[`${when}-${lang}`] = input(`reply-${when}-${lang}`, reply[`${when}Text`]?.[key], {
        maxlength: "300", placeholder: t(`inboxes_reply_${when}_default_${lang}`, { minutes: reply[`${when}Minutes`], hours: Math.max(1, Math.round(reply[`${when}Minutes`] / 60)) }),
      });
    }
  }
  const schedule = el("select", { className: "inbox-schedule", disabled: !canEdit, "aria-label": `${inbox.name}: ${t("inboxes_schedule")}` },
    el("option", { value: "", text: t("inboxes_schedule_default"), selected: !inbox.scheduleId }),
    schedules.map((s) => el("option", { value: s.id, text: s.name, selected: s.id === inbox.scheduleId })));
  const members = agents.map((agent) => el("label", { className: "schedule-check" },
    el("input", { type: "checkbox", className: "inbox-member", value: agent.id, checked: inbox.agentIds.includes(agent.id), disabled: !canEdit,
      "aria-label": `${inbox.name}: ${agent.name}` }), ` ${agent.name}`));

  let connect;
  if (inbox.kind === "widget") {
    const code = el("textarea", { className: "inbox-snippet", readonly: true, rows: "2", "aria-label": t("inboxes_snippet") });
    code.value = snippet(inbox);
    const copy = el("button", { type: "button", className: "inbox-copy", text: t("settings_copy"),
      onclick: () => copyText(code.value, copy, t("settings_copied")) });
    connect = el("div", { className: "inbox-connect" }, el("h3", { text: t("inboxes_snippet") }),
      el("p", { className: "hint", text: t("inboxes_snippet_hint") }), code, copy);
  } else {
    connect = el("div", { className: "inbox-connect" }, el("h3", { text: t("inboxes_api_endpoint") }),
      el("p", { className: "hint", text: t("inboxes_api_hint") }), el("code", { className: "inbox-endpoint", text: `POST ${deskURL}/api/v1/inboxes/${inbox.id}/messages` }));
  }
  const secret = inbox.identitySecret ? el("p", { className: "hint" }, `${t("inboxes_identity_secret")} `,
    el("button", { type: "button", className: "inbox-secret-show", text: t("inboxes_show"),
      onclick: (event) => event.target.replaceWith(el("code", { className: "inbox-secret", text: inbox.identitySecret })) }),
    ` ${t("inboxes_identity_hint")}`) : null;

  const save = canEdit ? el("button", { type: "button", className: "inbox-save", text: t("routing_save"),
    onclick: () => act(async () => {
      const text = (when) => ({ en: words[`${when}-en`].value.trim(), "zh-Hans": words[`${when}-zh`].value.trim() });
      const saved = await api("PATCH", `/api/v1/inboxes/${inbox.id}`, {
        name: name.value.trim(),
        agentIds: members.map((label) => label.querySelector("input")).filter((box) => box.checked).map((box) => box.value),
        scheduleId: schedule.value || null,
        expectedReply: {
          onlineMinutes: Number(minutes.online.value), offlineMinutes: Number(minutes.offline.value),
          onlineText: text("online"), offlineText: text("offline"),
        },
      });
      card.replaceWith(inboxCard(saved));
      message("inboxes-status", t("routing_saved", { name: saved.name }));
    }) }) : null;

  const card = el("section", { className: "inbox-card", dataset: { id: inbox.id, kind: inbox.kind } },
    el("h2", {}, inbox.name, " ", el("span", { className: "inbox-kind", text: t(`inboxes_kind_${inbox.kind}`) })),
    connect,
    el("div", { className: "schedule-form" },
      field(t("inboxes_name"), name),
      el("fieldset", {}, el("legend", { text: t("inboxes_members") }), el("p", { className: "hint", text: t("inboxes_members_hint") }),
        el("div", { className: "schedule-row" }, members)),
      el("fieldset", {}, el("legend", { text: t("inboxes_schedule") }), schedule, " ",
        el("a", { href: "/console/schedules", text: t("settings_nav_schedules") })),
      el("fieldset", {}, el("legend", { text: t("inboxes_reply") }), el("p", { className: "hint", text: t("inboxes_reply_hint") }),
        field(t("inboxes_reply_online_minutes"), minutes.online), field(t("inboxes_reply_offline_minutes"), minutes.offline),
        field(t("inboxes_reply_online_en"), words["online-en"]), field(t("inboxes_reply_online_zh"), words["online-zh"]),
        field(t("inboxes_reply_offline_en"), words["offline-en"]), field(t("inboxes_reply_offline_zh"), words["offline-zh"])),
      secret, save));
  return card;
}

async function render() {
  const [inboxes, agentList, scheduleList] = await Promise.all([
    api("GET", "/api/v1/inboxes"), api("GET", "/api/v1/agents"), api("GET", "/api/v1/schedules"),
  ]);
  agents = agentList.items;
  schedules = scheduleList.items;
  $("inbox-list").replaceChildren(...inboxes.items.map(inboxCard));
}

$("inbox-form")?.addEventListener("submit", (event) => {
  event.preventDefault();
  act(async () => {
    const created = await api("POST", "/api/v1/inboxes", { name: $("inbox-name").value.trim(), kind: $("inbox-kind").value });
    $("inbox-form").reset();
    await render();
    message("inboxes-status", t("inboxes_created", { name: created.name }));
    document.querySelector(`.inbox-card[data-id='${created.id}']`)?.scrollIntoView();
  });
});

render().catch((error) => message("inboxes-error", error.message));
