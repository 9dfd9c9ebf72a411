// Kefu chat widget. Embed with one line:
//   <script src="https://desk.example/widget.js" data-inbox="PUBLIC_TOKEN" async></script>
// Optional: data-locale="zh|en", data-prechat-email="true".
// Everything lives in a shadow root so the host page's CSS and ours cannot touch each other,
// and every message is put on the page with textContent only.
(() => {
  "use strict";
  const STRINGS = /*KEFU_STRINGS*/{};
  const script = document.currentScript || document.querySelector("script[data-inbox]");
  if (!script || window.__kefuWidgetLoaded) return;
  window.__kefuWidgetLoaded = true;
  const inboxToken = script.dataset.inbox;
  if (!inboxToken) return;
  const base = new URL(script.src, location.href).origin;
  const pageLocale = script.dataset.locale || document.documentElement.lang || navigator.language || "en";
  const locale = pageLocale.toLowerCase().startsWith("zh") ? "zh" : "en";
  const strings = STRINGS[locale] || STRINGS.en || {};
  const t = (key, vars = {}) => (strings[key] || key).replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? ""));
  const storageKey = `kefu:${inboxToken}:visitor`;
  const emailKey = `kefu:${inboxToken}:email`;
  const store = {
    get: (key) => {
      try {
        return localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set: (key, value) => {
      try {
        localStorage.setItem(key, value);
      } catch {}
    },
  };

  const css = `
    :host { all: initial; }
    * { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; }
    .launcher { position: fixed; right: 20px; bottom: 20px; width: 60px; height: 60px; border-radius: 50%; display: grid; place-items: center;
      border: none; background: #1f6feb; color: #fff; font-size: 26px; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); }
    .launcher:focus-visible, button:focus-visible, textarea:focus-visible, input:focus-visible { outline: 3px solid #f0b429; outline-offset: 2px; }
    .panel { position: fixed; right: 20px; bottom: 92px; width: min(370px, calc(100vw - 24px)); height: min(540px, calc(100vh - 120px));
      background: #fff; color: #1b1f24; border-radius: 14px; box-shadow: 0 10px 40px rgba(0,0,0,.28);
      display: flex; flex-direction: column; overflow: hidden; font-size: 14px; line-height: 1.45; }
    .panel[hidden] { display: none; }
    header { background: #1f6feb; color: #fff; padding: 12px 14px; display: flex; align-items: center; justify-content: space-between; }
    header h2 { margin: 0; font-size: 16px; }
    header button { background: transparent; color: #fff; border: none; font-size: 22px; cursor: pointer; line-height: 1; }
    .notice { margin: 0; padding: 8px 14px; font-size: 13px; background: #eef4ff; color: #113; }
    .notice.offline { background: #fff4e5; color: #5a3300; }
    .safety { margin: 0; padding: 6px 14px; font-size: 12px; background: #fdf1f1; color: #7a1212; }
    ol { list-style: none; margin: 0; padding: 12px; flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 8px; }
    li { max-width: 85%; padding: 8px 11px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
    li.me { align-self: flex-end; background: #1f6feb; color: #fff; border-bottom-right-radius: 3px; }
    li.them { align-self: flex-start; background: #f0f2f5; color: #1b1f24; border-bottom-left-radius: 3px; }
    li.greeting { align-self: flex-start; background: #f0f2f5; }
    .who { display: block; font-size: 11px; opacity: .75; margin-bottom: 2px; }
    .typing { min-height: 18px; margin: 0 14px; font-size: 12px; color: #555; }
    form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e3e6ea; }
    textarea, input { flex: 1; resize: none; border: 1px solid #c9ced6; border-radius: 8px; padding: 8px; font-size: 14px; color: #1b1f24; background: #fff; }
    button.send, .prechat button { background: #1f6feb; color: #fff; border: none; border-radius: 8px; padding: 0 14px; cursor: pointer; font-size: 14px; }
    .prechat { padding: 14px; display: flex; flex-direction: column; gap: 8px; flex: 1; }
    .prechat[hidden] { display: none; }
    .prechat .row { display: flex; gap: 8px; }
    .prechat button { padding: 8px 14px; }
    .prechat button.skip { background: #e3e6ea; color: #1b1f24; }
    .error { color: #b00020; font-size: 12px; margin: 0 14px; }
    .redacted { margin: 0 14px 6px; padding: 6px 10px; font-size: 12px; border-radius: 8px; background: #fff4e5; color: #5a3300; }
    .redacted[hidden] { display: none; }
    .survey { background: #f3f6fa; border-radius: 10px; padding: 10px; display: flex; flex-direction: column; gap: 6px; }
    .survey .stars { display: flex; gap: 4px; }
    .survey .stars button { border: 1px solid #c9ced6; background: #fff; border-radius: 6px; padding: 4px 8px; cursor: pointer; font-size: 14px; }
    .survey .stars button[aria-pressed="true"] { background: #1f6feb; color: #fff; border-color: #1f6feb; }
    .survey textarea { flex: none; }
    .survey .rate { align-self: flex-start; background: #1f6feb; color: #fff; border: none; border-radius: 8px; padding: 6px 14px; cursor: pointer; }
    .survey .thanks { margin: 0; font-size: 13px; color: #14532d; }
    .nps { background: #f3f6fa; border-radius: 10px; padding: 10px; display: flex; flex-direction: column; gap: 6px; }
    .nps .scores { display: flex; flex-wrap: wrap; gap: 4px; }
    .nps .scores button { border: 1px solid #c9ced6; background: #fff; border-radius: 6px; padding: 4px 6px; min-width: 28px; cursor: pointer; font-size: 14px; }
    .nps .scores button[aria-pressed="true"] { background: #1f6feb; color: #fff; border-color: #1f6feb; }
    .nps textarea { flex: none; }
    .nps .rate { align-self: flex-start; background: #1f6feb; color: #fff; border: none; border-radius: 8px; padding: 6px 14px; cursor: pointer; }
    .nps .thanks { margin: 0; font-size: 13px; color: #14532d; }
    .nps .scale { display: flex; justify-content: space-between; font-size: 12px; color: #57606a; }
    .complaint { margin: 0; padding: 8px 14px; background: #fff7e6; border-bottom: 1px solid #f0d9a8; font-size: 13px; display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; }
    .complaint .follow { color: #1f6feb; font-weight: 600; }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  `;

  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };

  const host = document.createElement("div");
  host.id = "kefu-widget";
  // Inline !important beats any rule the host page has for divs; CSSOM writes are not
  // blocked by a page's Content-Security-Policy.
  for (const [property, value] of [["all", "initial"], ["position", "fixed"], ["z-index", "2147483000"], ["right", "0"], ["bottom", "0"], ["display", "block"]]) {
    host.style.setProperty(property, value, "important");
  }
  const root = host.attachShadow({ mode: "open" });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(el("style", { text: css }));
  }

  const launcher = el("button", { type: "button", className: "launcher", "aria-label": t("widget_open"), "aria-expanded": "false" });
  const svg = (tag, attrs) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    return node;
  };
  const icon = svg("svg", { viewBox: "0 0 24 24", width: "28", height: "28", "aria-hidden": "true" });
  icon.append(svg("path", { d: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z", fill: "currentColor" }));
  launcher.append(icon);
  const title = el("h2", { id: "kefu-title", text: t("widget_title") });
  const close = el("button", { type: "button", "aria-label": t("widget_close"), text: "×" });
  const notice = el("p", { className: "notice", role: "status", hidden: true });
  const safety = el("p", { className: "safety", text: t("widget_never_share") });
  const list = el("ol", { "aria-live": "polite", "aria-label": t("widget_title") });
  // A customer with a complaint always sees where it stands and how to follow it.
  const complaintBar = el("p", { className: "complaint", role: "status", hidden: true });
  const typing = el("p", { className: "typing", "aria-live": "polite" });
  const error = el("p", { className: "error", role: "alert", hidden: true });
  const textarea = el("textarea", { rows: "2", placeholder: t("widget_placeholder"), "aria-label": t("widget_input_label") });
  const send = el("button", { type: "submit", className: "send", text: t("widget_send") });
  const form = el("form", {}, textarea, send);
  const emailInput = el("input", { type: "email", id: "kefu-email", placeholder: t("widget_email_placeholder"), autocomplete: "email" });
  const prechat = el(
    "form",
    { className: "prechat", hidden: true },
    el("label", { for: "kefu-email", text: t("widget_email_label") }),
    emailInput,
    el("div", { className: "row" }, el("button", { type: "submit", text: t("widget_start") }), el("button", { type: "button", className: "skip", text: t("widget_skip"), onclick: () => finishPrechat("") })),
  );
  const panel = el(
    "section",
    { className: "panel", role: "dialog", "aria-labelledby": "kefu-title", hidden: true },
    el("header", {}, title, close),
    notice,
    safety,
    prechat,
    complaintBar,
    list,
    typing,
    error,
    form,
  );
  root.append(launcher, panel);

  let visitorToken = store.get(storageKey);
  let conversationId = null;
  let socket = null;
  let started = null;
  let typingTimer = null;
  let lastTypingSent = 0;
  let pendingEmail = null;
  const seen = new Set();

  async function call(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    // The status takes the token too: a customer waiting for an agent learns their place in the queue.
    if (visitorToken && !path.startsWith("/widget/v1/sessions")) headers.Authorization = `Bearer ${visitorToken}`;
    const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "omit" });
    if (!response.ok) {
      const failure = new Error(String(response.status));
      failure.status = response.status;
      failure.retryAfter = Number(response.headers.get("Retry-After")) || 0;
      throw failure;
    }
    return response.json();
  }

  // One id per message, sent again on every retry of it, so the desk stores it once
  // however many times the network or a busy database makes the widget try.
  function messageId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // Retries while the desk is unreachable or says so (503), waiting as long as it asks.
  async function sendMessage(text) {
    const body = { text, clientMessageId: messageId() };
    let wait = 1000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await call("POST", "/widget/v1/messages", body);
      } catch (failure) {
        const retryable = failure.status === undefined || failure.status === 503 || failure.status === 502 || failure.status === 504;
        if (!retryable || attempt >= 6) throw failure;
        await sleep(Math.max(wait, (failure.retryAfter || 0) * 1000));
        wait = Math.min(wait * 2, 15000);
      }
    }
  }

  function addMessage(message) {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    conversationId = message.conversationId || conversationId;
    const mine = message.authorKind === "contact";
    const who = mine ? t("widget_you") : message.authorKind === "bot" ? t("widget_bot") : t("widget_support");
    list.append(el("li", { className: mine ? "me" : "them" }, el("span", { className: "who", text: who }), messageText(message, mine)));
    list.scrollTop = list.scrollHeight;
    if (!mine) typing.textContent = "";
  }

  // Links to this desk's own help center become clickable in support's messages; every
  // other piece of text, and anything the customer wrote, stays plain text.
  function messageText(message, mine) {
    const span = el("span", { className: "text" });
    const own = base + "/help/";
    let rest = message.text;
    while (!mine && rest.includes(own)) {
      const at = rest.indexOf(own);
      const end = rest.slice(at).search(/\s/);
      const url = end === -1 ? rest.slice(at) : rest.slice(at, at + end);
      span.append(rest.slice(0, at), el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: url }));
      rest = rest.slice(at + url.length);
    }
    span.append(rest);
    return span;
  }

  // After a resolution the customer is asked to rate it: five choices and a comment,
  // which can be changed until the survey closes.
  let surveyItem = null;
  function showSurvey(survey) {
    if (surveyItem) surveyItem.remove();
    let chosen = survey.rating || 0;
    const stars = [1, 2, 3, 4, 5].map((score) => el("button", {
      type: "button", "data-score": String(score), "aria-pressed": String(score === chosen), "aria-label": t(`widget_rate_${score}`), text: `${score} ★`,
      onclick: () => {
        chosen = score;
        for (const star of stars) star.setAttribute("aria-pressed", String(star === stars[score - 1]));
      },
    }));
    const comment = el("textarea", { rows: "2", className: "comment", placeholder: t("widget_rate_comment"), "aria-label": t("widget_rate_comment") });
    comment.value = survey.comment || "";
    const thanks = el("p", { className: "thanks", role: "status", text: survey.rating ? t("widget_rate_thanks") : "" });
    const rate = el("button", { type: "button", className: "rate", text: survey.rating ? t("widget_rate_change") : t("widget_rate_send"),
      onclick: async () => {
        if (!chosen) return (thanks.textContent = t("widget_rate_pick"));
        try {
          const saved = await call("POST", "/widget/v1/survey", { rating: chosen, comment: comment.value.trim() || undefined });
          thanks.textContent = t("widget_rate_thanks");
          rate.textContent = t("widget_rate_change");
          surveyItem.dataset.rating = String(saved.rating);
        } catch (failure) {
          thanks.textContent = t("widget_rate_failed");
        }
      } });
    surveyItem = el("li", { className: "survey", "data-rating": survey.rating ? String(survey.rating) : "" },
      el("span", { className: "question", text: t("widget_rate_question") }), el("div", { className: "stars", role: "group", "aria-label": t("widget_rate_question") }, ...stars),
      comment, rate, thanks);
    list.append(surveyItem);
    list.scrollTop = list.scrollHeight;
  }

  async function loadSurvey() {
    try {
      showSurvey(await call("GET", "/widget/v1/survey"));
    } catch {}
  }

  // Now and then (where the desk asks it): how likely, 0 to 10, would they recommend us.
  let recommendItem = null;
  function showRecommendation(question) {
    if (recommendItem) recommendItem.remove();
    let chosen = question.score ?? null;
    const scores = Array.from({ length: 11 }, (_, score) => el("button", {
      type: "button", "data-score": String(score), "aria-pressed": String(score === chosen), "aria-label": t("widget_nps_score", { score }), text: String(score),
      onclick: () => {
        chosen = score;
        for (const button of scores) button.setAttribute("aria-pressed", String(button === scores[score]));
      },
    }));
    const comment = el("textarea", { rows: "2", className: "comment", placeholder: t("widget_nps_comment"), "aria-label": t("widget_nps_comment") });
    comment.value = question.comment || "";
    const thanks = el("p", { className: "thanks", role: "status", text: question.score !== undefined && question.score !== null ? t("widget_nps_thanks") : "" });
    const send = el("button", { type: "button", className: "rate", text: t("widget_nps_send"),
      onclick: async () => {
        if (chosen === null) return (thanks.textContent = t("widget_nps_pick"));
        try {
          const saved = await call("POST", "/widget/v1/nps", { score: chosen, comment: comment.value.trim() || undefined });
          thanks.textContent = t("widget_nps_thanks");
          recommendItem.dataset.score = String(saved.score);
        } catch {
          thanks.textContent = t("widget_rate_failed");
        }
      } });
    recommendItem = el("li", { className: "nps", "data-score": question.score !== undefined && question.score !== null ? String(question.score) : "" },
      el("span", { className: "question", text: t("widget_nps_question") }),
      el("div", { className: "scores", role: "group", "aria-label": t("widget_nps_question") }, ...scores),
      el("div", { className: "scale" }, el("span", { text: t("widget_nps_low") }), el("span", { text: t("widget_nps_high") })),
      comment, send, thanks);
    list.append(recommendItem);
    list.scrollTop = list.scrollHeight;
  }

  async function loadRecommendation() {
    try {
      showRecommendation(await call("GET", "/widget/v1/nps"));
    } catch {}
  }

  // The progress page's link is made once per complaint and browser, then kept: each link
  // is a secret of its own, and the desk keeps only its hash.
  async function loadComplaint() {
    try {
      const latest = (await call("GET", "/widget/v1/complaints")).items[0];
      if (!latest) return;
      const key = `${storageKey}:complaint:${latest.id}`;
      let url = store.get(key);
      if (!url) {
        url = (await call("POST", `/widget/v1/complaints/${latest.id}/link`)).url;
        store.set(key, url);
      }
      complaintBar.replaceChildren(
        el("span", { text: t("widget_complaint", { number: latest.conversationNumber, stage: t(`widget_milestone_${latest.milestone}`) }) }),
        el("a", { className: "follow", href: url, target: "_blank", rel: "noopener noreferrer", text: t("widget_complaint_follow") }),
      );
      complaintBar.dataset.milestone = latest.milestone;
      complaintBar.hidden = false;
    } catch {}
  }

  async function loadHistory() {
    let cursor = null;
    for (let page = 0; page < 20; page++) {
      const result = await call("GET", `/widget/v1/messages?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      result.items.forEach(addMessage);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
  }

  function connect() {
    const url = new URL("/widget/v1/socket", base);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("token", visitorToken);
    socket = new WebSocket(url);
    let ready = false;
    socket.addEventListener("message", (event) => {
      if (event.data === "pong") return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === "socket.ready") {
        // Catch up on whatever arrived while the socket was down.
        if (ready || seen.size) loadHistory().catch(() => {});
        ready = true;
      } else if (frame.type === "message.created" && frame.payload) {
        addMessage(frame.payload);
      } else if (frame.type === "survey.requested") {
        // Resolved: the place in line (if any) is over; ask for the rating.
        loadSurvey();
        showStatus();
      } else if (frame.type === "nps.requested") {
        loadRecommendation();
      } else if (frame.type === "complaint.opened" || frame.type === "complaint.updated") {
        loadComplaint();
      } else if (frame.type === "typing" && frame.payload && frame.payload.actor === "agent") {
        typing.textContent = t("widget_agent_typing");
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => (typing.textContent = ""), 5000);
      }
    });
    socket.addEventListener("close", () => setTimeout(() => visitorToken && connect(), 2000));
  }

  async function showStatus() {
    try {
      const status = await call("GET", `/widget/v1/status?inboxToken=${encodeURIComponent(inboxToken)}&locale=${locale === "zh" ? "zh-Hans" : "en"}`);
      if (status.withinBusinessHours === false && status.opensAt) {
        // Outside business hours: when the team is back, in its own time zone and the customer's language.
        const opens = new Date(status.opensAt).toLocaleString(locale === "zh" ? "zh-CN" : "en", {
          timeZone: status.timeZone, weekday: "short", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "long",
        });
        notice.textContent = t("widget_closed_until", { time: opens });
      } else {
        notice.textContent = status.expectedReplyText ? status.expectedReplyText : status.agentsOnline
          ? t("widget_online", { minutes: status.expectedReplyMinutes })
          : t("widget_offline", { hours: Math.max(1, Math.round(status.expectedReplyMinutes / 60)) });
      }
      if (status.queuePosition) {
        notice.textContent = status.estimatedWaitSeconds
          ? t("widget_queue_wait", { position: status.queuePosition, minutes: Math.max(1, Math.round(status.estimatedWaitSeconds / 60)) })
          : t("widget_queue", { position: status.queuePosition });
      }
      notice.className = status.agentsOnline ? "notice online" : "notice offline";
      notice.dataset.online = String(status.agentsOnline);
      notice.dataset.queue = status.queuePosition ? String(status.queuePosition) : "";
      notice.hidden = false;
      // While waiting in line the place is asked again, so it counts down as others are served.
      clearTimeout(statusTimer);
      if (status.queuePosition && !panel.hidden) statusTimer = setTimeout(showStatus, 15000);
    } catch {}
  }
  let statusTimer = null;

  function start() {
    if (!started) {
      started = (async () => {
        const session = await call("POST", "/widget/v1/sessions", { inboxToken, locale: locale === "zh" ? "zh-Hans" : "en", visitorToken: visitorToken || undefined });
        visitorToken = session.visitorToken;
        store.set(storageKey, visitorToken);
        if (session.inboxName) title.textContent = session.inboxName;
        await loadHistory();
        await loadSurvey();
        await loadRecommendation();
        await loadComplaint();
        connect();
      })().catch((failure) => {
        started = null;
        throw failure;
      });
    }
    return started;
  }

  function finishPrechat(email) {
    store.set(emailKey, email || "-");
    pendingEmail = email || null;
    prechat.hidden = true;
    list.hidden = false;
    form.hidden = false;
    textarea.focus();
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", t("widget_close"));
    showStatus();
    const askEmail = script.dataset.prechatEmail === "true" && !store.get(emailKey) && !store.get(storageKey);
    prechat.hidden = !askEmail;
    list.hidden = askEmail;
    form.hidden = askEmail;
    if (!list.children.length) list.append(el("li", { className: "greeting", text: t("widget_greeting") }));
    (askEmail ? emailInput : textarea).focus();
    start().catch(() => {});
    loadWordlist();
  }

  function hide() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", t("widget_open"));
    launcher.focus();
  }

  // Recovery phrases and private keys are replaced in the browser, before the text leaves
  // this page; the server redacts again whatever gets past this. The placeholders are the
  // server's own, so a conversation reads the same whichever side hid the secret.
  const PLACEHOLDER = {
    phrase: "[已隐藏：助记词 / hidden: recovery phrase]",
    key: "[已隐藏：私钥 / hidden: private key]",
    extendedKey: "[已隐藏：扩展私钥 / hidden: extended private key]",
  };
  let wordlist = null;
  function loadWordlist() {
    if (!wordlist) {
      wordlist = fetch(`${base}/widget/v1/wordlists/english.txt`, { credentials: "omit" })
        .then((response) => (response.ok ? response.text() : Promise.reject(new Error(String(response.status)))))
        .then((text) => new Set(text.split(/\s+/).filter(Boolean)))
        .catch(() => {
          wordlist = null;
          return new Set();
        });
    }
    return wordlist;
  }
  const TX_WORDS = /\b(tx|txs|txid|txids|txhash|txn|txns|hash|hashes|transaction|transactions|transfer|transfers)\b|交易|哈希|转账|转帐|轉賬|轉帳/gi;
  const KEY_WORDS = /\b(private|privkey|priv|privatekey|secret|wif)\b|私钥|私鑰|密钥|密鑰/gi;
  const lastIndex = (pattern, text) => {
    let at = -1;
    for (const match of text.matchAll(pattern)) at = match.index;
    return at;
  };
  // A 64-hex string is a key unless the words just before it say transaction (as the server decides).
  const isTransactionContext = (before) => {
    const tx = lastIndex(TX_WORDS, before);
    return tx >= 0 && tx > lastIndex(KEY_WORDS, before);
  };
  function redactSecrets(text, words) {
    const spans = [];
    const add = (start, end, placeholder) => spans.push({ start, end, placeholder });
    for (const match of text.matchAll(/\b[xyztuv]prv[1-9A-HJ-NP-Za-km-z]{100,112}\b/g)) add(match.index, match.index + match[0].length, PLACEHOLDER.extendedKey);
    for (const match of text.matchAll(/\b[5KLc9][1-9A-HJ-NP-Za-km-z]{50,51}\b/g)) add(match.index, match.index + match[0].length, PLACEHOLDER.key);
    let previousTxEnd = -1;
    for (const match of text.matchAll(/(?<![0-9A-Za-z])(0x)?[0-9a-fA-F]{64}(?![0-9A-Za-z])/g)) {
      const from = Math.max(0, match.index - 30);
      const tx = previousTxEnd >= from || isTransactionContext(text.slice(from, match.index));
      if (tx) previousTxEnd = match.index + match[0].length;
      else add(match.index, match.index + match[0].length, PLACEHOLDER.key);
    }
    if (words.size) {
      // 12 or more list words in a row, whatever separates or numbers them ("1. abandon 2) ability, …").
      let run = [];
      const flush = () => {
        if (run.length >= 12) add(run[0].start, run[run.length - 1].end, PLACEHOLDER.phrase);
        run = [];
      };
      for (const match of text.matchAll(/[A-Za-z]+/g)) {
        const word = { start: match.index, end: match.index + match[0].length };
        const gap = run.length ? text.slice(run[run.length - 1].end, word.start) : "";
        if (run.length && !/^[\s\d.,;:|/\\()[\]{}#*"'`、，。；：）（-]*$/.test(gap)) flush();
        if (words.has(match[0].toLowerCase())) run.push(word);
        else flush();
      }
      flush();
    }
    if (!spans.length) return { text, hidden: false };
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    let output = "";
    let cursor = 0;
    let last = null;
    for (const span of spans) {
      if (last && span.start < last.end) {
        // Touching secrets are one stretch; a phrase inside it names the whole.
        if (span.end > last.end) last.end = span.end;
        if (span.placeholder === PLACEHOLDER.phrase) last.placeholder = PLACEHOLDER.phrase;
        continue;
      }
      if (last) {
        output += text.slice(cursor, last.start) + last.placeholder;
        cursor = last.end;
      }
      last = { ...span };
    }
    output += text.slice(cursor, last.start) + last.placeholder + text.slice(last.end);
    return { text: output, hidden: true };
  }
  const redactionNotice = el("p", { className: "redacted", role: "status", hidden: true, text: t("widget_redacted_notice") });
  panel.insertBefore(redactionNotice, error);

  async function submit(event) {
    event.preventDefault();
    const text = textarea.value.trim();
    if (!text) return;
    send.disabled = true;
    error.hidden = true;
    try {
      await start();
      if (pendingEmail) {
        // Saved on the customer's contact, where the agent's contact panel shows it.
        await call("PATCH", "/widget/v1/contact", { email: pendingEmail });
        pendingEmail = null;
      }
      const safe = redactSecrets(text, await loadWordlist());
      redactionNotice.hidden = !safe.hidden;
      addMessage(await sendMessage(safe.text));
      showStatus();
      textarea.value = "";
    } catch {
      error.textContent = t("widget_error");
      error.hidden = false;
    } finally {
      send.disabled = false;
    }
  }

  launcher.addEventListener("click", () => (panel.hidden ? open() : hide()));
  close.addEventListener("click", hide);
  panel.addEventListener("keydown", (event) => event.key === "Escape" && hide());
  form.addEventListener("submit", submit);
  prechat.addEventListener("submit", (event) => {
    event.preventDefault();
    const email = emailInput.value.trim();
    if (email && !emailInput.checkValidity()) {
      emailInput.focus();
      return;
    }
    finishPrechat(email);
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
  });
  textarea.addEventListener("input", () => {
    const now = Date.now();
    if (socket && socket.readyState === WebSocket.OPEN && now - lastTypingSent > 2000) {
      lastTypingSent = now;
      socket.send(JSON.stringify({ type: "typing", conversationId }));
    }
  });

  const mount = () => {
    document.body.append(host);
    // A returning visitor hears replies even before reopening the panel.
    if (visitorToken) start().catch(() => {});
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
