"""The console, the chat widget and the demo site in a real browser (headless
Chromium): the demo flow a newcomer follows, escaping of hostile text, both
languages, and two agents noticing each other."""

from __future__ import annotations

import secrets
import time

import requests
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser import Browsers, elapsed_since, login, open_widget, screenshot, wait_for, wait_list_item, widget_root, widget_send
from kefu_server import KefuServer

HOSTILE = '<img src=x onerror="window.__kefuXss=1">\n<script>window.__kefuXss=2</script>'


def widget_replies(driver) -> list[str]:
    return [li.find_element(By.CSS_SELECTOR, ".text").text for li in widget_root(driver).find_elements(By.CSS_SELECTOR, "li.them")]


def test_demo_visitor_and_agent_talk_in_realtime(kefu_server: KefuServer, browsers: Browsers) -> None:
    agent = browsers.open()
    login(agent, kefu_server)
    agent.execute_script("window.__stillSamePage = true")

    visitor = browsers.open()
    visitor.get(kefu_server.url("/demo"))
    screenshot(visitor, "demo-page")
    open_widget(visitor)
    # Asking for a person: the answer bot hands over at once instead of answering from the help center.
    question = f"I need a human agent, my USDT withdrawal is stuck {secrets.token_hex(3)}"
    widget_send(visitor, question)
    sent = time.monotonic()
    screenshot(visitor, "widget-sent")

    item = wait_list_item(agent, question, timeout=5)
    seen_after = elapsed_since(sent)
    assert seen_after < 2.0, f"the console showed the new message after {seen_after:.2f} s"
    assert agent.execute_script("return window.__stillSamePage === true"), "the console reloaded"
    assert "unread" in item.get_attribute("class")

    # Search by message text and by number, then clear it again.
    search = agent.find_element(By.ID, "search")
    agent.find_element(By.TAG_NAME, "body").send_keys("/")
    assert agent.switch_to.active_element == search
    search.send_keys(question.split()[-1])
    wait_for(agent, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".conversation-item")) == 1)
    # Cleared as a person does, so the page hears it (Selenium's clear() fires no input event).
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys(Keys.DELETE)
    # The list is drawn again whenever a conversation in it changes (the bot's hand-over, its
    # clocks): an item found a moment ago may have been replaced, so it is found again.
    def open_item(d):
        try:
            wait_list_item(d, question).click()
            return True
        except StaleElementReferenceException:
            return False
    wait_for(agent, open_item, message="the conversation could not be opened from the list")
    wait_for(agent, lambda d: any(question in el.text for el in d.find_elements(By.CSS_SELECTOR, "#timeline .message .text")))

    # Typing both ways.
    box = widget_root(visitor).find_element(By.CSS_SELECTOR, "form:not(.prechat) textarea")
    box.send_keys("one more thing")
    wait_for(agent, lambda d: d.find_element(By.ID, "typing").text.strip() != "", message="the console never showed the customer typing")
    box.clear()
    composer = agent.find_element(By.ID, "composer-text")
    composer.send_keys("Let me check that for you")
    wait_for(visitor, lambda d: widget_root(d).find_element(By.CSS_SELECTOR, ".typing").text.strip() != "",
             message="the widget never showed the agent typing")

    reply = f"Found it, the withdrawal is confirmed {secrets.token_hex(3)}"
    composer.clear()
    composer.send_keys(reply)
    composer.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(visitor, lambda d: reply in widget_replies(d), timeout=5, message="the visitor never saw the reply")
    screenshot(agent, "console-conversation")
    screenshot(visitor, "widget-reply")

    # The conversation survives a reload of the customer's page.
    visitor.refresh()
    open_widget(visitor)
    wait_for(visitor, lambda d: reply in widget_replies(d), message="the conversation was lost on reload")

    agent.set_window_size(390, 844)
    screenshot(agent, "console-phone")


