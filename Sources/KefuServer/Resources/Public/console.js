// The agent console. Customer text only ever reaches the page through textContent:
// nothing here builds HTML from data.
import { api, el, pageStrings } from "./console-api.js";
import { applyChainLookups, findingCards } from "./findings.js";
import { listBadge, redrawListBadges, showServiceLevels } from "./service-levels.js";
import { showComplaint } from "./complaint-panel.js";
import { cannedMenu } from "./canned-menu.js";
import { glossaryHints } from "./glossary-hints.js";
import { macroMenu } from "./macro-menu.js";

const T = pageStrings();
const t = (key, vars = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? "");
const $ = (id) => document.getElementById(id);

const STATUSES = ["open", "pending", "snoozed", "resolved", "closed"];
const PRIORITIES = ["low", "normal", "high", "urgent"];
const ACTIVE = new Set(["open", "pending", "snoozed"]);
// Others' presence is re-announced every HEARTBEAT; silence longer than PRESENCE_TTL means gone.
const HEARTBEAT_MS = 10_000;
const PRESENCE_TTL_MS = 25_000;
const TYPING_TTL_MS = 5_000;

const state = {
  me: null,
  agents: new Map(),
  teams: [],
  inboxes: [],
  conversations: new Map(),
  contacts: new Map(),
  view: { kind: "open" },
  selected: null,
  unread: new Set(),
  search: "",
  searchHits: null,
  sort: "activity",
  timeline: [],
  viewers: new Map(),
  typers: new Map(),
  contactTyping: new Map(),
  lastText: new Map(),
  socket: null,
  lastViewingSent: 0,
  lastTypingSent: 0,
};

