// The knowledge-base editor: list, edit, preview (rendered by the server, so it matches the
// help center), publish and revision history. Same session cookie and CSRF header as the console.

import { api, el, pageStrings } from "./console-api.js";

const strings = pageStrings();
const t = (key) => strings[key] ?? key;
const $ = (id) => document.getElementById(id);

const state = { articles: [], categories: [], current: null, previewTimer: null, listTimer: null };

const localeName = (locale) => (locale === "zh-Hans" ? t("kb_locale_zh") : t("kb_locale_en"));
const statusName = (status) => (status === "published" ? t("kb_status_published") : t("kb_status_draft"));
const timeFormat = new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: "short", timeStyle: "short" });

function say(message, isError = false) {
  const status = $("kb-status");
  status.textContent = message;
  status.classList.toggle("error", isError);
}

// ---- list -------------------------------------------------------------------

async function loadList() {
  const params = new URLSearchParams({ limit: "100" });
  if ($("kb-filter-locale").value) params.set("locale", $("kb-filter-locale").value);
  if ($("kb-filter-status").value) params.set("status", $("kb-filter-status").value);
  if ($("kb-filter-q").value.trim()) params.set("q", $("kb-filter-q").value.trim());
  const page = await api("GET", `/api/v1/articles?${params}`);
  state.articles = page.items;
  renderList();
}

function renderList() {
  const list = $("kb-list");
  list.replaceChildren(
    ...state.articles.map((article) =>
      el("li", {},
        el("button", {
          type: "button", "data-id": article.id, "aria-current": state.current?.id === article.id ? "true" : "false",
          onclick: () => open(article.id),
        }, article.title, el("span", { className: "kb-meta", text: `${localeName(article.locale)} · ${statusName(article.status)}` })),
      ),
    ),
  );
  $("kb-empty").hidden = state.articles.length > 0;
}

// ---- form -------------------------------------------------------------------

async function loadCategories() {
  state.categories = (await api("GET", "/api/v1/categories")).items;
}

function fillCategories(locale, selected) {
  const options = [el("option", { value: "", text: t("kb_no_category") })];
  for (const category of state.categories.filter((c) => c.locale === locale)) {
    options.push(el("option", { value: category.id, text: category.name, selected: category.id === selected }));
  }
  $("kb-category").replaceChildren(...options);
}

async function fillTranslations(article) {
  const select = $("kb-translation");
  if (article?.id) {
    // A saved article's group is fixed: show its translations, read-only.
    const others = (await api("GET", `/api/v1/articles/${article.id}/translations`)).items;
    select.replaceChildren(
      el("option", { value: "", text: others.length ? others.map((a) => `${localeName(a.locale)}: ${a.title}`).join(", ") : t("kb_not_translation") }),
    );
    select.disabled = true;
    return;
  }
  select.disabled = false;
  const locale = $("kb-locale").value;
  const page = await api("GET", "/api/v1/articles?limit=100");
  const candidates = page.items.filter((a) => a.locale !== locale);
  select.replaceChildren(
    el("option", { value: "", text: t("kb_not_translation") }),
    ...candidates.map((a) => el("option", { value: a.id, text: `${localeName(a.locale)}: ${a.title}` })),
  );
}

function showForm(article) {
  state.current = article;
  $("kb-placeholder").hidden = true;
  $("kb-form").hidden = false;
  $("kb-title").value = article?.title ?? "";
  $("kb-slug").value = article?.slug ?? "";
  $("kb-locale").value = article?.locale ?? (document.documentElement.lang === "zh-Hans" ? "zh-Hans" : "en");
  $("kb-body").value = article?.bodyMarkdown ?? "";
  $("kb-questions").value = (article?.questions ?? []).join("\n");
  fillCategories($("kb-locale").value, article?.categoryId);
  showStatus(article);
  fillTranslations(article).catch((error) => say(error.message, true));
  renderRevisions(article).catch((error) => say(error.message, true));
  schedulePreview(0);
  renderList();
}

function showStatus(article) {
  const published = article?.status === "published";
  $("kb-state").textContent = article ? statusName(article.status) : statusName("draft");
  $("kb-state").classList.toggle("published", published);
  $("kb-unpublish").hidden = !published;
  $("kb-view-public").hidden = !published;
  if (article) $("kb-view-public").href = article.url;
}

async function renderRevisions(article) {
  const list = $("kb-revisions");
  if (!article?.id) {
    list.replaceChildren();
    return;
  }
  const page = await api("GET", `/api/v1/articles/${article.id}/revisions?limit=50`);
  list.replaceChildren(
    ...page.items.map((revision) =>
      el("li", {}, `${timeFormat.format(new Date(revision.createdAt))} — ${revision.title}`),
    ),
  );
}

async function open(id) {
  say("");
  showForm(await api("GET", `/api/v1/articles/${id}`));
}

function formBody() {
  const body = {
    title: $("kb-title").value,
    bodyMarkdown: $("kb-body").value,
    locale: $("kb-locale").value,
    categoryId: $("kb-category").value || null,
    questions: $("kb-questions").value.split("\n").map((q) => q.trim()).filter(Boolean),
  };
  if ($("kb-slug").value.trim()) body.slug = $("kb-slug").value.trim();
  if (!state.current?.id && $("kb-translation").value) body.translationOfId = $("kb-translation").value;
  return body;
}

async function save() {
  const body = formBody();
  const article = state.current?.id
    ? await api("PATCH", `/api/v1/articles/${state.current.id}`, body)
    : await api("POST", "/api/v1/articles", body);
  state.current = article;
  return article;
}

async function run(action, done) {
  try {
    const article = await action();
    showForm(article);
    say(done);
    await loadList();
  } catch (error) {
    say(`${t("kb_error")}: ${error.message}`, true);
  }
}

// ---- preview ----------------------------------------------------------------

function schedulePreview(delay = 300) {
  clearTimeout(state.previewTimer);
  state.previewTimer = setTimeout(async () => {
    try {
      const preview = await api("POST", "/api/v1/articles/preview", { bodyMarkdown: $("kb-body").value });
      // The server's renderer escapes everything it does not produce itself.
      $("kb-preview").innerHTML = preview.html;
    } catch (error) {
      say(error.message, true);
    }
  }, delay);
}

// ---- wiring -----------------------------------------------------------------

$("kb-new").addEventListener("click", () => {
  say("");
  showForm(null);
  $("kb-title").focus();
});
$("kb-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run(save, t("kb_saved"));
});
$("kb-publish").addEventListener("click", () =>
  run(async () => {
    const article = await save();
    return api("POST", `/api/v1/articles/${article.id}/publish`);
  }, t("kb_published")),
);
$("kb-unpublish").addEventListener("click", () =>
  run(() => api("POST", `/api/v1/articles/${state.current.id}/unpublish`), t("kb_unpublished")),
);
$("kb-body").addEventListener("input", () => schedulePreview());
$("kb-locale").addEventListener("change", () => {
  fillCategories($("kb-locale").value, null);
  if (!state.current?.id) fillTranslations(null).catch((error) => say(error.message, true));
});
for (const id of ["kb-filter-locale", "kb-filter-status"]) $(id).addEventListener("change", () => loadList().catch((e) => say(e.message, true)));
$("kb-filter-q").addEventListener("input", () => {
  clearTimeout(state.listTimer);
  state.listTimer = setTimeout(() => loadList().catch((e) => say(e.message, true)), 250);
});

await loadCategories().catch((error) => say(error.message, true));
await loadList().catch((error) => say(error.message, true));
