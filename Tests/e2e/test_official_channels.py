"""Official channels in a real browser: the public verify page in both languages, the
console's cards for what the shield found, and the widget hiding a recovery phrase
before it ever leaves the visitor's browser."""

from __future__ import annotations

import secrets
from urllib.parse import quote

import pytest
import requests
from mnemonic import Mnemonic
from selenium.webdriver.common.by import By

from browser import Browsers, login, open_widget, screenshot, wait_for, widget_root
from kefu_server import KefuServer

OFFICIAL = "lotuswallet.com"
LOOKALIKE = "lotuswallet-support.com"
PHRASE_PLACEHOLDER = "[已隐藏：助记词 / hidden: recovery phrase]"
ADDRESS = "0x52908400098527886E0F7030069857D2E4169EE7"


def api(server: KefuServer, token: str, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, server.url(path), headers={"Authorization": f"Bearer {token}"}, timeout=10, **kwargs)


@pytest.fixture(scope="module")
def slug(kefu_server: KefuServer, admin_token: str) -> str:
    """The demo workspace, with its official site and Telegram account listed."""
    for kind, value, label in (("domain", OFFICIAL, "Main site"), ("telegram", "@lotus_support", "Telegram")):
        response = api(kefu_server, admin_token, "POST", "/api/v1/official-channels", json={"kind": kind, "value": value, "label": label})
        assert response.status_code in (201, 409), response.text
    me = api(kefu_server, admin_token, "GET", "/api/v1/auth/me").json()
    return (me.get("workspace") or {}).get("slug") or "demo-wallet"


def check(driver, server: KefuServer, slug: str, value: str, lang: str | None = None) -> str:
    query = f"?value={quote(value)}" + (f"&lang={lang}" if lang else "")
    driver.get(server.url(f"/help/{slug}/verify{query}"))
    verdict = wait_for(driver, lambda d: d.find_elements(By.ID, "verdict"), message="no verdict on the verify page")[0]
    return verdict.get_attribute("class")


def test_verify_page_in_english_and_chinese(kefu_server: KefuServer, browsers: Browsers, slug: str) -> None:
    english = browsers.open(language="en-US")
    english.get(kefu_server.url(f"/help/{slug}/verify"))
    assert english.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "@lotus_support" in english.find_element(By.ID, "official-channels").text
    box = english.find_element(By.ID, "value")
    box.send_keys(f"https://{LOOKALIKE}/connect-wallet")
    english.find_element(By.ID, "check").click()
    verdict = wait_for(english, lambda d: d.find_elements(By.ID, "verdict"), message="submitting the form showed no verdict")[0]
    assert "not-official" in verdict.get_attribute("class")
    assert english.find_element(By.ID, "verdict-title").text.endswith("NOT official")
    assert f"imitates {OFFICIAL}" in english.find_element(By.ID, "verdict-explanation").text
    assert verdict.value_of_css_property("background-color") == "rgba(198, 40, 40, 1)"
    screenshot(english, "verify-lookalike-en")
    assert "official" in check(english, kefu_server, slug, f"https://{OFFICIAL}/download").split()
    assert english.find_element(By.ID, "verdict-title").text.endswith("Official")
    assert english.find_element(By.ID, "verdict").value_of_css_property("background-color") == "rgba(23, 128, 61, 1)"
    screenshot(english, "verify-official-en")

    chinese = browsers.open(language="zh-CN")
    assert "not-official" in check(chinese, kefu_server, slug, "@lotus_supp0rt")
    assert chinese.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    assert chinese.find_element(By.ID, "verdict-title").text.endswith("非官方")
    assert "冒充" in chinese.find_element(By.ID, "verdict-explanation").text
    screenshot(chinese, "verify-lookalike-zh")
    assert "official" in check(chinese, kefu_server, slug, "@Lotus_Support").split()
    assert chinese.find_element(By.ID, "verdict-title").text.endswith("官方渠道")
    screenshot(chinese, "verify-official-zh")