async function allPages(path, maxPages = 5) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page++) {
    const separator = path.includes("?") ? "&" : "?";
    const result = await api("GET", `${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}

// ---- names and formatting ---------------------------------------------------

const agentName = (id) => (id === state.me?.id ? t("you") : state.agents.get(id)?.name ?? t("agent"));
const teamName = (id) => state.teams.find((team) => team.id === id)?.name ?? t("no_team");

function contactName(contactId) {
  const contact = state.contacts.get(contactId);
  return contact?.name || contact?.email || `${t("visitor")} ${contactId.slice(-4).toUpperCase()}`;
}

const timeFormat = new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: "short", timeStyle: "short" });
const formatTime = (iso) => (iso ? timeFormat.format(new Date(iso)) : "");

// ---- views and list -----------------------------------------------------------

// The list shows the last thing a person said: the bot's and the desk's automatic
// messages would hide the customer's words behind "an agent will reply shortly".
function saysSomething(message) {
  return !message.private && (message.authorKind === "contact" || message.authorKind === "agent");
}

const firstLine = (text) => (text ?? "").split(/\r?\n/).find((line) => line.trim() !== "")?.trim() ?? "";

function matchesView(conversation, view) {
  switch (view.kind) {
    case "mine":
      return conversation.assigneeId === state.me.id && ACTIVE.has(conversation.status);
    case "unassigned":
      return !conversation.assigneeId && ACTIVE.has(conversation.status);
    case "open":
      return conversation.status === "open";
    case "status":
      return conversation.status === view.value;
    case "team":
      return conversation.teamId === view.value && ACTIVE.has(conversation.status);
    case "inbox":
      return conversation.inboxId === view.value && ACTIVE.has(conversation.status);
    case "at_risk":
    case "breached":
      return conversation.sla?.standing === view.kind && ACTIVE.has(conversation.status);
    case "complaints":
      return Boolean(conversation.complaint) && conversation.status !== "closed";
    case "low_rating":
      return conversation.rating !== undefined && conversation.rating !== null && conversation.rating <= 2;
  }
  return false;
}

function matchesSearch(conversation) {
  const query = state.search.trim().toLowerCase();
  if (!query) return true;
  const number = query.replace(/^#/, "");
  if (/^\d+$/.test(number) && String(conversation.number) === number) return true;
  if (state.searchHits?.has(conversation.id)) return true;
  const contact = state.contacts.get(conversation.contactId);
  const haystack = [contact?.name, contact?.email, conversation.subject, ...(conversation.tags ?? []), state.lastText.get(conversation.id)]
    .filter(Boolean)
    .join(" ")
    .toLowerCase();
  return haystack.includes(query);
}

function visibleConversations() {
  // A search looks through every conversation, not just the current view.
  const searching = state.search.trim() !== "";
  const list = [...state.conversations.values()].filter((c) => (searching || matchesView(c, state.view)) && matchesSearch(c));
  const activity = (c) => Date.parse(c.lastActivityAt);
  list.sort((a, b) => (state.sort === "waiting" ? activity(a) - activity(b) : activity(b) - activity(a)));
  return list;
}

function viewKey(view) {
  return view.value ? `${view.kind}:${view.value}` : view.kind;
}

function renderViews() {
  const all = [...state.conversations.values()];
  const count = (view) => all.filter((c) => matchesView(c, view)).length;
  const item = (view, label) =>
    el(
      "li",
      {},
      el(
        "button",
        {
          type: "button",
          className: viewKey(view) === viewKey(state.view) ? "view current" : "view",
          "aria-current": viewKey(view) === viewKey(state.view) ? "true" : null,
          dataset: { view: viewKey(view) },
          onclick: () => {
            state.view = view;
            renderAll();
          },
        },
        el("span", { text: label }),
        el("span", { className: "count", text: count(view) }),
      ),
    );
  const group = (title, items) => [el("h3", { text: title }), el("ul", {}, items)];
  $("views").replaceChildren(
    el(
      "ul",
      {},
      item({ kind: "mine" }, t("view_mine")),
      item({ kind: "unassigned" }, t("view_unassigned")),
      item({ kind: "open" }, t("view_open")),
    ),
    ...group(t("view_service_levels"), [item({ kind: "at_risk" }, t("view_at_risk")), item({ kind: "breached" }, t("view_breached"))]),
    ...group(t("view_follow_up"), [item({ kind: "complaints" }, t("view_complaints")), item({ kind: "low_rating" }, t("view_low_rating"))]),
    ...group(t("view_by_status"), STATUSES.map((s) => item({ kind: "status", value: s }, t(`status_${s}`)))),
    ...(state.teams.length ? group(t("view_by_team"), state.teams.map((team) => item({ kind: "team", value: team.id }, team.name))) : []),
    ...group(t("view_by_inbox"), state.inboxes.map((inbox) => item({ kind: "inbox", value: inbox.id }, inbox.name))),
  );
}

function renderList() {
  const items = visibleConversations().map((c) => {
    const unread = state.unread.has(c.id);
    const selected = c.id === state.selected;
    return el(
      "li",
      {
        role: "option",
        tabindex: selected ? "0" : "-1",
        "aria-selected": selected ? "true" : "false",
        className: `conversation-item${unread ? " unread" : ""}${selected ? " selected" : ""}`,
        dataset: { id: c.id, number: c.number },
        onclick: () => select(c.id),
        onkeydown: (event) => {
          if (event.key === "Enter") select(c.id);
        },
      },
      el("span", { className: "who", text: contactName(c.contactId) }),
      el("span", { className: "num", text: `#${c.number}` }),
      unread ? el("span", { className: "dot", title: t("unread"), "aria-label": t("unread") }) : null,
      el("span", { className: `badge status-${c.status}`, text: t(`status_${c.status}`) }),
      c.priority !== "normal" ? el("span", { className: `badge priority-${c.priority}`, text: t(`priority_${c.priority}`) }) : null,
      ACTIVE.has(c.status) ? listBadge(c.sla, t) : null,
      el("span", { className: "preview", text: state.lastText.get(c.id) ?? c.subject ?? "" }),
      el("time", { className: "when", datetime: c.lastActivityAt, text: formatTime(c.lastActivityAt) }),
    );
  });
  $("conversation-list").replaceChildren(...(items.length ? items : [el("li", { className: "empty", text: t("list_empty") })]));
}

function renderAll() {
  renderViews();
  renderList();
}

// ---- one conversation -----------------------------------------------------------

function option(value, label, selected) {
  return el("option", { value, selected: value === selected }, label);
}

