"""The answer bot on the running desk: the demo workspace's help center answers common
questions in English and Chinese, links to the article, settles on "yes" and hands over
on "no" — through the widget API and in the widget in a real browser."""

from __future__ import annotations

import time

import requests
from selenium.webdriver.common.by import By

from browser import Browsers, login, open_widget, screenshot, wait_for, widget_root, widget_send
from kefu_server import KefuServer


def visitor(server: KefuServer, locale: str) -> str:
    response = requests.post(server.url("/widget/v1/sessions"), json={"inboxToken": server.demo_inbox_token(), "locale": locale}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["visitorToken"]


def say(server: KefuServer, token: str, text: str) -> str:
    response = requests.post(server.url("/widget/v1/messages"), json={"text": text},
                             headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["conversationId"]


def bot_messages(server: KefuServer, token: str) -> list[str]:
    history = requests.get(server.url("/widget/v1/messages"), headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    return [m["text"] for m in history["items"] if m["authorKind"] == "bot"]


def wait_bot(server: KefuServer, token: str, count: int) -> list[str]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        messages = bot_messages(server, token)
        if len(messages) >= count:
            return messages
        time.sleep(0.1)
    raise AssertionError(f"the bot said {bot_messages(server, token)!r}, expected {count} messages")


def conversation(server: KefuServer, admin_token: str, conversation_id: str) -> dict:
    return requests.get(server.url(f"/api/v1/conversations/{conversation_id}"),
                        headers={"Authorization": f"Bearer {admin_token}"}, timeout=10).json()


def test_bot_answers_from_the_demo_help_center_and_a_yes_resolves(kefu_server: KefuServer, admin_token: str) -> None:
    token = visitor(kefu_server, "en")
    conversation_id = say(kefu_server, token, "I sent USDT to my wallet an hour ago and the deposit has not arrived")
    answer = wait_bot(kefu_server, token, 1)[0]
    assert "Did this solve your problem?" in answer
    link = next(word for word in answer.split() if word.startswith("http"))
    article = requests.get(link, timeout=10)
    assert article.status_code == 200, f"the bot linked to {link}, which answers {article.status_code}"
    assert conversation(kefu_server, admin_token, conversation_id)["status"] == "pending"

    say(kefu_server, token, "yes, thank you")
    wait_bot(kefu_server, token, 2)
    assert conversation(kefu_server, admin_token, conversation_id)["status"] == "resolved"
    # The report reads rollups, which follow the conversation within a report tick.
    deadline = time.monotonic() + 15
    while True:
        totals = requests.get(kefu_server.url("/api/v1/reports/bot"), headers={"Authorization": f"Bearer {admin_token}"}, timeout=10).json()["totals"]
        if totals["botResolved"] >= 1 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert totals["botResolved"] >= 1, totals
    assert totals["deflectionRate"] > 0, totals
    assert totals["confirmedPrecision"] > 0, totals


def test_bot_answers_in_chinese_and_hands_over_on_no(kefu_server: KefuServer, admin_token: str) -> None:
    token = visitor(kefu_server, "zh-CN")
    conversation_id = say(kefu_server, token, "我转了USDT到钱包，充值一直没有到账，怎么办？")
    answer = wait_bot(kefu_server, token, 1)[0]
    assert "问题解决了吗" in answer
    say(kefu_server, token, "没有解决")
    handover = wait_bot(kefu_server, token, 2)[1]
    assert "人工客服" in handover
    events = requests.get(kefu_server.url(f"/api/v1/conversations/{conversation_id}/events"),
                          headers={"Authorization": f"Bearer {admin_token}"}, timeout=10).json()["items"]
    assert any(e["kind"] == "bot_handoff" and e["data"]["reason"] == "declined" for e in events)
    assert conversation(kefu_server, admin_token, conversation_id)["status"] == "open"


def test_bot_answer_in_the_widget(kefu_server: KefuServer, browsers: Browsers) -> None:
    page = browsers.open()
    page.get(kefu_server.url("/demo"))
    open_widget(page)
    widget_send(page, "How do I add a custom token that is not showing in my wallet?")
    wait_for(page, lambda d: any("Did this solve your problem?" in li.text
                                 for li in widget_root(d).find_elements(By.CSS_SELECTOR, "li.them")),
             message="the widget never showed the bot's answer")
    links = [a.get_attribute("href") for a in widget_root(page).find_elements(By.CSS_SELECTOR, "li.them .text a")]
    assert any("/help/" in (link or "") for link in links), f"the help-center link is not clickable: {links}"
    assert widget_root(page).find_elements(By.CSS_SELECTOR, "li.them .who")[-1].text == "Help center assistant"
    screenshot(page, "widget-bot-answer")



def test_bot_panel_shows_calibration_and_tries_a_question(kefu_server: KefuServer, browsers: Browsers) -> None:
    agent = browsers.open(language="zh-CN")
    login(agent, kefu_server)
    agent.get(kefu_server.url("/console/kb"))
    calibration = wait_for(agent, lambda d: d.find_element(By.ID, "bot-calibration").text.strip() or False,
                           message="the bot panel never showed its calibration")
    assert "实测准确率" in calibration, calibration
    assert "分流率" in wait_for(agent, lambda d: d.find_element(By.ID, "bot-report").text.strip() or False)
    agent.find_element(By.ID, "bot-question").send_keys("我的充值一直没有到账")
    agent.find_element(By.CSS_SELECTOR, "#bot-try button").click()
    answer = wait_for(agent, lambda d: d.find_element(By.ID, "bot-answer").text.strip() or False)
    assert "会用《充值未到账" in answer, answer
    screenshot(agent, "console-bot-panel-zh-Hans")
