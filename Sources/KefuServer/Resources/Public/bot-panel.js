// The answer bot's panel on the knowledge-base page: whether it answers, how sure it must
// be, what its calibration measured, what it did in the last 30 days, and a question box
// to see what it would answer. Same session cookie and CSRF header as the console.

import { api, pageStrings } from "./console-api.js";

const strings = pageStrings();
const t = (key, vars = {}) => (strings[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? "");
const $ = (id) => document.getElementById(id);
const percent = (value) => (value === null || value === undefined ? "—" : `${Math.round(value * 1000) / 10}%`);

function say(message, isError = false) {
  const status = $("bot-status");
  status.textContent = message;
  status.classList.toggle("error", isError);
}

function calibrationText(calibration) {
  if (!calibration) return t("bot_not_calibrated");
  if (calibration.measuredPrecision === null) return t("bot_silent", { samples: calibration.samples });
  return t("bot_calibration", {
    threshold: percent(calibration.threshold),
    precision: percent(calibration.measuredPrecision),
    samples: calibration.samples,
    coverage: percent(calibration.coverage),
  });
}

function showSettings(settings) {
  $("bot-enabled").checked = settings.enabled;
  $("bot-target").value = String(settings.targetPrecision);
  $("bot-calibration").textContent = calibrationText(settings.calibration);
  const semantic = $("bot-semantic");
  semantic.hidden = !settings.semanticCalibration;
  if (settings.semanticCalibration) semantic.textContent = `${t("bot_with_embeddings")}: ${calibrationText(settings.semanticCalibration)}`;
}

async function loadReport() {
  const to = new Date();
  const params = new URLSearchParams({ from: new Date(to.getTime() - 30 * 86_400_000).toISOString(), to: to.toISOString() });
  const { totals } = await api("GET", `/api/v1/reports/bot?${params}`);
  $("bot-report").textContent = t("bot_report", {
    conversations: totals.botEngaged,
    answered: totals.botAnswers,
    resolved: totals.botResolved,
    handed: totals.handedOver,
    deflection: percent(totals.deflectionRate),
  });
}

async function change(body) {
  say(t("bot_saving"));
  try {
    showSettings(await api("PATCH", "/api/v1/bot", body));
    say(t("bot_saved"));
  } catch (error) {
    say(error.message, true);
    showSettings(await api("GET", "/api/v1/bot"));
  }
}

$("bot-enabled").addEventListener("change", () => change({ enabled: $("bot-enabled").checked }));
$("bot-target").addEventListener("change", () => change({ targetPrecision: Number($("bot-target").value) }));
$("bot-recalibrate").addEventListener("click", async () => {
  say(t("bot_calibrating"));
  try {
    showSettings(await api("POST", "/api/v1/bot/calibrate"));
    say(t("bot_saved"));
  } catch (error) {
    say(error.message, true);
  }
});
$("bot-try").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("bot-question").value.trim();
  if (!text) return;
  const result = $("bot-answer");
  try {
    const judged = await api("POST", "/api/v1/bot/preview", { text });
    const article = judged.article ? judged.article.title : t("bot_no_article");
    result.textContent = t(judged.wouldAnswer ? "bot_would_answer" : "bot_would_hand_over", {
      article,
      confidence: percent(judged.confidence),
      threshold: percent(judged.threshold),
    });
    result.className = judged.wouldAnswer ? "bot-answer yes" : "bot-answer no";
  } catch (error) {
    result.textContent = error.message;
    result.className = "bot-answer no";
  }
});

Promise.all([api("GET", "/api/v1/bot").then(showSettings), loadReport()]).catch((error) => say(error.message, true));