function renderFields(c) {
  $("conv-title").textContent = `#${c.number} · ${contactName(c.contactId)}`;
  $("f-status").replaceChildren(...STATUSES.map((s) => option(s, t(`status_${s}`), c.status)));
  $("f-priority").replaceChildren(...PRIORITIES.map((p) => option(p, t(`priority_${p}`), c.priority)));
  $("f-assignee").replaceChildren(
    option("", t("nobody"), c.assigneeId ?? ""),
    ...[...state.agents.values()].map((a) => option(a.id, a.name, c.assigneeId ?? "")),
  );
  $("f-team").replaceChildren(option("", t("no_team"), c.teamId ?? ""), ...state.teams.map((team) => option(team.id, team.name, c.teamId ?? "")));
  if (document.activeElement !== $("f-tags")) $("f-tags").value = (c.tags ?? []).join(" ");
  $("f-snooze").replaceChildren(option("", t("snooze_pick"), ""), ...SNOOZES.map(([key]) => option(key, t(`snooze_${key}`), "")));
  const until = c.status === "snoozed" && c.snoozedUntil;
  $("snoozed-until").hidden = !until;
  if (until) $("snoozed-until").textContent = t("snoozed_until", { time: new Date(c.snoozedUntil).toLocaleString(document.documentElement.lang) });
}

// When each snooze choice wakes the conversation: hours from now, or 09:00 local time.
const SNOOZES = [
  ["hour", () => new Date(Date.now() + 3_600_000)],
  ["four_hours", () => new Date(Date.now() + 4 * 3_600_000)],
  ["tomorrow", () => { const d = new Date(Date.now() + 86_400_000); d.setHours(9, 0, 0, 0); return d; }],
  ["next_week", () => { const d = new Date(Date.now() + 7 * 86_400_000); d.setHours(9, 0, 0, 0); return d; }],
];

function eventText(event) {
  const data = event.data ?? {};
  switch (event.kind) {
    case "created":
      return t("event_created");
    case "assigned":
      return data.assigneeId ? t("event_assigned", { name: agentName(data.assigneeId) }) : t("event_unassigned");
    case "team_assigned":
      return t("event_team_assigned", { name: data.teamId ? teamName(data.teamId) : t("no_team") });
    case "status_changed":
      return t("event_status_changed", { status: t(`status_${data.to}`) });
    case "priority_changed":
      return t("event_priority_changed", { priority: t(`priority_${data.to}`) });
    case "first_response":
      return t("event_first_response");
    case "resolved":
      return t("event_resolved");
    case "reopened":
      return t("event_reopened");
    case "phishing_link":
      return t("event_phishing_link", { host: data.host ?? "" });
    case "secret_redacted":
      return t("event_secret_redacted");
    case "bot_answered":
      return t("event_bot_answered", { confidence: Math.round(Number(data.confidence ?? 0) * 100) });
    case "bot_resolved":
      return t("event_bot_resolved");
    case "bot_handoff": {
      const reason = `event_bot_handoff_${data.reason}`;
      return reason in T ? t(reason) : t("event_bot_handoff");
    }
    case "category_changed":
      return data.to ? t("event_category_changed", { category: data.to }) : t("event_category_cleared");
    case "sla_warning":
      return t("event_sla_warning", { clock: t(`sla_${data.clock}`), policy: data.policyName ?? "" });
    case "sla_breached":
      return t("event_sla_breached", { clock: t(`sla_${data.clock}`), policy: data.policyName ?? "" });
    case "queued":
      return t("event_queued", { why: t(`routing_reason_${data.reason}`) });
    case "rating_requested":
      return t("event_rating_requested");
    case "complaint_opened":
      return t(data.source === "detected" ? "event_complaint_detected" : "event_complaint_opened", { severity: t(`complaint_severity_${data.severity}`) });
    case "complaint_withdrawn":
      return t("event_complaint_withdrawn");
    case "complaint_escalated":
      return t("event_complaint_escalated", { team: data.teamId ? teamName(data.teamId) : "", reason: data.reason ?? "" });
    case "complaint_resolved":
      return t("event_complaint_resolved");
    case "complaint_confirmed":
      return t("event_complaint_confirmed");
    case "complaint_follow_up":
      return t("event_complaint_follow_up");
    case "canned_reply_used":
      return t("event_canned_reply_used", { shortcut: data.shortcut ?? "" });
    case "macro_applied":
      return t("event_macro_applied", { name: data.name ?? "" });
    case "snoozed":
      return t("event_snoozed", { time: data.until ? new Date(data.until).toLocaleString(document.documentElement.lang) : "" });
    case "snooze_ended":
      return t("event_snooze_ended");
    case "nps_answered":
      return t("event_nps_answered", { score: data.score ?? "" });
    case "rated":
      return t("event_rated", { rating: data.rating ?? "" });
    case "low_rating":
      return t("event_low_rating", { rating: data.rating ?? "" });
    case "requeued":
      return t("event_requeued", { name: data.previousAssigneeId ? agentName(data.previousAssigneeId) : "", seconds: data.graceSeconds ?? "" });
    case "sla_escalated":
      return t(`event_sla_escalated_${data.step}`, { team: data.teamId ? teamName(data.teamId) : "", name: data.assigneeId ? agentName(data.assigneeId) : "" });
  }
  return t("event_other", { kind: event.kind });
}

