// Reports: the headline figures of a range beside the range before it, opened and
// resolved per period as a chart with its table, for the workspace or one slice; CSV of
// the same table; service levels met per clock; every slice's volumes; and, for owners
// and admins, the value of service with the prices it is computed from.
// Agents see their own figures; owners and admins anyone's.
import { api, el, pageStrings } from "./console-api.js";
import { barChart } from "./report-chart.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);
const lang = document.documentElement.lang;
const canEdit = document.body.dataset.canEdit === "true";

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

// "3 min", "2.5 h", "1.2 d": durations as a person reads them.
function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 60) return t("reports_seconds", { n: Math.round(seconds) });
  if (seconds < 3_600) return t("reports_minutes", { n: (seconds / 60).toFixed(seconds < 600 ? 1 : 0) });
  if (seconds < 86_400) return t("reports_hours", { n: (seconds / 3_600).toFixed(1) });
  return t("reports_days", { n: (seconds / 86_400).toFixed(1) });
}
const percent = (share) => (share === null || share === undefined ? "—" : `${Math.round(share * 100)}%`);
const count = (n) => (n === null || n === undefined ? "—" : n.toLocaleString(lang));

// Each card: its figure now, then before, and whether up is good.
const CARDS = [
  ["opened", (s) => s.opened, count, null],
  ["resolved", (s) => s.resolved, count, true],
  ["resolution_rate", (s) => s.resolutionRate, percent, true],
  ["frt_median", (s) => s.firstResponse?.businessMedian ?? s.firstResponse?.median, duration, false],
  ["resolution_median", (s) => s.resolution?.median, duration, false],
  ["fcr", (s) => s.firstContactResolutionRate, percent, true],
  ["csat", (s) => s.csat, percent, true],
  ["nps", (s) => s.nps, (n) => (n === null || n === undefined ? "—" : String(n)), true],
  ["deflection", (s) => s.deflectionRate, percent, true],
  ["complaints", (s) => s.complaintsOpened, count, false],
];

function cards(totals, previous) {
  $("report-cards").replaceChildren(...CARDS.map(([key, read, show, upIsGood]) => {
    const now = read(totals), before = read(previous);
    let trend = "";
    if (now !== null && now !== undefined && before !== null && before !== undefined && now !== before && upIsGood !== null) {
      const better = (now > before) === upIsGood;
      trend = el("span", { className: `trend ${better ? "better" : "worse"}`, text: now > before ? "▲" : "▼" });
    }
    return el("div", { className: "report-card", dataset: { metric: key } },
      el("span", { className: "label", text: t(`reports_card_${key}`) }),
      el("strong", { className: "value", text: show(now) }), " ", trend,
      el("span", { className: "before", text: t("reports_before", { value: show(before) }) }));
  }));
}

function periodLabel(iso, period) {
  const date = new Date(iso);
  if (period === "hour") return date.toLocaleString(lang, { month: "numeric", day: "numeric", hour: "2-digit" });
  if (period === "month") return date.toLocaleDateString(lang, { year: "numeric", month: "short" });
  return date.toLocaleDateString(lang, { month: "numeric", day: "numeric" });
}

function query() {
  const params = new URLSearchParams();
  const range = $("report-range").value;
  if (range === "custom") {
    if ($("report-from").value) params.set("from", $("report-from").value);
    if ($("report-to").value) params.set("to", $("report-to").value);
  } else {
    const to = new Date();
    params.set("from", new Date(to.getTime() - Number(range) * 86_400_000).toISOString());
    params.set("to", to.toISOString());
  }
  params.set("groupBy", $("report-period").value);
  const slice = canEdit ? $("report-slice").value : "";
  if (slice) {
    const [name, value] = slice.split("=");
    params.set(name, value);
  }
  return params;
}