def test_html_in_messages_is_shown_as_text_on_both_sides(kefu_server: KefuServer, browsers: Browsers) -> None:
    agent = browsers.open()
    login(agent, kefu_server)
    visitor = browsers.open()
    visitor.get(kefu_server.url("/demo"))
    open_widget(visitor)
    widget_send(visitor, HOSTILE)
    # The list shows the message's first line, as text.
    wait_list_item(agent, 'onerror="window.__kefuXss=1"').click()
    shown = wait_for(agent, lambda d: [el for el in d.find_elements(By.CSS_SELECTOR, "#timeline .message .text") if "onerror" in el.text])
    assert shown[0].text == HOSTILE
    assert not agent.find_elements(By.CSS_SELECTOR, "#timeline img, #timeline script")

    composer = agent.find_element(By.ID, "composer-text")
    agent.execute_script("arguments[0].value = arguments[1]", composer, "Echo: " + HOSTILE)
    agent.find_element(By.ID, "send").click()
    wait_for(visitor, lambda d: any("Echo:" in text for text in widget_replies(d)), message="the visitor never saw the reply")
    assert "Echo: " + HOSTILE in widget_replies(visitor)
    assert not widget_root(visitor).find_elements(By.CSS_SELECTOR, "ol img, ol script")
    screenshot(agent, "console-hostile-text")
    screenshot(visitor, "widget-hostile-text")

    for driver in (agent, visitor):
        assert driver.execute_script("return window.__kefuXss === undefined"), "markup from a message ran"


def start_conversation(server: KefuServer, text: str) -> None:
    inbox = server.demo_inbox_token()
    session = requests.post(server.url("/widget/v1/sessions"), json={"inboxToken": inbox}, timeout=10).json()
    sent = requests.post(server.url("/widget/v1/messages"), json={"text": text}, timeout=10,
                         headers={"Authorization": f"Bearer {session['visitorToken']}"})
    assert sent.status_code == 201, sent.text


def test_console_speaks_chinese_and_switches_language(kefu_server: KefuServer, browsers: Browsers) -> None:
    start_conversation(kefu_server, "我的USDT提现还没到账")
    agent = browsers.open(language="zh-CN")
    agent.get(kefu_server.url("/console"))
    assert agent.find_element(By.TAG_NAME, "h1").text == "登录 Kefu 客服"
    login(agent, kefu_server)
    assert agent.find_element(By.ID, "logout").text == "退出登录"
    labels = [view.text for view in agent.find_elements(By.CSS_SELECTOR, "#views .view")]
    assert any(label.startswith("我的") for label in labels)
    assert any(label.startswith("未分配") for label in labels)
    assert agent.find_element(By.ID, "search").get_attribute("aria-label") == "搜索会话"
    screenshot(agent, "console-zh-Hans")

    agent.find_element(By.ID, "lang-switch").click()
    wait_for(agent, lambda d: d.find_element(By.ID, "logout").text == "Sign out", message="switching to English did not work")
    assert agent.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    # The choice is remembered over the browser's Accept-Language.
    agent.get(kefu_server.url("/console"))
    wait_for(agent, lambda d: d.find_element(By.ID, "logout").text == "Sign out")
    agent.find_element(By.ID, "lang-switch").click()
    wait_for(agent, lambda d: d.find_element(By.ID, "logout").text == "退出登录", message="switching back to Chinese did not work")

    # j and k move between conversations once there are some.
    agent.find_element(By.TAG_NAME, "body").send_keys("j")
    wait_for(agent, lambda d: d.find_element(By.ID, "conversation").is_displayed(), message="j did not open a conversation")

    agent.find_element(By.ID, "logout").click()
    wait_for(agent, lambda d: d.find_elements(By.ID, "login-form"), message="signing out did not return to the sign-in page")
    assert agent.find_element(By.TAG_NAME, "h1").text == "登录 Kefu 客服"

    visitor = browsers.open(language="zh-CN")
    visitor.get(kefu_server.url("/demo"))
    root = open_widget(visitor)
    assert root.find_element(By.CSS_SELECTOR, "button.send").text == "发送"
    wait_for(visitor, lambda d: widget_root(d).find_element(By.CSS_SELECTOR, ".notice").text != "")
    screenshot(visitor, "demo-widget-zh-Hans")