function authorLabel(message) {
  switch (message.authorKind) {
    case "contact":
      return contactName(state.conversations.get(message.conversationId)?.contactId ?? "");
    case "agent":
      return agentName(message.authorId);
    case "bot":
      return t("bot");
  }
  return t("system");
}

function timelineItem(entry) {
  if (entry.kind === "event") {
    return el(
      "li",
      { className: "event", dataset: { id: entry.item.id } },
      el("span", { text: eventText(entry.item) }),
      " ",
      el("time", { datetime: entry.item.createdAt, text: formatTime(entry.item.createdAt) }),
    );
  }
  const message = entry.item;
  return el(
    "li",
    { className: `message from-${message.authorKind}${message.private ? " note" : ""}`, dataset: { id: message.id } },
    el(
      "div",
      { className: "meta" },
      el("strong", { text: authorLabel(message) }),
      message.private ? el("span", { className: "badge note-badge", text: t("note_badge") }) : null,
      el("time", { datetime: message.createdAt, text: formatTime(message.createdAt) }),
    ),
    el("p", { className: "text", text: message.text }),
    message.authorKind === "contact" ? findingCards(message, t) : null,
  );
}

function renderTimeline() {
  const list = $("timeline");
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  list.replaceChildren(...state.timeline.map(timelineItem));
  if (nearBottom || state.timelineJustOpened) list.scrollTop = list.scrollHeight;
  state.timelineJustOpened = false;
}

function addToTimeline(kind, item) {
  if (state.timeline.some((entry) => entry.item.id === item.id)) return;
  state.timeline.push({ kind, item });
  state.timeline.sort((a, b) => Date.parse(a.item.createdAt) - Date.parse(b.item.createdAt) || (a.item.id < b.item.id ? -1 : 1));
  renderTimeline();
}

async function loadContact(contactId) {
  if (state.contacts.has(contactId)) return state.contacts.get(contactId);
  try {
    const contact = await api("GET", `/api/v1/contacts/${contactId}`);
    state.contacts.set(contactId, contact);
    return contact;
  } catch {
    return null;
  }
}

async function renderContact(c) {
  const contact = await loadContact(c.contactId);
  if (state.selected !== c.id) return;
  $("contact-pane").hidden = false;
  $("c-name").textContent = contact?.name || t("contact_none");
  $("c-email").textContent = contact?.email || t("contact_none");
  $("c-tier").textContent = contact?.tier || t("contact_none");
  const wallets = contact?.walletAddresses ?? [];
  $("c-wallets").replaceChildren(...(wallets.length ? wallets.map((w) => el("li", {}, el("code", { text: w }))) : [el("li", { text: t("contact_none") })]));
  let earlier = [];
  try {
    earlier = (await api("GET", `/api/v1/conversations?contactId=${c.contactId}&limit=20`)).items.filter((other) => other.id !== c.id);
  } catch {}
  if (state.selected !== c.id) return;
  $("c-earlier").replaceChildren(
    ...(earlier.length
      ? earlier.map((other) =>
          el("li", {}, el("button", { type: "button", className: "link", onclick: () => select(other.id) }, `#${other.number} · ${t(`status_${other.status}`)}`)),
        )
      : [el("li", { text: t("contact_none") })]),
  );
}

async function select(id) {
  if (!id) return;
  const c = state.conversations.get(id) ?? (await api("GET", `/api/v1/conversations/${id}`));
  state.conversations.set(id, c);
  state.selected = id;
  state.unread.delete(id);
  state.timeline = [];
  state.timelineJustOpened = true;
  document.body.classList.add("has-selection");
  $("placeholder").hidden = true;
  $("conversation").hidden = false;
  renderFields(c);
  state.macros?.close();
  renderTimeline();
  renderAll();
  renderAwareness();
  sendViewing(true);
  const [messages, events] = await Promise.all([allPages(`/api/v1/conversations/${id}/messages`, 10), allPages(`/api/v1/conversations/${id}/events`, 10)]);
  if (state.selected !== id) return;
  for (const m of messages) addToTimeline("message", m);
  for (const e of events) addToTimeline("event", e);
  const said = messages.filter(saysSomething);
  if (said.length) state.lastText.set(id, firstLine(said[said.length - 1].text));
  renderTimeline();
  renderContact(c);
  applyChainLookups(id, $("timeline"), api, t);
  refreshServiceLevels(id);
  refreshComplaint(id);
}