async function render() {
  message("report-error", "");
  const params = query();
  const report = await api("GET", `/api/v1/reports/overview?${params}`);
  params.set("format", "csv");
  $("report-csv").href = `/api/v1/reports/overview?${params}`;
  $("report-scope").textContent = t(report.slice.startsWith("agent:") && !canEdit ? "reports_scope_mine" : "reports_scope", { zone: report.timeZone });
  cards(report.totals, report.previous);
  if (report.openComplaints) {
    const open = report.openComplaints;
    $("report-cards").append(el("div", { className: "report-card", dataset: { metric: "open_complaints" } },
      el("span", { className: "label", text: t("reports_card_open_complaints") }),
      el("strong", { className: "value", text: count(open.count) }),
      el("span", { className: "before", text: open.count ? t("reports_median_age", { age: duration(open.medianAgeSeconds) }) : t("reports_now") })));
  }
  const period = report.groupBy;
  const points = report.series.map((p) => ({ label: periodLabel(p.start, period), values: [p.summary.opened + p.summary.reopened, p.summary.resolved] }));
  $("report-chart").replaceChildren(barChart(points, [{ name: t("reports_opened"), className: "opened" }, { name: t("reports_resolved"), className: "resolved" }]),
    el("p", { className: "legend" }, el("span", { className: "swatch opened" }), ` ${t("reports_opened")} `, el("span", { className: "swatch resolved" }), ` ${t("reports_resolved")}`));
  $("report-rows").replaceChildren(...report.series.map((p) => el("tr", { dataset: { start: p.start } },
    el("td", { text: periodLabel(p.start, period) }),
    el("td", { className: "opened", text: count(p.summary.opened + p.summary.reopened) }),
    el("td", { className: "resolved", text: count(p.summary.resolved) }),
    el("td", { text: duration(p.summary.firstResponse?.mean) }),
    el("td", { text: duration(p.summary.resolution?.mean) }),
    el("td", { text: percent(p.summary.csat) }))));
  await Promise.all([agentTable(query()), serviceLevels(query()), botTable(query(), report.slice), sliceTable(query()), value(query())]);
}

// One area's totals for the range (no series), and its CSV link pointed at the same figures.
async function totalsWithCSV(area, params, link, csv = {}) {
  params.delete("format");
  params.delete("groupBy");
  const report = await api("GET", `/api/v1/reports/${area}?${params}`);
  params.set("format", "csv");
  for (const [name, value] of Object.entries(csv)) params.set(name, value);
  $(link).href = `/api/v1/reports/${area}?${params}`;
  return report;
}

const CLOCKS = ["first_response", "next_response", "resolution"];

async function serviceLevels(params) {
  const report = await totalsWithCSV("sla", params, "report-sla-csv");
  const levels = report.totals.serviceLevels ?? {};
  const judged = CLOCKS.filter((clock) => levels[clock] || report.totals.slaBreaches?.[clock]);
  $("report-sla-rows").replaceChildren(...(judged.length ? judged.map((clock) => el("tr", { dataset: { clock } },
    el("td", { text: t(`reports_sla_clock_${clock}`) }),
    el("td", { className: "met", text: count(levels[clock]?.met ?? 0) }),
    el("td", { className: "missed", text: count(levels[clock]?.missed ?? 0) }),
    el("td", { className: "share", text: percent(levels[clock]?.share) }),
    el("td", { className: "breaches", text: count(report.totals.slaBreaches?.[clock] ?? 0) }))) :
    [el("tr", {}, el("td", { colSpan: 5, text: t("reports_sla_none") }))]));
  const now = report.serviceLevelsNow;
  $("report-sla-now").hidden = !now;
  if (now) {
    $("report-sla-now").textContent = t("reports_sla_now", {
      breached: count(now.conversations.breached ?? 0), atRisk: count(now.conversations.at_risk ?? 0),
      running: count(now.conversations.running ?? 0), soon: count(now.dueWithinHour), left: duration(now.medianSecondsToBreach),
    });
  }
}

const HANDOFF_REASONS = ["requested", "declined", "not_confident", "secret_exposed", "answer_limit", "security_report", "complaint", "unavailable"];

