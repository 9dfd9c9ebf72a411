// Customer ratings: what customers said after a resolution, filtered by score, with the
// CSAT share of the last 30 days; owners and admins set when customers are asked.
import { api, el, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const when = (iso) => new Date(iso).toLocaleString(document.documentElement.lang);
let agents = new Map();

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

async function render() {
  const filter = $("feedback-filter").value;
  const result = await api("GET", `/api/v1/ratings?limit=100${filter ? `&rating=${filter}` : ""}`);
  $("feedback-summary").textContent = result.csat === null || result.csat === undefined
    ? t("feedback_summary_none", { asked: result.asked })
    : t("feedback_summary", { asked: result.asked, answered: result.answered, csat: `${Math.round(result.csat * 100)}%` });
  $("feedback-list").replaceChildren(...result.items.map((rating) => el("tr", { dataset: { id: rating.id, rating: String(rating.rating) }, className: rating.rating <= 2 ? "rating-low" : "" },
    el("td", { text: when(rating.ratedAt) }),
    el("td", {}, el("a", { href: `/console#${rating.conversationId}`, text: `#${rating.conversationNumber ?? ""}` })),
    el("td", { className: "rating-score", text: `${rating.rating} ★` }),
    el("td", { className: "rating-comment", text: rating.comment ?? "" }),
    el("td", { text: rating.agentIds.map((id) => agents.get(id) ?? "—").join(", ") }))));
  $("feedback-empty").hidden = result.items.length > 0;
}

async function start() {
  const [agentList, settings] = await Promise.all([api("GET", "/api/v1/agents"), api("GET", "/api/v1/satisfaction")]);
  agents = new Map(agentList.items.map((agent) => [agent.id, agent.name]));
  $("survey-enabled").checked = settings.enabled;
  $("survey-bot").checked = settings.afterBotOnly;
  $("survey-quiet").value = settings.quietDays;
  $("feedback-filter").addEventListener("change", () => render().catch((error) => message("feedback-error", error.message)));
  $("survey-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    message("feedback-error", "");
    message("feedback-status", "");
    try {
      await api("PATCH", "/api/v1/satisfaction", { enabled: $("survey-enabled").checked, afterBotOnly: $("survey-bot").checked, quietDays: Number($("survey-quiet").value) });
      message("feedback-status", t("feedback_saved"));
    } catch (error) {
      message("feedback-error", error.message);
    }
  });
  await render();
}

start().catch((error) => message("feedback-error", error.message));