function refreshComplaint(id) {
  showComplaint(id, $("complaint"), {
    api, t, teams: () => state.teams, isCurrent: () => state.selected === id,
    changed: () => {
      showComposerError("");
      refreshEvents(id);
      refreshServiceLevels(id);
    },
  }).catch(() => {});
}

// Clocks move with every message and change: asked again at most once a second.
let serviceLevelsTimer = null;
function refreshServiceLevels(id) {
  clearTimeout(serviceLevelsTimer);
  serviceLevelsTimer = setTimeout(() => showServiceLevels(id, $("sla"), api, t, () => state.selected === id), 300);
}

// A list's badge is asked again a moment after its conversation changes, once per burst.
const listLevelsTimers = new Map();
function refreshListServiceLevels(id) {
  clearTimeout(listLevelsTimers.get(id));
  listLevelsTimers.set(
    id,
    setTimeout(async () => {
      listLevelsTimers.delete(id);
      try {
        const sla = await api("GET", `/api/v1/conversations/${id}/sla`);
        const c = state.conversations.get(id);
        if (c) {
          c.sla = sla;
          renderAll();
        }
      } catch {}
    }, 1_000),
  );
}

// An alert addressed to this agent: shown until dismissed or opened.
function showServiceAlert(event) {
  const payload = event.payload ?? {};
  if (!(payload.notify ?? []).includes(state.me.id)) return;
  const c = payload.conversation ?? {};
  const clock = t(`sla_${payload.clock}`);
  $("sla-alert-text").textContent = t(payload.kind === "breached" ? "sla_alert_breached" : "sla_alert_warning", { clock, number: c.number ?? "" });
  $("sla-alert-open").onclick = () => {
    $("sla-alert").hidden = true;
    select(c.id);
  };
  $("sla-alert").hidden = false;
}

// A 1 or 2 is a follow-up: owners and admins (the team leads) hear of it at once.
function showRatingAlert(payload) {
  if (!payload.low || !["owner", "admin"].includes(state.me.role)) return;
  $("rating-alert-text").textContent = t("rating_alert", { number: payload.number ?? "", rating: payload.rating, comment: payload.comment ?? "" });
  $("rating-alert-open").onclick = () => {
    $("rating-alert").hidden = true;
    select(payload.conversationId);
  };
  $("rating-alert").hidden = false;
}

async function refreshEvents(id) {
  const events = await allPages(`/api/v1/conversations/${id}/events`, 10);
  if (state.selected !== id) return;
  for (const e of events) addToTimeline("event", e);
}

async function refreshMessages(id) {
  const messages = await allPages(`/api/v1/conversations/${id}/messages`, 10);
  if (state.selected !== id) return;
  for (const m of messages) addToTimeline("message", m);
  renderTimeline();
}

async function patchSelected(change) {
  const id = state.selected;
  try {
    const updated = await api("PATCH", `/api/v1/conversations/${id}`, change);
    upsertConversation(updated);
    refreshEvents(id);
  } catch (error) {
    showComposerError(t("save_failed", { detail: error.message }));
    renderFields(state.conversations.get(id));
  }
}

function showComposerError(text) {
  $("composer-error").textContent = text;
  $("composer-error").hidden = !text;
}

function upsertConversation(c) {
  // Realtime payloads carry neither: what the list last had stays until it is asked again.
  const known = state.conversations.get(c.id);
  if (known && !("sla" in c) && known.sla) c.sla = known.sla;
  if (known && !("lastMessage" in c) && known.lastMessage) c.lastMessage = known.lastMessage;
  if (known && !("complaint" in c) && known.complaint) c.complaint = known.complaint;
  if (known && !("snoozedUntil" in c) && known.snoozedUntil && c.status === "snoozed") c.snoozedUntil = known.snoozedUntil;
  if (known && !("rating" in c) && known.rating) c.rating = known.rating;
  state.conversations.set(c.id, c);
  if (c.id === state.selected) renderFields(c);
  renderAll();
}

// ---- presence, typing and the "someone else is here" warning ---------------------------