// What the bot took off the team in the range and the range before; an agent's own slice has no bot figures.
async function botTable(params, slice) {
  const shown = !slice.startsWith("agent:");
  $("report-bot-section").hidden = !shown;
  if (!shown) return;
  const report = await totalsWithCSV("bot", params, "report-bot-csv");
  const now = report.totals, before = report.previous;
  const rows = [
    ["engaged", (s) => count(s.botEngaged)],
    ["answers", (s) => count(s.botAnswers)],
    ["resolved", (s) => count(s.botResolved)],
    ["deflected", (s) => count(s.deflected)],
    ["deflection_rate", (s) => percent(s.deflectionRate)],
    ["handed_over", (s) => count(s.handedOver)],
    ...HANDOFF_REASONS.filter((reason) => now.handoffs?.[reason] || before.handoffs?.[reason])
      .map((reason) => [`reason_${reason}`, (s) => count(s.handoffs?.[reason] ?? 0)]),
    ["precision", (s) => percent(s.confirmedPrecision)],
  ];
  $("report-bot-rows").replaceChildren(...rows.map(([key, show]) => el("tr", { dataset: { figure: key } },
    el("td", { text: t(`reports_bot_${key}`) }),
    el("td", { className: "now", text: show(now) }),
    el("td", { className: "before", text: show(before) }))));
}

// Names for the slices' keys: inboxes, teams; the rest are shown as they are.
const names = new Map();

async function sliceTable(params) {
  const whole = canEdit && !$("report-slice").value;
  $("report-slices-section").hidden = !whole;
  if (!whole) return;
  const report = await totalsWithCSV("conversations", params, "report-slices-csv", { table: "slices" });
  const shown = (s) => names.get(s.key) ?? (s.dim === "priority" ? t(`priority_${s.key}`) : s.key);
  $("report-slice-rows").replaceChildren(...(report.slices ?? []).map((s) => el("tr", { dataset: { dim: s.dim, key: s.key } },
    el("td", { text: t(`reports_slice_${s.dim}`) }),
    el("td", { className: "key", text: shown(s) }),
    el("td", { className: "opened", text: count(s.opened + s.reopened) }),
    el("td", { className: "resolved", text: count(s.resolved) }),
    el("td", { text: percent(s.resolutionRate) }),
    el("td", { text: duration(s.firstResponseMedian) }),
    el("td", { text: percent(s.csat) }))));
}

