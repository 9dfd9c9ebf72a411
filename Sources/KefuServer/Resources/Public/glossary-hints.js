// Plain words in the composer: the glossary terms a draft reply uses are listed under it,
// each with a button that puts its plain explanation, in the customer's language, right
// after the term's first use.
import { el } from "./console-api.js";

export function glossaryHints({ textarea, hints, api, t, chinese, isReply }) {
  let timer = null;
  let asked = 0;

  function insert(entry) {
    const text = textarea.value;
    const lower = text.toLowerCase();
    const spots = entry.terms.map((term) => ({ term, at: lower.indexOf(term.toLowerCase()) })).filter((spot) => spot.at >= 0);
    if (!spots.length) return;
    spots.sort((a, b) => a.at - b.at || b.term.length - a.term.length);
    const { term, at } = spots[0];
    const end = at + term.length;
    const words = chinese() ? `（${entry.explanation["zh-Hans"]}）` : ` (${entry.explanation.en})`;
    textarea.value = text.slice(0, end) + words + text.slice(end);
    textarea.dispatchEvent(new Event("input"));
    textarea.focus();
  }

  async function scan() {
    const text = textarea.value;
    if (!isReply() || text.trim().length < 2 || text.startsWith("/")) {
      hints.hidden = true;
      return;
    }
    const mine = ++asked;
    try {
      const { items } = await api("POST", "/api/v1/glossary/scan", { text });
      if (mine !== asked) return;
      // A term already explained in the draft is not offered again.
      const open = items.filter((entry) => !textarea.value.includes(chinese() ? entry.explanation["zh-Hans"] : entry.explanation.en));
      hints.replaceChildren(el("span", { className: "label", text: t("glossary_hint") }),
        ...open.map((entry) => el("button", { type: "button", className: "term", dataset: { key: entry.key }, title: chinese() ? entry.explanation["zh-Hans"] : entry.explanation.en,
          text: t("glossary_explain", { term: entry.terms.find((term) => textarea.value.toLowerCase().includes(term.toLowerCase())) ?? entry.terms[0] }),
          onclick: () => insert(entry) })));
      hints.hidden = open.length === 0;
    } catch {
      hints.hidden = true;
    }
  }

  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(scan, 500);
  });
  return { clear: () => (hints.hidden = true) };
}