function liveEntries(map, id) {
  const now = Date.now();
  const entries = map.get(id);
  if (!entries) return [];
  for (const [key, expiry] of entries) if (expiry < now) entries.delete(key);
  return [...entries.keys()];
}

function renderAwareness() {
  const id = state.selected;
  if (!id) return;
  const c = state.conversations.get(id);
  const viewers = liveEntries(state.viewers, id).filter((agentId) => agentId !== state.me.id);
  const typers = liveEntries(state.typers, id).filter((agentId) => agentId !== state.me.id);
  const warning = $("collision");
  const lines = [
    ...typers.map((agentId) => t("agent_typing_here", { name: agentName(agentId) })),
    ...viewers.filter((agentId) => !typers.includes(agentId)).map((agentId) => t("agent_viewing", { name: agentName(agentId) })),
  ];
  warning.textContent = lines.join(" ");
  warning.hidden = lines.length === 0;
  warning.dataset.agents = viewers.concat(typers).join(",");
  const contactTyping = c && (state.contactTyping.get(c.contactId) ?? 0) > Date.now();
  $("typing").textContent = contactTyping ? t("contact_typing") : "";
}

function sendFrame(frame) {
  if (state.socket?.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(frame));
}

function sendViewing(force = false) {
  const now = Date.now();
  if (!force && now - state.lastViewingSent < 2_000) return;
  state.lastViewingSent = now;
  sendFrame({ type: "viewing", conversationId: state.selected });
}

function sendTyping() {
  const now = Date.now();
  const c = state.conversations.get(state.selected);
  if (!c || now - state.lastTypingSent < 2_000) return;
  state.lastTypingSent = now;
  sendFrame({ type: "typing", conversationId: c.id, contactId: c.contactId, private: composerMode() === "note" });
}

function mark(map, id, key, ttl) {
  if (!map.has(id)) map.set(id, new Map());
  map.get(id).set(key, Date.now() + ttl);
}

function handleEvent(event) {
  const payload = event.payload ?? {};
  switch (event.type) {
    case "socket.ready":
      $("connection").hidden = true;
      if (state.reconnected) reloadConversations();
      state.reconnected = true;
      sendViewing(true);
      break;
    case "conversation.created":
      if (payload.id !== state.selected) state.unread.add(payload.id);
      loadContact(payload.contactId).then(renderAll);
      upsertConversation(payload);
      break;
    case "conversation.sla_warning":
    case "conversation.sla_breached":
      if (payload.conversation) upsertConversation(payload.conversation);
      refreshListServiceLevels(event.conversationId);
      if (event.conversationId === state.selected) {
        refreshEvents(event.conversationId);
        refreshServiceLevels(event.conversationId);
      }
      showServiceAlert(event);
      break;
    case "conversation.updated":
      upsertConversation(payload);
      refreshListServiceLevels(payload.id);
      if (payload.id === state.selected) {
        refreshEvents(payload.id);
        refreshServiceLevels(payload.id);
      }
      break;
    case "message.created": {
      const c = state.conversations.get(event.conversationId);
      if (saysSomething(payload)) state.lastText.set(event.conversationId, firstLine(payload.text));
      if (c) c.lastActivityAt = payload.createdAt ?? c.lastActivityAt;
      if (c) refreshListServiceLevels(c.id);
      if (payload.authorKind === "contact" && c) state.contactTyping.delete(c.contactId);
      if (event.conversationId === state.selected) {
        addToTimeline("message", payload);
        refreshServiceLevels(event.conversationId);
      }
      else if (payload.authorKind === "contact") state.unread.add(event.conversationId);
      if (!c) api("GET", `/api/v1/conversations/${event.conversationId}`).then(upsertConversation).catch(() => {});
      renderAll();
      renderAwareness();
      break;
    }
    case "conversation.rated": {
      const c = state.conversations.get(event.conversationId);
      if (c) {
        c.rating = payload.rating;
        renderAll();
      }
      showRatingAlert(payload);
      break;
    }
    case "complaint.opened":
    case "complaint.updated":
      // Read again: the list's follow-up marks come with the conversation.
      api("GET", `/api/v1/conversations/${event.conversationId}`).then(upsertConversation).catch(() => {});
      if (event.conversationId === state.selected) {
        refreshComplaint(event.conversationId);
        refreshEvents(event.conversationId);
      }
      break;
    case "webhook.disabled":
      $("webhook-notice-text").textContent = t("webhooks_disabled_notice", { url: payload.url ?? "" });
      $("webhook-notice").hidden = false;
      break;
    case "typing":
      if (payload.actor === "contact") state.contactTyping.set(payload.contactId, Date.now() + TYPING_TTL_MS);
      else if (payload.agentId && payload.agentId !== state.me.id) mark(state.typers, event.conversationId, payload.agentId, TYPING_TTL_MS);
      renderAwareness();
      break;
    case "presence":
      if (payload.availability && state.agents.has(payload.agentId)) state.agents.get(payload.agentId).availability = payload.availability;
      if (payload.conversationId && payload.agentId !== state.me.id) {
        if (payload.viewing) {
          mark(state.viewers, payload.conversationId, payload.agentId, PRESENCE_TTL_MS);
          // Answer a newcomer at once, so both sides know within a moment rather than a heartbeat.
          if (payload.conversationId === state.selected) sendViewing();
        } else {
          state.viewers.get(payload.conversationId)?.delete(payload.agentId);
          state.typers.get(payload.conversationId)?.delete(payload.agentId);
        }
      }
      renderAwareness();
      break;
  }
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  // The session cookie signs the socket in; no token is ever handed to script.
  const socket = new WebSocket(`${scheme}//${location.host}/api/v1/realtime`);
  state.socket = socket;
  socket.addEventListener("message", (message) => {
    if (message.data === "pong") return;
    try {
      handleEvent(JSON.parse(message.data));
    } catch {}
  });
  socket.addEventListener("close", () => {
    $("connection").hidden = false;
    setTimeout(connect, 1_500);
  });
}