def test_two_agents_on_one_conversation_see_each_other(kefu_server: KefuServer, admin_token: str, browsers: Browsers) -> None:
    headers = {"Authorization": f"Bearer {admin_token}"}
    second_email = f"li.wei.{secrets.token_hex(3)}@example.com"
    second_password = "Second-agent-" + secrets.token_hex(8)
    created = requests.post(kefu_server.url("/api/v1/agents"), headers=headers, timeout=10,
                            json={"email": second_email, "name": "Li Wei", "password": second_password})
    assert created.status_code == 201, created.text
    owner_name = requests.get(kefu_server.url("/api/v1/auth/me"), headers=headers, timeout=10).json()["name"]

    inbox = kefu_server.demo_inbox_token()
    session = requests.post(kefu_server.url("/widget/v1/sessions"), json={"inboxToken": inbox}, timeout=10).json()
    text = f"Which network should I use? {secrets.token_hex(3)}"

    first = browsers.open()
    login(first, kefu_server)
    second = browsers.open()
    login(second, kefu_server, second_email, second_password)
    message = requests.post(kefu_server.url("/widget/v1/messages"), json={"text": text}, timeout=10,
                            headers={"Authorization": f"Bearer {session['visitorToken']}"})
    assert message.status_code == 201, message.text
    wait_list_item(first, text).click()
    wait_list_item(second, text).click()

    def warned_about(name: str):
        return lambda d: d.find_element(By.ID, "collision").is_displayed() and name in d.find_element(By.ID, "collision").text

    wait_for(first, warned_about("Li Wei"), timeout=5, message="the first agent never saw the second")
    wait_for(second, warned_about(owner_name), timeout=5, message="the second agent never saw the first")

    second.find_element(By.ID, "composer-text").send_keys("I'll take this one")
    wait_for(first, lambda d: "Li Wei" in d.find_element(By.ID, "collision").text and d.find_element(By.ID, "collision").text != "",
             timeout=5)
    typing_line = first.find_element(By.ID, "collision").text
    assert "Li Wei" in typing_line
    screenshot(first, "console-two-agents")

    # Leaving the conversation clears the warning for the other agent.
    second.get(kefu_server.url("/console"))
    second.quit()
    browsers.drivers.remove(second)
    wait_for(first, lambda d: not d.find_element(By.ID, "collision").is_displayed(), timeout=5,
             message="the warning stayed after the second agent left")


def test_widget_tells_when_nobody_is_online(kefu_server: KefuServer, admin_token: str) -> None:
    inbox = kefu_server.demo_inbox_token()
    headers = {"Authorization": f"Bearer {admin_token}"}
    agents = requests.get(kefu_server.url("/api/v1/agents"), headers=headers, timeout=10).json()["items"]
    me = requests.get(kefu_server.url("/api/v1/auth/me"), headers=headers, timeout=10).json()
    for agent in agents:
        requests.patch(kefu_server.url(f"/api/v1/agents/{agent['id']}"), headers=headers, json={"availability": "offline"}, timeout=10)
    status = requests.get(kefu_server.url("/widget/v1/status"), params={"inboxToken": inbox}, timeout=10)
    assert status.status_code == 200
    assert status.json()["agentsOnline"] is False
    assert status.headers.get("access-control-allow-origin") == "*"
    requests.patch(kefu_server.url(f"/api/v1/agents/{me['id']}"), headers=headers, json={"availability": "online"}, timeout=10)
    assert requests.get(kefu_server.url("/widget/v1/status"), params={"inboxToken": inbox}, timeout=10).json()["agentsOnline"] is True
    missing = requests.get(kefu_server.url("/widget/v1/status"), params={"inboxToken": "kwi_nope"}, timeout=10)
    assert missing.status_code == 404
