// Reports: the headline figures of a range beside the range before it, opened and
// resolved per period as a chart with its table, for the workspace or one slice; CSV of
// the same table. Agents see their own figures; owners and admins anyone's.
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
  await agentTable(query());
}

// Owners and admins: every agent's line for the range, busiest first.
async function agentTable(params) {
  const whole = canEdit && !$("report-slice").value;
  $("report-agents-section").hidden = !whole;
  if (!whole) return;
  params.delete("format");
  params.delete("groupBy");
  const { items } = await api("GET", `/api/v1/reports/agents?${params}`);
  params.set("format", "csv");
  $("report-agents-csv").href = `/api/v1/reports/agents?${params}`;
  $("report-agent-rows").replaceChildren(...items.map((a) => el("tr", { dataset: { agent: a.agentId } },
    el("td", { text: a.name }),
    el("td", { className: "online", text: a.onlineSeconds > 0 ? duration(a.onlineSeconds) : "—" }),
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