// ---- composer ---------------------------------------------------------------------

function composerMode() {
  return document.querySelector('input[name="mode"]:checked').value;
}

function updateComposerMode() {
  const note = composerMode() === "note";
  $("composer").classList.toggle("note-mode", note);
  $("composer-text").placeholder = t(note ? "composer_note_placeholder" : "composer_reply_placeholder");
  $("send").textContent = t(note ? "save_note" : "send");
}

async function submitComposer(event) {
  event?.preventDefault();
  const text = $("composer-text").value.trim();
  const id = state.selected;
  if (!text || !id) return;
  $("send").disabled = true;
  showComposerError("");
  try {
    // A reply that began as a canned reply counts as its use (and its conversation's CSAT).
    const canned = state.cannedReply?.conversationId === id && composerMode() === "reply" ? state.cannedReply.id : undefined;
    const message = await api("POST", `/api/v1/conversations/${id}/messages`, { text, private: composerMode() === "note", cannedReplyId: canned });
    state.cannedReply = null;
    $("composer-text").value = "";
    state.glossaryHints?.clear();
    if (state.selected === id) addToTimeline("message", message);
  } catch (error) {
    showComposerError(t("save_failed", { detail: error.message }));
  } finally {
    $("send").disabled = false;
  }
}

// ---- keyboard -----------------------------------------------------------------------

function move(step) {
  const list = visibleConversations();
  if (!list.length) return;
  const index = list.findIndex((c) => c.id === state.selected);
  const next = list[Math.min(list.length - 1, Math.max(0, index < 0 ? 0 : index + step))];
  select(next.id).then(() => document.querySelector(`.conversation-item[data-id="${next.id}"]`)?.focus());
}

document.addEventListener("keydown", (event) => {
  const target = event.target;
  const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "/") {
    event.preventDefault();
    $("search").focus();
  } else if (event.key === "j") {
    move(1);
  } else if (event.key === "k") {
    move(-1);
  }
});

// ---- start ----------------------------------------------------------------------------

async function reloadConversations() {
  const items = await allPages("/api/v1/conversations");
  for (const c of items) {
    state.conversations.set(c.id, c);
    if (c.lastMessage) state.lastText.set(c.id, c.lastMessage.text);
  }
  renderAll();
}

let searchTimer = null;
function onSearch() {
  state.search = $("search").value;
  state.searchHits = null;
  renderList();
  clearTimeout(searchTimer);
  const query = state.search.trim();
  if (!query) {
    state.searchHits = null;
    return;
  }
  // Locally first for speed, then the server, which also reads message text.
  searchTimer = setTimeout(async () => {
    try {
      const result = await api("GET", `/api/v1/search/conversations?q=${encodeURIComponent(query)}`);
      if ($("search").value.trim() !== query) return;
      for (const c of result.items) {
        state.conversations.set(c.id, c);
        loadContact(c.contactId).then(renderList);
      }
      state.searchHits = new Set(result.items.map((c) => c.id));
      renderAll();
    } catch {}
  }, 250);
}

