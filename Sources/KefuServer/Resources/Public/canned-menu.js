// The composer's `/` menu: typing "/" then part of a shortcut or title lists the canned
// replies the agent may use; Enter (or a click) puts the one chosen, filled for this
// conversation in its customer's language, into the draft.
import { el } from "./console-api.js";

export function cannedMenu({ textarea, menu, api, t, conversationId, used }) {
  let replies = null;
  let shown = [];
  let active = 0;

  async function load() {
    if (!replies) replies = api("GET", "/api/v1/canned-replies").then((result) => result.items).catch(() => ((replies = null), []));
    return replies;
  }

  function close() {
    menu.hidden = true;
    shown = [];
  }

  function draw() {
    menu.replaceChildren(...shown.map((reply, index) => el("li", {
      role: "option", "aria-selected": String(index === active), dataset: { shortcut: reply.shortcut },
      onmousedown: (event) => {
        event.preventDefault();
        choose(index);
      },
    }, el("code", { text: `/${reply.shortcut}` }), " ", el("span", { text: reply.title }))));
    if (!shown.length) menu.replaceChildren(el("li", { className: "none", text: t("canned_none_match") }));
    menu.hidden = false;
  }

  async function choose(index) {
    const reply = shown[index];
    const id = conversationId();
    if (!reply || !id) return;
    close();
    try {
      const rendered = await api("POST", `/api/v1/canned-replies/${reply.id}/render`, { conversationId: id });
      textarea.value = rendered.text;
      textarea.focus();
      used(reply.id);
    } catch (error) {
      textarea.setCustomValidity("");
    }
  }

  textarea.addEventListener("input", async () => {
    const value = textarea.value;
    if (!value.startsWith("/") || value.includes("\n") || value.length > 41) return close();
    const query = value.slice(1).toLowerCase();
    const all = await load();
    if (textarea.value !== value) return;
    shown = all.filter((reply) => reply.shortcut.toLowerCase().includes(query) || reply.title.toLowerCase().includes(query)).slice(0, 8);
    active = 0;
    draw();
  });
  textarea.addEventListener("keydown", (event) => {
    if (menu.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!shown.length) return;
      active = (active + (event.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
      draw();
    } else if ((event.key === "Enter" || event.key === "Tab") && shown.length && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      event.stopImmediatePropagation();
      choose(active);
    } else if (event.key === "Escape") {
      close();
    }
  });
  textarea.addEventListener("blur", () => setTimeout(close, 150));
  return { refresh: () => (replies = null) };
}
