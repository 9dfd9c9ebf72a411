"""Plain words in a real browser: an agent drafting a reply to a Chinese customer that says
矿工费 is offered the term's plain explanation and puts it after the word in one click;
the admin adds a term of their own on the glossary page and the composer knows it at once."""

from __future__ import annotations

import secrets

import requests
from selenium.webdriver.common.by import By

from browser import conversation_by_text, Browsers, login, open_widget, screenshot, wait_for, widget_send
from kefu_server import KefuServer


def test_the_composer_offers_plain_explanations_from_the_glossary(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    headers = {"Authorization": f"Bearer {token}"}
    visitor = browsers.open(language="zh-CN")
    visitor.get(kefu_server.url("/demo"))
    open_widget(visitor)
    marker = secrets.token_hex(3)
    widget_send(visitor, f"转账 {marker} 一直卡着，我要人工")

    def conversation():
        found = conversation_by_text(kefu_server, headers, marker)
        return found["id"] if found else None
    conversation_id = wait_for(visitor, lambda d: conversation(), message="the conversation was not found")

    agent = browsers.open(language="zh-CN")
    login(agent, kefu_server)
    agent.get(kefu_server.url(f"/console?lang=zh-Hans#{conversation_id}"))
    box = wait_for(agent, lambda d: (b := d.find_element(By.ID, "composer-text")).is_displayed() and b, message="the composer did not open")
    box.send_keys("您好，您设置的矿工费太低了，请提高后重试。")
    button = wait_for(agent, lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, "#glossary-hints .term") if b.get_attribute("data-key") == "gas"],
                      message="the composer did not offer the explanation of 矿工费")[0]
    assert "矿工费" in button.text
    button.click()
    value = box.get_attribute("value")
    assert value.startswith("您好，您设置的矿工费（支付给区块链网络"), value
    screenshot(agent, "console-glossary-hint-zh")

    # The admin adds the workspace's own term; the composer knows it at once.
    term = f"质押{secrets.token_hex(2)}"
    page = browsers.open(language="en-US")
    login(page, kefu_server)
    page.get(kefu_server.url("/console/glossary?lang=en"))
    wait_for(page, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Glossary", message="the glossary page did not open")
    assert any("seed phrase" in row.text for row in page.find_elements(By.CSS_SELECTOR, "#glossary-list tr")), "the standard glossary is not there"
    page.find_element(By.ID, "glossary-terms").send_keys(f"staking, {term}")
    page.find_element(By.ID, "glossary-en").send_keys("locking coins to help run a network, for a reward")
    page.find_element(By.ID, "glossary-zh").send_keys("锁定代币帮助网络运行并获得奖励")
    page.find_element(By.ID, "glossary-save").click()
    wait_for(page, lambda d: any(term in row.text for row in d.find_elements(By.CSS_SELECTOR, "#glossary-list tr")), message="the new term is not listed")

    box.clear()
    box.send_keys(f"您也可以选择{term}。")
    wait_for(agent, lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, "#glossary-hints .term") if term in b.text],
             message="the composer does not know the new term")
