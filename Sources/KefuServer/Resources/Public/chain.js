// Blockchain nodes (owners and admins): the JSON-RPC endpoint the desk asks, per chain,
// when a customer pastes a transaction hash. A password in the URL is never shown back.
import { api, pageStrings } from "./console-api.js";

const T = pageStrings();
const t = (key, values = {}) => (T[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
const $ = (id) => document.getElementById(id);

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

async function act(action) {
  message("chain-error", "");
  message("chain-status", "");
  try {
    await action();
  } catch (error) {
    message("chain-error", error.message);
  }
}

function show(section, endpoint) {
  const current = section.querySelector(".chain-current");
  current.textContent = endpoint ? t("chain_current", { name: endpoint.name, url: endpoint.rpcUrl }) : "";
  current.hidden = !endpoint;
  section.querySelector(".chain-remove").hidden = !endpoint;
  section.querySelector(".chain-name").value = endpoint?.name ?? "";
  // The stored URL may hold a password; it is typed again to change it, never prefilled masked.
  section.querySelector(".chain-url").value = "";
  section.querySelector(".chain-url").placeholder = endpoint ? t("chain_url_again") : "https://";
}

async function render() {
  const { items } = await api("GET", "/api/v1/chain-endpoints");
  for (const section of document.querySelectorAll(".chain-endpoint")) {
    show(section, items.find((endpoint) => endpoint.chain === section.dataset.chain));
  }
}

for (const section of document.querySelectorAll(".chain-endpoint")) {
  const chain = section.dataset.chain;
  section.querySelector(".chain-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(async () => {
      const saved = await api("PUT", `/api/v1/chain-endpoints/${chain}`, {
        name: section.querySelector(".chain-name").value.trim(), rpcUrl: section.querySelector(".chain-url").value.trim(),
      });
      show(section, saved);
      message("chain-status", t("routing_saved", { name: saved.name }));
    });
  });
  section.querySelector(".chain-remove").addEventListener("click", () => act(async () => {
    await api("DELETE", `/api/v1/chain-endpoints/${chain}`);
    show(section, null);
    message("chain-status", t("chain_removed"));
  }));
}

if (document.body.dataset.canEdit === "true") render().catch((error) => message("chain-error", error.message));
