// A conversation's service-level clocks as badges under its title: when each is due, with a
// live countdown, turning amber at the warning and red once missed.
import { el } from "./console-api.js";

let ticker = null;

function span(seconds) {
  const s = Math.max(0, Math.round(Math.abs(seconds)));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}` : `${m}:${String(r).padStart(2, "0")}`;
}

function badge(clock, t) {
  const name = t(`sla_${clock.clock}`);
  const node = el("span", { className: `sla-badge sla-${clock.state}`, dataset: { clock: clock.clock, state: clock.state } });
  const draw = () => {
    const now = Date.now();
    if (clock.state === "met") {
      node.textContent = t("sla_met", { clock: name });
    } else if (clock.state === "paused") {
      node.textContent = t("sla_paused", { clock: name, time: span(clock.leftSeconds) });
    } else if (clock.dueAt && (clock.state === "breached" || Date.parse(clock.dueAt) <= now)) {
      node.className = "sla-badge sla-breached";
      node.dataset.state = "breached";
      node.textContent = t("sla_overdue", { clock: name, time: span((now - Date.parse(clock.dueAt)) / 1000) });
    } else if (clock.dueAt) {
      const warned = clock.warningAt && Date.parse(clock.warningAt) <= now;
      node.className = `sla-badge sla-running${warned ? " sla-warning" : ""}`;
      node.textContent = t("sla_due", { clock: name, time: span((Date.parse(clock.dueAt) - now) / 1000) });
    } else {
      node.textContent = t("sla_paused", { clock: name, time: span(clock.leftSeconds) });
    }
  };
  draw();
  node.redraw = draw;
  return node;
}

// Fetches and shows the clocks of conversation `id` in `container`; nothing when no policy applies.
export async function showServiceLevels(id, container, api, t, isCurrent) {
  let levels;
  try {
    levels = await api("GET", `/api/v1/conversations/${id}/sla`);
  } catch {
    return;
  }
  if (!isCurrent()) return;
  const badges = levels.clocks.map((clock) => badge(clock, t));
  container.replaceChildren(...(levels.policy ? [el("span", { className: "sla-policy", text: t("sla_policy", { name: levels.policy.name }) })] : []), ...badges);
  container.hidden = badges.length === 0;
  clearInterval(ticker);
  ticker = setInterval(() => badges.forEach((b) => b.redraw()), 1000);
}

// A conversation's standing as one small badge in a list: the soonest target as a live
// countdown, amber once at risk; red once a clock was missed; nothing when no policy applies.
export function listBadge(sla, t) {
  if (!sla) return null;
  if (sla.standing === "breached") {
    const missed = sla.clocks?.find((clock) => clock.state === "breached");
    return el("span", { className: "sla-mini sla-breached", dataset: { standing: "breached" }, text: t("sla_list_breached", { clock: missed ? t(`sla_${missed.clock}`) : "" }) });
  }
  if (!sla.soonest) return null;
  const node = el("span", {
    className: `sla-mini ${sla.standing === "at_risk" ? "sla-warning" : "sla-running"}`,
    dataset: { standing: sla.standing, due: sla.soonest.dueAt, clock: t(`sla_${sla.soonest.clock}`) },
  });
  drawMini(node, t);
  node.t = t;
  return node;
}

function drawMini(node, t) {
  const left = (Date.parse(node.dataset.due) - Date.now()) / 1000;
  node.textContent = left > 0 ? t("sla_due", { clock: node.dataset.clock, time: span(left) }) : t("sla_overdue", { clock: node.dataset.clock, time: span(-left) });
  if (left <= 0) node.className = "sla-mini sla-breached";
}

// Moves every countdown in the list on, without drawing the list again.
export function redrawListBadges() {
  for (const node of document.querySelectorAll(".sla-mini[data-due]")) if (node.t) drawMini(node, node.t);
}
