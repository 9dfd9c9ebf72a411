// Macros on a conversation: pick one, see what it will send and change (its replies filled
// for this customer, each field from → to, why it cannot run if it cannot), then apply it
// in one click. Nothing is written until "Apply".
import { el } from "./console-api.js";

export function macroMenu({ picker, preview, api, t, conversationId, applied }) {
  let macros = null;

  async function load() {
    if (!macros) macros = api("GET", "/api/v1/macros").then((result) => result.items).catch(() => ((macros = null), []));
    const items = await macros;
    const chosen = picker.value;
    picker.replaceChildren(el("option", { value: "", text: t("macro_pick") }), ...items.map((m) => el("option", { value: m.id, text: m.name })));
    picker.value = chosen;
    picker.disabled = items.length === 0;
    if (!items.length) picker.title = t("macro_none");
  }

  function close() {
    preview.hidden = true;
    preview.replaceChildren();
    picker.value = "";
  }

  const valueText = (field, value) => {
    if (value === null || value === undefined || value === "") return t("macro_nothing");
    if (field === "status") return t(`status_${value}`);
    if (field === "priority") return t(`priority_${value}`);
    return value;
  };

  async function show(macroId) {
    const id = conversationId();
    if (!id || !macroId) return close();
    let plan;
    try {
      plan = await api("POST", `/api/v1/macros/${macroId}/preview`, { conversationId: id });
    } catch (error) {
      preview.replaceChildren(el("p", { className: "error", role: "alert", text: error.message }));
      preview.hidden = false;
      return;
    }
    if (conversationId() !== id) return;
    const error = el("p", { className: "error", role: "alert", hidden: true });
    const parts = [el("h3", { text: t("macro_preview_title", { name: plan.name }) })];
    const steps = el("ul", { className: "macro-steps" });
    for (const message of plan.messages) {
      steps.append(el("li", { className: `macro-${message.kind}` }, el("strong", { text: t(message.kind === "reply" ? "macro_will_reply" : "macro_will_note") }), " ",
        el("span", { className: "text", text: message.text })));
    }
    for (const change of plan.changes) {
      steps.append(el("li", { className: "macro-change", dataset: { field: change.field } }, el("strong", { text: t(`field_${change.field}`) }), " ",
        `${valueText(change.field, change.from)} → ${valueText(change.field, change.to)}`));
    }
    if (plan.snoozedUntil) steps.append(el("li", { className: "macro-snooze", text: t("snoozed_until", { time: new Date(plan.snoozedUntil).toLocaleString(document.documentElement.lang) }) }));
    if (!steps.children.length) steps.append(el("li", { text: t("macro_changes_nothing") }));
    parts.push(steps);
    if (plan.problems.length) parts.push(el("ul", { className: "error macro-problems", role: "alert" }, ...plan.problems.map((p) => el("li", { text: p }))));
    const apply = el("button", { type: "button", id: "macro-apply", text: t("macro_apply"), disabled: plan.problems.length > 0,
      onclick: async () => {
        apply.disabled = true;
        try {
          const conversation = await api("POST", `/api/v1/macros/${macroId}/apply`, { conversationId: id });
          close();
          macros = null;
          applied(conversation);
        } catch (failure) {
          error.textContent = failure.message;
          error.hidden = false;
          apply.disabled = false;
        }
      } });
    parts.push(el("div", { className: "row" }, apply, " ", el("button", { type: "button", id: "macro-cancel", text: t("macro_cancel"), onclick: close })), error);
    preview.replaceChildren(...parts);
    preview.hidden = false;
  }

  picker.addEventListener("focus", load);
  picker.addEventListener("change", () => show(picker.value));
  load();
  return { close, reload: () => ((macros = null), load()) };
}
