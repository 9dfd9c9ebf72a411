// A conversation's complaint under its title: mark it (with a severity), or see where it
// stands, escalate it to another team with a reason, resolve it with the outcome the
// customer is sent, or say it is not a complaint after all.
import { el } from "./console-api.js";

const when = (iso) => new Date(iso).toLocaleString(document.documentElement.lang);

// Shows conversation `id`'s complaint in `container`; `changed` runs after every step taken here.
let learned = "";

export async function showComplaint(id, container, { api, t, teams, isCurrent, changed }) {
  let complaint = null;
  try {
    complaint = await api("GET", `/api/v1/conversations/${id}/complaint`);
  } catch {}
  if (!isCurrent()) return;
  const error = el("p", { className: "error", role: "alert", hidden: true });
  const fail = (failure) => {
    error.textContent = failure.message;
    error.hidden = false;
  };
  const step = (run) => async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      await run();
      await showComplaint(id, container, { api, t, teams, isCurrent, changed });
      changed();
    } catch (failure) {
      fail(failure);
    }
  };
  container.hidden = false;
  container.dataset.complaint = complaint ? complaint.milestone : "none";
  if (!complaint) {
    const severity = el("select", { id: "complaint-severity", "aria-label": t("complaint_severity") },
      ...["minor", "major", "critical"].map((s) => el("option", { value: s, selected: s === "major", text: t(`complaint_severity_${s}`) })));
    const lesson = learned ? el("p", { className: "hint complaint-learned", role: "status", text: learned }) : "";
    learned = "";
    container.replaceChildren(el("form", { className: "complaint-mark", onsubmit: step(() => api("POST", `/api/v1/conversations/${id}/complaint`, { severity: severity.value })) },
      severity, el("button", { type: "submit", id: "complaint-mark", text: t("complaint_mark") })), lesson, error);
    return;
  }
  const summaryLine = el("p", { className: "complaint-summary" },
    el("strong", { text: t("complaint_heading", { severity: t(`complaint_severity_${complaint.severity}`) }) }), " · ",
    el("span", { className: "stage", text: t(`complaint_milestone_${complaint.milestone}`) }),
    complaint.resolvedAt ? "" : el("span", { className: "due", text: ` · ${t("complaint_due", { time: when(complaint.replyDueAt) })}` }),
    complaint.source === "detected" ? el("span", { className: "hint", text: ` · ${t("complaint_detected")}` }) : "");
  const facts = [...(complaint.facts?.amounts ?? []), ...(complaint.facts?.orders ?? []).map((order) => t("complaint_order", { order })),
    ...(complaint.facts?.transactions ?? []), ...(complaint.facts?.addresses ?? [])];
  const parts = [summaryLine];
  if (facts.length) parts.push(el("p", { className: "complaint-facts" }, t("complaint_facts"), " ", ...facts.map((fact) => el("code", { text: fact }))));
  if (complaint.escalationReason) parts.push(el("p", { className: "complaint-reason", text: t("complaint_escalated_why", { reason: complaint.escalationReason }) }));
  const open = ["open", "pending", "snoozed"].includes(complaint.status);
  if (open) {
    const team = el("select", { id: "complaint-team", "aria-label": t("complaint_team") },
      el("option", { value: "", text: t("complaint_pick_team") }), ...teams().map((x) => el("option", { value: x.id, text: x.name })));
    const reason = el("input", { type: "text", id: "complaint-reason", maxlength: "1000", placeholder: t("complaint_reason"), "aria-label": t("complaint_reason") });
    parts.push(el("form", { className: "complaint-escalate", onsubmit: step(() => api("POST", `/api/v1/conversations/${id}/complaint/escalate`, { teamId: team.value || undefined, reason: reason.value })) },
      team, reason, el("button", { type: "submit", id: "complaint-escalate", text: t("complaint_escalate") })));
    const summary = el("textarea", { id: "complaint-outcome", rows: "2", maxlength: "4000", placeholder: t("complaint_outcome_placeholder"), "aria-label": t("complaint_outcome") });
    parts.push(el("form", { className: "complaint-resolve", onsubmit: step(() => api("POST", `/api/v1/conversations/${id}/complaint/resolve`, { summary: summary.value })) },
      summary, el("button", { type: "submit", id: "complaint-resolve", text: t("complaint_resolve") })));
  } else if (complaint.summary) {
    parts.push(el("p", { className: "complaint-outcome", text: t("complaint_outcome_sent", { summary: complaint.summary }) }));
  }
  parts.push(el("button", { type: "button", className: "link", id: "complaint-withdraw", text: t("complaint_withdraw"),
    onclick: step(async () => {
      const withdrawn = await api("DELETE", `/api/v1/conversations/${id}/complaint`);
      // Said often enough, "not a complaint" teaches the detector: the agent hears what it learned.
      if (withdrawn.learnedToIgnore?.length) learned = t("complaint_learned", { phrases: withdrawn.learnedToIgnore.join(", ") });
    }) }));
  container.replaceChildren(...parts, error);
}
