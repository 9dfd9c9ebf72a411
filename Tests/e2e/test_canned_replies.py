"""Canned replies in a real browser: an admin writes one in English and Chinese on the
settings page (the reply guard refuses one that asks for a recovery phrase), an agent types
/ in the composer of a Chinese customer's conversation, picks it with the keyboard and
sends the Chinese body with the customer's number filled in; the page counts the use."""

from __future__ import annotations

import secrets

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from browser import conversation_by_text, Browsers, login, open_widget, screenshot, wait_for, widget_root, widget_send
from kefu_server import KefuServer


def test_a_canned_reply_written_once_and_sent_in_the_customers_language(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    headers = {"Authorization": f"Bearer {token}"}
    shortcut = f"refund{secrets.token_hex(2)}"

    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    admin.get(kefu_server.url("/console/canned?lang=zh-Hans"))
    wait_for(admin, lambda d: d.find_element(By.TAG_NAME, "h1").text == "快捷回复", message="the canned replies page did not open")
    assert "{{contact.name}}" in admin.find_element(By.ID, "canned-variables").text

    # The guard reads it on saving: asking for a recovery phrase is refused, in both languages.
    admin.find_element(By.ID, "canned-shortcut").send_keys(shortcut)
    admin.find_element(By.ID, "canned-name").send_keys("退款进度")
    Select(admin.find_element(By.ID, "canned-scope")).select_by_value("workspace")
    admin.find_element(By.ID, "canned-zh").send_keys("请提供您的助记词以便核实")
    admin.find_element(By.ID, "canned-save").click()
    error = wait_for(admin, lambda d: (e := d.find_element(By.ID, "canned-error")).is_displayed() and e, message="the guard did not refuse it")
    assert "助记词" in error.text
    zh = admin.find_element(By.ID, "canned-zh")
    zh.clear()
    zh.send_keys("{{contact.name}}您好，会话 #{{conversation.number}} 的退款已在处理中，预计 1-3 个工作日到账。")
    admin.find_element(By.ID, "canned-en").send_keys("Hi {{contact.name}}, the refund for #{{conversation.number}} is on its way.")
    admin.find_element(By.ID, "canned-save").click()
    row = wait_for(admin, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#canned-list tr") if r.get_attribute("data-shortcut") == shortcut],
                   message="the canned reply is not listed")[0]
    assert "所有人" in row.text and row.find_element(By.CSS_SELECTOR, ".uses").text == "0"
    screenshot(admin, "console-canned-zh")

    # A Chinese customer writes; the agent answers with /.
    visitor = browsers.open(language="zh-CN")
    visitor.get(kefu_server.url("/demo"))
    open_widget(visitor)
    marker = secrets.token_hex(3)
    widget_send(visitor, f"请问退款 {marker} 什么时候到账？我要人工")

    found = wait_for(visitor, lambda d: conversation_by_text(kefu_server, headers, marker), message="the conversation was not found")
    admin.get(kefu_server.url(f"/console?lang=zh-Hans#{found['id']}"))
    box = wait_for(admin, lambda d: (b := d.find_element(By.ID, "composer-text")).is_displayed() and b, message="the composer did not open")
    box.send_keys("/" + shortcut[:6])
    menu = wait_for(admin, lambda d: (m := d.find_element(By.ID, "canned-menu")).is_displayed() and m, message="the / menu did not open")
    assert any(item.get_attribute("data-shortcut") == shortcut for item in menu.find_elements(By.TAG_NAME, "li")), menu.text
    # Others made by earlier runs may match too: move to ours with the arrow keys.
    items = [item.get_attribute("data-shortcut") for item in menu.find_elements(By.TAG_NAME, "li")]
    for _ in range(items.index(shortcut)):
        box.send_keys(Keys.ARROW_DOWN)
    screenshot(admin, "console-canned-menu-zh")
    box.send_keys(Keys.ENTER)
    number = found["number"]
    wait_for(admin, lambda d: f"会话 #{number} 的退款已在处理中" in d.find_element(By.ID, "composer-text").get_attribute("value"),
             message="the canned reply was not put in the draft")
    assert "{{" not in box.get_attribute("value")
    admin.find_element(By.ID, "send").click()
    wait_for(visitor, lambda d: any(f"#{number} 的退款已在处理中" in li.text for li in widget_root(d).find_elements(By.CSS_SELECTOR, "li")),
             message="the customer did not receive the reply")

    events = requests.get(kefu_server.url(f"/api/v1/conversations/{found['id']}/events?limit=100"), headers=headers, timeout=10).json()["items"]
    assert any(e["kind"] == "canned_reply_used" and e["data"]["shortcut"] == shortcut for e in events)
    admin.get(kefu_server.url("/console/canned?lang=en"))
    row = wait_for(admin, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#canned-list tr") if r.get_attribute("data-shortcut") == shortcut],
                   message="the canned reply is not listed in English")[0]
    assert row.find_element(By.CSS_SELECTOR, ".uses").text == "1"
    assert "Everyone" in row.text
