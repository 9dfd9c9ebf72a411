// The glossary: crypto terms with a plain explanation in English and Chinese. The composer
// offers them when a draft uses a term, and the answer bot adds one when a customer asks
// what a term means. Owners and admins edit it.
import { api, el, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const canEdit = document.body.dataset.canEdit === "true";
let editing = null;

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

function fill(entry) {
  if (!canEdit) return;
  editing = entry;
  $("glossary-form-title").textContent = entry ? t("glossary_edit", { term: entry.terms[0] }) : t("glossary_new");
  $("glossary-terms").value = entry ? entry.terms.join(", ") : "";
  $("glossary-en").value = entry?.explanation.en ?? "";
  $("glossary-zh").value = entry?.explanation["zh-Hans"] ?? "";
  $("glossary-cancel").hidden = !entry;
}

async function render() {
  const { items } = await api("GET", "/api/v1/glossary");
  $("glossary-list").replaceChildren(...items.map((entry) => el("tr", { dataset: { key: entry.key } },
    el("td", { className: "terms", text: entry.terms.join(", ") }),
    el("td", { text: entry.explanation.en }),
    el("td", { text: entry.explanation["zh-Hans"] }),
    el("td", {}, canEdit ? [
      el("button", { type: "button", className: "edit", text: t("canned_edit_button"), onclick: () => fill(entry) }),
      el("button", { type: "button", className: "delete", text: t("canned_delete"), onclick: async () => {
        if (!confirm(t("glossary_delete_confirm", { term: entry.terms[0] }))) return;
        try {
          await api("DELETE", `/api/v1/glossary/${entry.id}`);
          await render();
        } catch (error) {
          message("glossary-error", error.message);
        }
      } }),
    ] : []))));
}

async function start() {
  if (canEdit) {
    $("glossary-cancel").addEventListener("click", () => fill(null));
    $("glossary-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      message("glossary-error", "");
      message("glossary-status", "");
      const body = {
        terms: $("glossary-terms").value.split(/[,，]/).map((term) => term.trim()).filter(Boolean),
        explanation: { en: $("glossary-en").value.trim(), "zh-Hans": $("glossary-zh").value.trim() },
      };
      try {
        if (editing) await api("PATCH", `/api/v1/glossary/${editing.id}`, body);
        else await api("POST", "/api/v1/glossary", body);
        message("glossary-status", t("glossary_saved"));
        fill(null);
        await render();
      } catch (error) {
        message("glossary-error", error.message);
      }
    });
  }
  await render();
}

start().catch((error) => message("glossary-error", error.message));
