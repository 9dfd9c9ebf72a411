// Cards under a customer message for what the crypto shield found in it: addresses,
// transactions, look-alike (phishing) links and hidden secrets. Built with textContent only.

// The shield's own placeholders (KefuShield's SecretPlaceholder), by the kind of secret they stand for.
const PLACEHOLDERS = [
  ["mnemonic", "[已隐藏：助记词 / hidden: recovery phrase]"],
  ["private_key", "[已隐藏：私钥 / hidden: private key]"],
  ["private_key", "[已隐藏：扩展私钥 / hidden: extended private key]"],
];

// Chain lookup results by transaction hash, so a re-rendered timeline keeps them.
const lookups = new Map();

const CHAINS = { evm: "EVM", bitcoin: "Bitcoin", bitcoin_testnet: "Bitcoin testnet", tron: "TRON" };

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = text;
  return element;
}

// Hashes compare without case or a 0x prefix, however the customer and the node wrote them.
const hashKey = (value) => String(value ?? "").toLowerCase().replace(/^0x/, "");

const shorten = (value) => (value && value.length > 18 ? `${value.slice(0, 10)}…${value.slice(-6)}` : value ?? "");

function copyButton(value, t) {
  const button = node("button", "finding-copy", t("finding_copy"));
  button.type = "button";
  button.title = value;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(value);
      button.textContent = t("finding_copied");
      setTimeout(() => (button.textContent = t("finding_copy")), 1500);
    } catch {}
  });
  return button;
}

function addressCard(finding, t) {
  const card = node("div", `finding-card address${finding.valid ? "" : " invalid"}`);
  card.dataset.kind = "address";
  card.append(node("span", "finding-label", `${t("finding_address")} · ${CHAINS[finding.chain] ?? finding.chain ?? ""}`));
  const value = node("code", "finding-value", shorten(finding.value));
  value.title = finding.value ?? "";
  card.append(value, copyButton(finding.value ?? "", t));
  const checksum = finding.valid && finding.checksumValid !== false;
  card.append(node("span", `finding-check ${checksum ? "ok" : "bad"}`, checksum ? t("finding_checksum_valid") : t("finding_checksum_invalid")));
  return card;
}

function transactionCard(finding, t) {
  const card = node("div", "finding-card tx");
  card.dataset.kind = "tx_hash";
  card.dataset.hash = hashKey(finding.value);
  card.append(node("span", "finding-label", `${t("finding_tx")}${finding.chain ? ` · ${CHAINS[finding.chain] ?? finding.chain}` : ""}`));
  const value = node("code", "finding-value", shorten(finding.value));
  value.title = finding.value ?? "";
  card.append(value, copyButton(finding.value ?? "", t));
  card.append(node("span", "finding-status", lookupText(lookups.get(card.dataset.hash), t)));
  return card;
}

function phishingCard(finding, t) {
  const card = node("div", "finding-card phishing");
  card.dataset.kind = "phishing";
  card.append(node("strong", "finding-label", `⚠ ${t("finding_phishing")}`));
  card.append(node("code", "finding-value", finding.host ?? finding.value ?? ""));
  card.append(node("span", "finding-imitates", t("finding_imitates", { domain: finding.imitates ?? "" })));
  return card;
}

function secretBadge(finding, t) {
  const badge = node("span", "finding-card secret", `🔒 ${t("finding_secret_hidden")}: ${t(`finding_secret_${finding.kind}`)}`);
  badge.dataset.kind = finding.kind;
  return badge;
}

/** The cards for one message, or null when the shield found nothing worth showing. */
export function findingCards(message, t) {
  const findings = Array.isArray(message.findings) ? message.findings : [];
  const cards = [];
  const seenSecrets = new Set();
  for (const finding of findings) {
    if (finding.kind === "address") cards.push(addressCard(finding, t));
    else if (finding.kind === "tx_hash") cards.push(transactionCard(finding, t));
    else if (finding.kind === "link" && finding.status === "lookalike") cards.push(phishingCard(finding, t));
    else if ((finding.kind === "mnemonic" || finding.kind === "private_key") && !seenSecrets.has(finding.kind)) {
      seenSecrets.add(finding.kind);
      cards.push(secretBadge(finding, t));
    }
  }
  // Hidden in the visitor's browser before sending: the server saw only the placeholder.
  for (const [kind, placeholder] of PLACEHOLDERS) {
    if (!seenSecrets.has(kind) && String(message.text ?? "").includes(placeholder)) {
      seenSecrets.add(kind);
      cards.push(secretBadge({ kind }, t));
    }
  }
  if (!cards.length) return null;
  const box = node("div", "finding-cards");
  box.append(...cards);
  return box;
}

const RANK = ["not_found", "unknown", "checking", "failed", "pending", "confirmed"];

const T_STATE = (t, state) => {
  const key = `finding_state_${state}`;
  const text = t(key);
  return text === key ? state : text;
};

// Chain lookups: GET /api/v1/conversations/{id}/lookups answers { items: [{ hash, state,
// confirmations }] }; the transaction cards show it, and keep saying "checking…" while the
// desk has no answer yet (or cannot be asked).
function lookupText(item, t) {
  const state = item?.state ?? "checking";
  const parts = [state === "checking" ? t("finding_checking") : T_STATE(t, state)];
  if (Number.isFinite(item?.confirmations) && item.confirmations > 0) parts.push(t("finding_confirmations", { count: item.confirmations }));
  return `${t("finding_status")}: ${parts.join(" · ")}`;
}

export async function applyChainLookups(conversationId, root, api, t) {
  if (!root.querySelector(".finding-card.tx")) return;
  let answer;
  try {
    answer = await api("GET", `/api/v1/conversations/${conversationId}/lookups`);
  } catch {
    return;
  }
  for (const item of answer?.items ?? []) {
    const hash = hashKey(item.hash ?? item.txHash);
    // One hash may be looked up on several chains: the chain that knows it speaks for it.
    if (hash && RANK.indexOf(item.state) >= RANK.indexOf(lookups.get(hash)?.state)) lookups.set(hash, item);
  }
  for (const card of root.querySelectorAll(".finding-card.tx")) {
    if (lookups.has(card.dataset.hash)) card.querySelector(".finding-status").textContent = lookupText(lookups.get(card.dataset.hash), t);
  }
}