async function start() {
  state.me = await api("GET", "/api/v1/auth/me");
  $("me-name").textContent = state.me.name;
  $("presence").value = state.me.availability;
  const [agents, teams, inboxes, contacts] = await Promise.all([
    api("GET", "/api/v1/agents"),
    api("GET", "/api/v1/teams"),
    api("GET", "/api/v1/inboxes"),
    allPages("/api/v1/contacts", 5),
  ]);
  for (const agent of agents.items) state.agents.set(agent.id, agent);
  state.teams = teams.items;
  state.inboxes = inboxes.items;
  for (const contact of contacts) state.contacts.set(contact.id, contact);
  connect();
  await reloadConversations();
  // A link from another page (the queue) opens its conversation.
  const linked = location.hash.slice(1);
  if (/^[0-9A-Fa-f-]{36}$/.test(linked)) select(linked).catch(() => {});

  $("search").addEventListener("input", onSearch);
  $("sort").addEventListener("change", () => {
    state.sort = $("sort").value;
    renderList();
  });
  $("f-status").addEventListener("change", (e) => patchSelected({ status: e.target.value }));
  $("f-priority").addEventListener("change", (e) => patchSelected({ priority: e.target.value }));
  $("f-assignee").addEventListener("change", (e) => patchSelected({ assigneeId: e.target.value || null }));
  $("f-team").addEventListener("change", (e) => patchSelected({ teamId: e.target.value || null }));
  const saveTags = () => {
    const c = state.conversations.get(state.selected);
    const tags = $("f-tags").value.split(/[\s,]+/).filter(Boolean);
    if (c && tags.join(" ") !== (c.tags ?? []).join(" ")) patchSelected({ tags });
  };
  $("f-tags").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      saveTags();
    }
  });
  $("f-tags").addEventListener("change", saveTags);
  $("f-snooze").addEventListener("change", (e) => {
    const choice = SNOOZES.find(([key]) => key === e.target.value);
    if (choice) patchSelected({ snoozedUntil: choice[1]().toISOString() });
  });
  state.macros = macroMenu({
    picker: $("f-macro"), preview: $("macro-preview"), api, t, conversationId: () => state.selected,
    applied: (conversation) => {
      upsertConversation(conversation);
      refreshEvents(conversation.id);
      refreshMessages(conversation.id);
      refreshComplaint(conversation.id);
    },
  });
  $("composer").addEventListener("submit", submitComposer);
  cannedMenu({
    textarea: $("composer-text"), menu: $("canned-menu"), api, t, conversationId: () => state.selected,
    used: (id) => (state.cannedReply = { id, conversationId: state.selected }),
  });
  state.glossaryHints = glossaryHints({
    textarea: $("composer-text"), hints: $("glossary-hints"), api, t, isReply: () => composerMode() === "reply",
    chinese: () => /^zh/i.test(state.conversations.get(state.selected)?.language ?? document.documentElement.lang),
  });
  $("composer-text").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submitComposer(e);
  });
  $("composer-text").addEventListener("input", sendTyping);
  for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener("change", updateComposerMode);
  $("back").addEventListener("click", () => {
    document.body.classList.remove("has-selection");
    state.selected = null;
    sendViewing(true);
    $("conversation").hidden = true;
    $("contact-pane").hidden = true;
    $("placeholder").hidden = false;
    renderList();
  });
  $("presence").addEventListener("change", async (e) => {
    const availability = e.target.value;
    try {
      await api("PATCH", `/api/v1/agents/${state.me.id}`, { availability });
      state.me.availability = availability;
      sendFrame({ type: "availability", availability });
    } catch (error) {
      e.target.value = state.me.availability;
    }
  });
  $("logout").addEventListener("click", async () => {
    try {
      await api("POST", "/api/v1/auth/logout");
    } finally {
      window.location.href = "/console";
    }
  });
  setInterval(() => sendViewing(true), HEARTBEAT_MS);
  setInterval(renderAwareness, 1_000);
  setInterval(redrawListBadges, 1_000);
  $("sla-alert-dismiss").addEventListener("click", () => ($("sla-alert").hidden = true));
  $("rating-alert-dismiss").addEventListener("click", () => ($("rating-alert").hidden = true));
}

start().catch((error) => {
  $("connection").textContent = error.message;
  $("connection").hidden = false;
});
