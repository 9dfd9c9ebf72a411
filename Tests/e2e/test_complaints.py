"""A complaint end to end in a real browser: a customer writes 投诉 in the widget in Chinese
and is acknowledged at once with the number, the reply time and a link to follow it; the
progress page (on a phone-sized window) takes more information; the agent escalates it
to a team with a reason and resolves it with an outcome; the customer reads the outcome,
rates it and confirms it on the page; the register lists it and the check-back is set."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import conversation_by_text, Browsers, login, open_widget, screenshot, wait_for, widget_root, widget_send
from kefu_server import KefuServer


def test_a_chinese_complaint_from_the_widget_to_its_outcome(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    headers = {"Authorization": f"Bearer {token}"}
    team_name = f"风控组 {secrets.token_hex(2)}"
    team = requests.post(kefu_server.url("/api/v1/teams"), headers=headers, timeout=10, json={"name": team_name})
    assert team.status_code == 201, team.text

    visitor = browsers.open(language="zh-CN")
    visitor.get(kefu_server.url("/demo"))
    open_widget(visitor)
    marker = secrets.token_hex(3)
    widget_send(visitor, f"我要投诉！提现 {marker} 三天了还没到账，太离谱了")

    # Acknowledged at once, in Chinese, with the number and the time to expect an answer.
    ack = wait_for(visitor, lambda d: [m for m in widget_root(d).find_elements(By.CSS_SELECTOR, "li") if "我们已收到您的投诉" in m.text],
                   timeout=15, message="no acknowledgement in the widget")[0]
    assert "编号 #" in ack.text and "UTC" in ack.text, ack.text
    bar = wait_for(visitor, lambda d: (b := widget_root(d).find_element(By.CSS_SELECTOR, ".complaint")).is_displayed() and b,
                   message="the widget does not show the complaint")
    assert "投诉 #" in bar.text and "已收到" in bar.text, bar.text
    link = bar.find_element(By.CSS_SELECTOR, "a.follow")
    assert link.text == "查看处理进度"
    progress_url = link.get_attribute("href")
    assert "/t/kcp_" in progress_url
    screenshot(visitor, "widget-complaint-zh")

    def conversation():
        found = conversation_by_text(kefu_server, headers, marker)
        return found["id"] if found else None
    conversation_id = wait_for(visitor, lambda d: conversation(), message="the conversation was not found")

    # The progress page, on a phone: milestones, the promise, and a form to add information.
    phone = browsers.open(language="zh-CN", width=390, height=844)
    phone.get(progress_url)
    assert phone.find_element(By.ID, "heading").text.startswith("您的投诉 #")
    current = phone.find_element(By.CSS_SELECTOR, ".milestone.current")
    assert current.get_attribute("data-milestone") == "received" and "已收到" in current.text
    assert "我们将在此时间前答复您" in phone.find_element(By.ID, "reply-due").text
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page scrolls sideways on a phone"
    phone.find_element(By.ID, "add-text").send_keys("交易哈希 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060")
    phone.find_element(By.ID, "add").click()
    assert "补充信息已加入" in wait_for(phone, lambda d: d.find_element(By.ID, "done"), message="the information was not taken").text
    screenshot(phone, "progress-page-received-zh")

    # The agent escalates it from the console with a reason the team will read.
    agent = browsers.open(language="zh-CN")
    login(agent, kefu_server)
    agent.get(kefu_server.url(f"/console?lang=zh-Hans#{conversation_id}"))
    panel = wait_for(agent, lambda d: (p := d.find_element(By.ID, "complaint")).get_attribute("data-complaint") not in (None, "", "none") and p,
                     timeout=15, message="the console shows no complaint")
    assert "投诉（严重）" in panel.text and "由分诊识别" in panel.text, panel.text
    Select(agent.find_element(By.ID, "complaint-team")).select_by_visible_text(team_name)
    agent.find_element(By.ID, "complaint-reason").send_keys("提现卡在热钱包，需要链上运维处理")
    agent.find_element(By.ID, "complaint-escalate").click()
    wait_for(agent, lambda d: d.find_element(By.ID, "complaint").get_attribute("data-complaint") == "escalated", message="not escalated")
    assert "需要链上运维处理" in agent.find_element(By.ID, "complaint").text
    phone.get(progress_url)
    assert phone.find_element(By.CSS_SELECTOR, ".milestone.current").get_attribute("data-milestone") == "escalated"

    # The console's follow-up view lists it, and a low rating would tell the owner at once.
    agent.find_element(By.CSS_SELECTOR, "#views [data-view='complaints']").click()
    wait_for(agent, lambda d: d.find_elements(By.CSS_SELECTOR, f".conversation-item[data-id='{conversation_id}']"),
             message="the complaint is not in the complaints view")

    # A plain resolve is refused: a complaint is resolved with an outcome for the customer.
    Select(agent.find_element(By.ID, "f-status")).select_by_value("resolved")
    error = wait_for(agent, lambda d: (e := d.find_element(By.ID, "composer-error")).is_displayed() and e, message="the plain resolve was not refused")
    assert "处理结果" in error.text
    agent.find_element(By.ID, "complaint-outcome").send_keys("已为您重新发起提现，资金已到账，手续费已退还。")
    agent.find_element(By.ID, "complaint-resolve").click()
    wait_for(agent, lambda d: d.find_element(By.ID, "complaint").get_attribute("data-complaint") == "resolved", message="not resolved")
    assert "已发送处理结果" in agent.find_element(By.ID, "complaint").text
    screenshot(agent, "console-complaint-resolved-zh")

    # The customer gets the outcome in the widget and on the page, rates it and confirms it.
    wait_for(visitor, lambda d: any("手续费已退还" in m.text for m in widget_root(d).find_elements(By.CSS_SELECTOR, "li")),
             message="the widget did not show the outcome")
    phone.get(progress_url)
    assert "手续费已退还" in phone.find_element(By.ID, "summary").text
    assert phone.find_element(By.CSS_SELECTOR, ".milestone.current").get_attribute("data-milestone") == "resolved"
    phone.find_element(By.CSS_SELECTOR, "#rate-form input[value='5']").click()
    phone.find_element(By.ID, "comment").send_keys("处理得很快")
    phone.find_element(By.ID, "rate").click()
    assert "感谢您的评价" in wait_for(phone, lambda d: d.find_element(By.ID, "done"), message="the rating was not taken").text
    phone.find_element(By.ID, "confirm").click()
    wait_for(phone, lambda d: d.find_elements(By.ID, "confirmed"), message="the confirmation was not taken")
    screenshot(phone, "progress-page-resolved-zh")

    events = requests.get(kefu_server.url(f"/api/v1/conversations/{conversation_id}/events?limit=100"), headers=headers, timeout=10).json()["items"]
    kinds = [e["kind"] for e in events]
    for kind in ("complaint_opened", "complaint_escalated", "complaint_resolved", "rated", "complaint_confirmed"):
        assert kind in kinds, kinds
    assert next(e for e in events if e["kind"] == "rated")["data"]["rating"] == "5"
    complaint = requests.get(kefu_server.url(f"/api/v1/conversations/{conversation_id}/complaint"), headers=headers, timeout=10).json()
    assert complaint["confirmedAt"] and complaint["resolvedAt"]
    # A confirmed complaint needs no check-back; the rules' check-back day was set on resolving.
    assert "followUpAt" not in complaint
    rules = requests.get(kefu_server.url("/api/v1/complaint-settings"), headers=headers, timeout=10).json()
    assert rules["followUpDays"] >= 1

    # The register, in English, lists it among the resolved with why it was escalated.
    english = browsers.open(language="en-US")
    login(english, kefu_server)
    english.find_element(By.ID, "complaints-link").click()
    wait_for(english, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Complaints", message="the register did not open")
    Select(english.find_element(By.ID, "complaints-state")).select_by_value("resolved")
    row = wait_for(english, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#complaints-list tr") if "热钱包" in r.text],
                   message="the register does not list the complaint")[0]
    assert team_name in row.text and "Major" in row.text and "resolved" in row.text
    screenshot(english, "console-complaints-en")


def test_not_a_complaint_three_times_teaches_the_detector_and_an_admin_can_undo_it(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    headers = {"Authorization": f"Bearer {token}"}

    def customer() -> str:
        session = requests.post(kefu_server.url("/widget/v1/sessions"), json={"inboxToken": kefu_server.demo_inbox_token(), "locale": "en"}, timeout=10).json()
        sent = requests.post(kefu_server.url("/widget/v1/messages"), headers={"Authorization": f"Bearer {session['visitorToken']}"},
                             json={"text": f"the withdrawal fee {secrets.token_hex(2)} is ridiculous!!!"}, timeout=10)
        assert sent.status_code == 201, sent.text
        conversation_id = sent.json()["conversationId"]
        complaint = requests.get(kefu_server.url(f"/api/v1/conversations/{conversation_id}/complaint"), headers=headers, timeout=10)
        assert complaint.status_code == 200, f"not read as a complaint: {complaint.text}"
        return conversation_id

    made: list[str] = []
    try:
        for _ in range(2):
            made.append(customer())
            withdrawn = requests.delete(kefu_server.url(f"/api/v1/conversations/{made[-1]}/complaint"), headers=headers, timeout=10)
            assert withdrawn.status_code == 200 and not withdrawn.json().get("learnedToIgnore"), withdrawn.text
        # The third time an agent says so in the console, and hears what the desk learned.
        third = customer()
        made.append(third)
        agent = browsers.open(language="en-US")
        login(agent, kefu_server)
        agent.get(kefu_server.url(f"/console?lang=en#{third}"))
        wait_for(agent, lambda d: d.find_element(By.ID, "complaint").get_attribute("data-complaint") == "received", message="the complaint panel did not open")
        agent.find_element(By.ID, "complaint-withdraw").click()
        lesson = wait_for(agent, lambda d: d.find_elements(By.CSS_SELECTOR, "#complaint .complaint-learned"), message="the lesson was not shown")[0]
        assert "ridiculous" in lesson.text, lesson.text
        screenshot(agent, "console-complaint-learned")

        admin = browsers.open(language="zh-CN")
        login(admin, kefu_server)
        admin.get(kefu_server.url("/console/complaints?lang=zh-Hans"))
        item = wait_for(admin, lambda d: [li for li in d.find_elements(By.CSS_SELECTOR, "#ignored-list li") if li.get_attribute("data-phrase") == "ridiculous"],
                        message="the learned phrase is not listed")[0]
        assert "本工作区检测器忽略的词" in admin.find_element(By.ID, "ignored-phrases").text
        item.find_element(By.CSS_SELECTOR, "button.forget").click()
        wait_for(admin, lambda d: not [li for li in d.find_elements(By.CSS_SELECTOR, "#ignored-list li") if li.get_attribute("data-phrase") == "ridiculous"],
                 message="the phrase stayed on the list")
        assert "重新触发投诉" in admin.find_element(By.ID, "complaints-status").text
        assert "ridiculous" not in requests.get(kefu_server.url("/api/v1/complaint-settings"), headers=headers, timeout=10).json()["ignoredPhrases"]
    finally:
        requests.patch(kefu_server.url("/api/v1/complaint-settings"), headers=headers, timeout=10, json={"ignoredPhrases": []})
        # Out of the queue, so later tests find theirs where they expect it.
        for conversation_id in made:
            requests.patch(kefu_server.url(f"/api/v1/conversations/{conversation_id}"), headers=headers, timeout=10, json={"status": "resolved"})