function money(amount, currency) {
  if (amount === null || amount === undefined) return "—";
  try {
    return amount.toLocaleString(lang, { style: "currency", currency, maximumFractionDigits: Math.abs(amount) < 10 ? 2 : 0 });
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

function showPrices(prices) {
  $("value-currency").value = prices.currency;
  $("value-agent-hour").value = String(prices.agentHourCost);
  $("value-bot-answer").value = String(prices.botAnswerCost);
  $("value-retained").value = prices.retainedCustomerValue === null || prices.retainedCustomerValue === undefined ? "" : String(prices.retainedCustomerValue);
}

async function value(params) {
  if (!canEdit) return;
  const whole = !$("report-slice").value;
  $("report-value-section").hidden = !whole;
  if (!whole) return;
  const report = await totalsWithCSV("value", params, "value-csv");
  // Someone typing a price keeps what they typed when the range changes.
  if (!$("value-prices").contains(document.activeElement)) showPrices(report.prices);
  const currency = report.prices.currency;
  const v = report.value, before = report.previous;
  const hours = (n) => (n === null || n === undefined ? "—" : t("reports_hours", { n: n.toFixed(1) }));
  const figures = [
    ["agent_hours", hours(v.agentHours), hours(before.agentHours)],
    ["cost_per_resolution", money(v.costPerResolution, currency), money(before.costPerResolution, currency)],
    ["bot_savings", money(v.botSavings, currency), money(before.botSavings, currency)],
    ["hours_saved", hours(v.hoursSaved), hours(before.hoursSaved)],
    ["value_kept", money(report.valueKept, currency), null],
    ["good_service", money(report.valueOfGoodService, currency), null],
  ];
  $("value-cards").replaceChildren(...figures.map(([key, now, previous]) => el("div", { className: "report-card", dataset: { metric: key } },
    el("span", { className: "label", text: t(`value_card_${key}`) }),
    el("strong", { className: "value", text: now }),
    previous === null ? "" : el("span", { className: "before", text: t("reports_before", { value: previous }) }))));
  const row = (band, shares) => el("tr", { dataset: { band } },
    el("td", { text: t(`value_band_${band}`) }),
    el("td", { text: count(shares?.["30"]?.resolved ?? 0) }),
    el("td", { className: "back30", text: percent(shares?.["30"]?.share) }),
    el("td", { text: count(shares?.["90"]?.resolved ?? 0) }),
    el("td", { className: "back90", text: percent(shares?.["90"]?.share) }));
  const r = report.retention;
  $("value-retention-rows").replaceChildren(row("all", r.overall),
    ...["good", "bad", "unrated"].map((band) => row(band, r.byRating[band])),
    ...["under_5m", "under_1h", "under_8h", "over_8h", "none"].map((band) => row(band, r.byFirstResponse[band])));
}

async function savePrices(event) {
  event.preventDefault();
  message("value-error", "");
  $("value-saved").textContent = "";
  const retained = $("value-retained").value.trim();
  try {
    showPrices(await api("PATCH", "/api/v1/value-settings", {
      currency: $("value-currency").value.trim(),
      agentHourCost: Number($("value-agent-hour").value),
      botAnswerCost: Number($("value-bot-answer").value),
      retainedCustomerValue: retained === "" ? null : Number(retained),
    }));
    $("value-saved").textContent = t("value_saved");
    await value(query());
  } catch (error) {
    message("value-error", error.message);
  }
}

// Owners and admins: every agent's line for the range, busiest first.
async function agentTable(params) {
  const whole = canEdit && !$("report-slice").value;
  $("report-agents-section").hidden = !whole;
  if (!whole) return;
  const { items } = await totalsWithCSV("agents", params, "report-agents-csv");
  $("report-agent-rows").replaceChildren(...items.map((a) => el("tr", { dataset: { agent: a.agentId } },
    el("td", { text: a.name }),
    el("td", { className: "online", text: a.onlineSeconds > 0 ? duration(a.onlineSeconds) : "—" }),
    el("td", { className: "utilisation", text: percent(a.utilisation) }),
    el("td", { className: "replies", text: count(a.totals.replies) }),
    el("td", { text: duration(a.totals.firstResponse?.median) }),
    el("td", { className: "resolved", text: count(a.totals.resolved) }),
    el("td", { text: duration(a.totals.resolution?.median) }),
    el("td", { text: percent(a.totals.firstContactResolutionRate) }),
    el("td", { className: "csat", text: percent(a.totals.csat) }))));
}

async function slices() {
  if (!canEdit) return;
  const [inboxes, teams, agents] = await Promise.all([api("GET", "/api/v1/inboxes"), api("GET", "/api/v1/teams"), api("GET", "/api/v1/agents")]);
  for (const x of [...inboxes.items, ...teams.items]) names.set(x.id.toLowerCase(), x.name);
  const group = (label, options) => el("optgroup", { label }, ...options.map(([value, text]) => el("option", { value, text })));
  $("report-slice").replaceChildren(
    el("option", { value: "", text: t("reports_slice_all") }),
    group(t("reports_slice_inbox"), inboxes.items.map((x) => [`inboxId=${x.id}`, x.name])),
    group(t("reports_slice_team"), teams.items.map((x) => [`teamId=${x.id}`, x.name])),
    group(t("reports_slice_agent"), agents.items.map((x) => [`agentId=${x.id}`, x.name])),
    group(t("reports_slice_language"), [["language=zh-Hans", "简体中文"], ["language=zh-Hant", "繁體中文"], ["language=en", "English"]]),
    group(t("reports_slice_priority"), ["urgent", "high", "normal", "low"].map((p) => [`priority=${p}`, t(`priority_${p}`)])),
    group(t("reports_slice_tier"), ["standard", "vip"].map((x) => [`tier=${x}`, x])));
}

async function start() {
  const today = new Date().toISOString().slice(0, 10);
  $("report-to").value = today;
  $("report-from").value = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  await slices();
  if (canEdit) $("value-prices").addEventListener("submit", savePrices);
  const rerender = () => render().catch((error) => message("report-error", error.message));
  for (const id of ["report-range", "report-period", "report-from", "report-to", ...(canEdit ? ["report-slice"] : [])]) $(id).addEventListener("change", () => {
    const custom = $("report-range").value === "custom";
    $("report-from-label").hidden = !custom;
    $("report-to-label").hidden = !custom;
    rerender();
  });
  await render();
}

start().catch((error) => message("report-error", error.message));
