// The official-channels settings page: list for every agent, add and delete for admins.
import { api, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key) => T[key] ?? key;
const $ = (id) => document.getElementById(id);
const canEdit = document.body.dataset.canEdit === "true";

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

function shown(channel) {
  return channel.kind === "telegram" ? `@${channel.value}` : channel.value;
}

async function render() {
  const { items } = await api("GET", "/api/v1/official-channels");
  const rows = items.map((channel) => {
    const row = document.createElement("tr");
    row.dataset.id = channel.id;
    row.append(cell(t(`verify_kind_${channel.kind}`)), cell(shown(channel)), cell(channel.label ?? ""));
    const actions = document.createElement("td");
    if (canEdit) {
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "channel-delete";
      remove.textContent = t("channels_delete");
      remove.addEventListener("click", async () => {
        try {
          await api("DELETE", `/api/v1/official-channels/${channel.id}`);
          await render();
        } catch (error) {
          showError(error.message);
        }
      });
      actions.append(remove);
    }
    row.append(actions);
    return row;
  });
  $("channel-list").replaceChildren(...rows);
  $("channel-empty").hidden = rows.length > 0;
}

function showError(text) {
  const error = $("channel-error");
  if (!error) return;
  error.textContent = text;
  error.hidden = !text;
}

$("channel-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  showError("");
  const label = $("channel-label").value.trim();
  try {
    await api("POST", "/api/v1/official-channels", { kind: $("channel-kind").value, value: $("channel-value").value, label: label || undefined });
    $("channel-value").value = "";
    $("channel-label").value = "";
    await render();
  } catch (error) {
    showError(error.message);
  }
});

render().catch((error) => showError(error.message));