def test_console_shows_address_and_phishing_cards(kefu_server: KefuServer, browsers: Browsers, slug: str) -> None:  # noqa: ARG001
    token = kefu_server.demo_inbox_token()
    session = requests.post(kefu_server.url("/widget/v1/sessions"), json={"inboxToken": token, "locale": "en"}, timeout=10).json()
    marker = secrets.token_hex(3)
    text = f"Support at https://{LOOKALIKE}/claim asked me to send to {ADDRESS} {marker}"
    sent = requests.post(kefu_server.url("/widget/v1/messages"), json={"text": text},
                         headers={"Authorization": f"Bearer {session['visitorToken']}"}, timeout=10)
    assert sent.status_code == 201
    assert "findings" not in sent.json()

    agent = browsers.open()
    login(agent, kefu_server)
    # Searched for, as the conversation may have left the default view, and found by id:
    # the list previews the latest message, which is the warning sent after it.
    agent.find_element(By.ID, "search").send_keys(marker)
    conversation = sent.json()["conversationId"]
    wait_for(agent, lambda d: d.find_elements(By.CSS_SELECTOR, f'.conversation-item[data-id="{conversation}"]'),
             message="the conversation is not in the console's list")[0].click()
    address = wait_for(agent, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .finding-card.address"), message="no address card")[0]
    assert "checksum valid" in address.text
    assert "0x52908400" in address.text
    phishing = agent.find_element(By.CSS_SELECTOR, "#timeline .finding-card.phishing")
    assert f"imitates {OFFICIAL}" in phishing.text
    assert LOOKALIKE in phishing.text
    # The customer was warned at once, in the conversation itself.
    wait_for(agent, lambda d: any("NOT our official site" in p.text for p in d.find_elements(By.CSS_SELECTOR, "#timeline .message.from-system .text")),
             message="the customer's warning is not in the timeline")
    agent.execute_script("arguments[0].scrollIntoView({block: 'center'})", address)
    screenshot(agent, "console-finding-cards")


# Records every body the page sends (fetch, XHR, WebSocket), installed before any page script runs.
RECORDER = """
window.__sent = [];
const originalFetch = window.fetch;
window.fetch = function (input, init) {
  window.__sent.push(String((init && init.body) || ""));
  return originalFetch.apply(this, arguments);
};
const originalXHR = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (body) { window.__sent.push(String(body || "")); return originalXHR.apply(this, arguments); };
const originalSocket = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) { window.__sent.push(String(data)); return originalSocket.apply(this, arguments); };
"""


def test_widget_hides_a_recovery_phrase_before_sending(kefu_server: KefuServer, browsers: Browsers, admin_token: str) -> None:
    phrase = Mnemonic("english").generate(strength=128)
    words = phrase.split()
    assert len(words) == 12
    visitor = browsers.open()
    visitor.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    visitor.get(kefu_server.url("/demo"))
    root = open_widget(visitor)
    marker = secrets.token_hex(3)
    numbered = " ".join(f"{index}. {word}" for index, word in enumerate(words, start=1))
    box = root.find_element(By.CSS_SELECTOR, "form:not(.prechat) textarea")
    visitor.execute_script("arguments[0].value = arguments[1]", box, f"my wallet is empty {marker}, my words are {numbered}")
    root.find_element(By.CSS_SELECTOR, "button.send").click()
    wait_for(visitor, lambda d: any(PHRASE_PLACEHOLDER in li.text for li in widget_root(d).find_elements(By.CSS_SELECTOR, "li.me")),
             message="the widget did not show the redacted message")
    notice = widget_root(visitor).find_element(By.CSS_SELECTOR, ".redacted")
    assert notice.is_displayed()
    assert "recovery phrase" in notice.text
    screenshot(visitor, "widget-redacted-phrase")

    sent = visitor.execute_script("return window.__sent")
    message_bodies = [body for body in sent if marker in body]
    assert message_bodies, f"the message was not sent through fetch: {sent}"
    assert all(PHRASE_PLACEHOLDER in body for body in message_bodies)
    # Not the phrase, nor any run of its words, left the browser by any request the page made.
    for body in sent:
        assert " ".join(words[:3]) not in body and f"1. {words[0]} 2. {words[1]}" not in body
    # Nor through the browser's own network log (the request bodies as posted).
    entries = visitor.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert not any(words[0] in name and words[1] in name for name in entries)

    conversations = api(kefu_server, admin_token, "GET", "/api/v1/conversations?limit=100").json()["items"]
    stored = []
    for conversation in conversations:
        items = api(kefu_server, admin_token, "GET", f"/api/v1/conversations/{conversation['id']}/messages").json()["items"]
        stored += [item["text"] for item in items if marker in item["text"]]
    assert len(stored) == 1
    assert PHRASE_PLACEHOLDER in stored[0]
    assert not any(f"{index}. {word}" in stored[0] for index, word in enumerate(words, start=1))

    # The agent sees the placeholder with a "secret hidden" badge, and never the phrase.
    agent = browsers.open()
    login(agent, kefu_server)
    agent.find_element(By.ID, "search").send_keys(marker)
    wait_for(agent, lambda d: d.find_elements(By.CSS_SELECTOR, ".conversation-item"), message="the conversation is not in the list")[0].click()
    badge = wait_for(agent, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .finding-card.secret"), message="no secret-hidden badge")[0]
    assert "Secret hidden" in badge.text and "recovery phrase" in badge.text
    assert words[0] + " " + words[1] not in agent.find_element(By.ID, "timeline").text


def test_admin_manages_channels_in_the_console(kefu_server: KefuServer, browsers: Browsers, slug: str) -> None:  # noqa: ARG001
    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    admin.find_element(By.ID, "channels-link").click()
    wait_for(admin, lambda d: OFFICIAL in d.find_element(By.ID, "channel-list").text, message="the list did not load")
    assert admin.find_element(By.TAG_NAME, "h1").text == "官方渠道"
    admin.find_element(By.ID, "channel-kind").send_keys("邮箱")
    admin.find_element(By.ID, "channel-value").send_keys("not an email")
    admin.find_element(By.ID, "channel-add").click()
    error = wait_for(admin, lambda d: d.find_element(By.ID, "channel-error") if d.find_element(By.ID, "channel-error").is_displayed() else False,
                     message="a bad address showed no error")
    assert "email" in error.text
    value = admin.find_element(By.ID, "channel-value")
    value.clear()
    value.send_keys("Help@LotusWallet.com")
    admin.find_element(By.ID, "channel-add").click()
    wait_for(admin, lambda d: "help@lotuswallet.com" in d.find_element(By.ID, "channel-list").text, message="the new address is not listed")
    screenshot(admin, "console-official-channels-zh")
    row = [r for r in admin.find_elements(By.CSS_SELECTOR, "#channel-list tr") if "help@lotuswallet.com" in r.text][0]
    row.find_element(By.CSS_SELECTOR, ".channel-delete").click()
    wait_for(admin, lambda d: "help@lotuswallet.com" not in d.find_element(By.ID, "channel-list").text, message="the address was not deleted")
