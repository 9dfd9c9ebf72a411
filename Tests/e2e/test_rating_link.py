"""A rating link in a real browser, as a mail would carry it: opening it (with a score
preselected) records nothing; the customer confirms the score with a comment and sees the
thanks; the rating reaches the team's ratings page."""

from __future__ import annotations

import secrets

import requests
from selenium.webdriver.common.by import By

from browser import Browsers, login, screenshot, wait_for
from kefu_server import KefuServer


def test_a_rating_link_asks_before_it_counts(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    headers = {"Authorization": f"Bearer {token}"}
    inboxes = requests.get(kefu_server.url("/api/v1/inboxes"), headers=headers, timeout=10).json()["items"]
    widget = next(inbox for inbox in inboxes if inbox["kind"] == "widget")
    session = requests.post(kefu_server.url("/widget/v1/sessions"), json={"inboxToken": widget["publicToken"], "locale": "zh-Hans"}, timeout=10).json()
    visitor = {"Authorization": f"Bearer {session['visitorToken']}"}
    marker = secrets.token_hex(3)
    sent = requests.post(kefu_server.url("/widget/v1/messages"), headers=visitor, json={"text": f"提现 {marker} 还没到账，我要人工"}, timeout=10)
    assert sent.status_code == 201, sent.text
    conversation_id = sent.json()["conversationId"]
    reply = requests.post(kefu_server.url(f"/api/v1/conversations/{conversation_id}/messages"), headers=headers, json={"text": "已为您处理，请查收。"}, timeout=10)
    assert reply.status_code == 201, reply.text
    done = requests.patch(kefu_server.url(f"/api/v1/conversations/{conversation_id}"), headers=headers, json={"status": "resolved"}, timeout=10)
    assert done.status_code == 200, done.text
    link = requests.post(kefu_server.url(f"/api/v1/conversations/{conversation_id}/rating-link"), headers=headers, timeout=10)
    assert link.status_code == 201, link.text

    phone = browsers.open(language="zh-CN", width=390, height=844)
    phone.get(link.json()["url"] + "?score=5")
    assert phone.find_element(By.ID, "heading").text.startswith("请为这次会话评分")
    assert phone.find_element(By.CSS_SELECTOR, "input[name='rating'][value='5']").is_selected()
    survey = requests.get(kefu_server.url("/widget/v1/survey"), headers=visitor, timeout=10).json()
    assert survey.get("rating") is None, "opening the link voted"
    phone.find_element(By.CSS_SELECTOR, "input[name='rating'][value='4']").click()
    phone.find_element(By.ID, "comment").send_keys("回复很及时")
    phone.find_element(By.ID, "rate").click()
    assert "感谢" in wait_for(phone, lambda d: d.find_element(By.ID, "done"), message="no thanks after rating").text
    screenshot(phone, "rating-link-zh")
    survey = requests.get(kefu_server.url("/widget/v1/survey"), headers=visitor, timeout=10).json()
    assert survey["rating"] == 4 and survey["comment"] == "回复很及时"

    team = browsers.open(language="en-US")
    login(team, kefu_server)
    team.get(kefu_server.url("/console/feedback"))
    wait_for(team, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#feedback-list tr") if "回复很及时" in r.text],
             message="the rating is not on the ratings page")
