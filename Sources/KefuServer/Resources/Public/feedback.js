// Customer ratings: what customers said after a resolution, filtered by score, with the
// CSAT share of the last 30 days; the net promoter score of the last 90; owners and admins
// set when customers are asked.
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

async function renderRecommendations(enabled) {
  const nps = await api("GET", "/api/v1/nps?days=90");
  $("nps-summary").textContent = nps.score === null || nps.score === undefined
    ? (enabled ? t("feedback_nps_none", { asked: nps.asked }) : t("feedback_nps_off"))
    : t("feedback_nps_summary", { score: nps.score, promoters: nps.promoters, passives: nps.passives, detractors: nps.detractors, answered: nps.answered, asked: nps.asked });
  $("nps-list").replaceChildren(...nps.items.map((answer) => el("tr", { dataset: { id: answer.id, score: String(answer.score), group: answer.group } },
    el("td", { text: when(answer.answeredAt) }),
    el("td", {}, el("a", { href: `/console#${answer.conversationId}`, text: `#${answer.conversationNumber ?? ""}` })),
    el("td", { className: "nps-score", text: `${answer.score} · ${t(`feedback_nps_group_${answer.group}`)}` }),
    el("td", { className: "rating-comment", text: answer.comment ?? "" }))));
  $("nps-table").hidden = nps.items.length === 0;
}

async function start() {
  const [agentList, settings] = await Promise.all([api("GET", "/api/v1/agents"), api("GET", "/api/v1/satisfaction")]);
  agents = new Map(agentList.items.map((agent) => [agent.id, agent.name]));
  $("survey-enabled").checked = settings.enabled;
  $("survey-bot").checked = settings.afterBotOnly;
  $("survey-quiet").value = settings.quietDays;
  $("nps-enabled").checked = settings.npsEnabled;
  $("nps-interval").value = settings.npsIntervalDays;
  $("feedback-filter").addEventListener("change", () => render().catch((error) => message("feedback-error", error.message)));
  $("survey-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    message("feedback-error", "");
    message("feedback-status", "");
    try {
      const saved = await api("PATCH", "/api/v1/satisfaction", {
        enabled: $("survey-enabled").checked, afterBotOnly: $("survey-bot").checked, quietDays: Number($("survey-quiet").value),
        npsEnabled: $("nps-enabled").checked, npsIntervalDays: Number($("nps-interval").value),
      });
      message("feedback-status", t("feedback_saved"));
      await renderRecommendations(saved.npsEnabled);
    } catch (error) {
      message("feedback-error", error.message);
    }
  });
  await render();
  await renderRecommendations(settings.npsEnabled);
}

start().catch((error) => message("feedback-error", error.message));
