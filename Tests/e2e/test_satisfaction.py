"""Customer ratings in a real browser: a customer writing in Chinese is asked to rate the
resolved conversation in the widget, gives a low score with a comment and changes it; the
team reads it on the ratings page, filtered to low scores, in Chinese and English."""

from __future__ import annotations

import secrets

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import conversation_by_text, Browsers, login, open_widget, screenshot, wait_for, widget_root, widget_send
from kefu_server import KefuServer


def test_a_customer_rates_the_resolution_in_the_widget_and_the_team_reads_it(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    headers = {"Authorization": f"Bearer {token}"}
    visitor = browsers.open(language="zh-CN")
    visitor.get(kefu_server.url("/demo"))
    open_widget(visitor)
    marker = secrets.token_hex(3)
    widget_send(visitor, f"我要人工客服，转账 {marker} 一直没到")

    def conversation():
        found = conversation_by_text(kefu_server, headers, marker)
        return found["id"] if found else None
    conversation_id = wait_for(visitor, lambda d: conversation(), message="the conversation was not found")
    reply = requests.post(kefu_server.url(f"/api/v1/conversations/{conversation_id}/messages"), headers=headers, timeout=10,
                          json={"text": "您好，我们已经查到这笔转账，现在已到账。"})
    assert reply.status_code == 201, reply.text
    done = requests.patch(kefu_server.url(f"/api/v1/conversations/{conversation_id}"), headers=headers, json={"status": "resolved"}, timeout=10)
    assert done.status_code == 200, done.text

    survey = wait_for(visitor, lambda d: widget_root(d).find_elements(By.CSS_SELECTOR, ".survey"), timeout=15,
                      message="the widget did not ask for a rating")[0]
    assert "请为本次会话评分" in survey.text
    survey.find_element(By.CSS_SELECTOR, ".rate").click()
    assert "请先选择" in survey.find_element(By.CSS_SELECTOR, ".thanks").text
    survey.find_element(By.CSS_SELECTOR, "button[data-score='2']").click()
    survey.find_element(By.CSS_SELECTOR, ".comment").send_keys("等得太久了")
    survey.find_element(By.CSS_SELECTOR, ".rate").click()
    wait_for(visitor, lambda d: widget_root(d).find_element(By.CSS_SELECTOR, ".survey").get_attribute("data-rating") == "2",
             message="the rating was not accepted")
    assert "感谢" in widget_root(visitor).find_element(By.CSS_SELECTOR, ".survey .thanks").text
    screenshot(visitor, "widget-rating-zh")

    # The team sees it, with the comment, among the low ratings.
    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    # The low rating puts the conversation in the follow-up view.
    admin.find_element(By.CSS_SELECTOR, "#views [data-view='low_rating']").click()
    wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, f".conversation-item[data-id='{conversation_id}']"),
             message="the low-rated conversation is not in the low-rating view")
    assert admin.find_element(By.CSS_SELECTOR, "#views [data-view='low_rating']").text.startswith("差评")
    admin.find_element(By.ID, "feedback-link").click()
    wait_for(admin, lambda d: d.find_element(By.TAG_NAME, "h1").text == "客户评价", message="the ratings page did not open")
    row = wait_for(admin, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#feedback-list tr") if "等得太久了" in r.text],
                   message="the rating is not listed")[0]
    assert "2 ★" in row.text and "Demo Owner" in row.text
    Select(admin.find_element(By.ID, "feedback-filter")).select_by_value("low")
    wait_for(admin, lambda d: all(r.get_attribute("data-rating") in ("1", "2") for r in d.find_elements(By.CSS_SELECTOR, "#feedback-list tr"))
             and d.find_elements(By.CSS_SELECTOR, "#feedback-list tr"), message="the low filter shows other ratings")
    assert "满意率" in admin.find_element(By.ID, "feedback-summary").text or "还没有回复" in admin.find_element(By.ID, "feedback-summary").text
    screenshot(admin, "console-feedback-zh")

    # A worse rating reaches the owner's console at once, with the customer's comment.
    admin.get(kefu_server.url("/console?lang=zh-Hans"))
    wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "#views .view"), message="the console did not load")
    survey = widget_root(visitor).find_element(By.CSS_SELECTOR, ".survey")
    survey.find_element(By.CSS_SELECTOR, "button[data-score='1']").click()
    survey.find_element(By.CSS_SELECTOR, ".rate").click()
    alert = wait_for(admin, lambda d: (a := d.find_element(By.ID, "rating-alert")).is_displayed() and a, timeout=15,
                     message="the owner was not told of the low rating")
    assert "1 星" in alert.text and "等得太久了" in alert.text, alert.text

    # The customer changes their mind within the week.
    survey = widget_root(visitor).find_element(By.CSS_SELECTOR, ".survey")
    assert survey.find_element(By.CSS_SELECTOR, ".rate").text == "修改评分"
    survey.find_element(By.CSS_SELECTOR, "button[data-score='5']").click()
    survey.find_element(By.CSS_SELECTOR, ".rate").click()
    wait_for(visitor, lambda d: widget_root(d).find_element(By.CSS_SELECTOR, ".survey").get_attribute("data-rating") == "5",
             message="the changed rating was not accepted")
    events = requests.get(kefu_server.url(f"/api/v1/conversations/{conversation_id}/events"), headers=headers, timeout=10).json()["items"]
    assert [e["data"]["rating"] for e in events if e["kind"] == "rated"] == ["2", "1", "5"]
    assert sum(1 for e in events if e["kind"] == "low_rating") == 1

    english = browsers.open(language="en-US")
    login(english, kefu_server)
    english.get(kefu_server.url("/console/feedback"))
    row = wait_for(english, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#feedback-list tr") if "等得太久了" in r.text],
                   message="the English page does not list the rating")[0]
    assert "5 ★" in row.text
    assert english.find_element(By.TAG_NAME, "h1").text == "Customer ratings"
    assert "CSAT" in english.find_element(By.ID, "feedback-summary").text


def test_an_admin_turns_on_nps_and_a_customer_answers_it_in_the_widget(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    headers = {"Authorization": f"Bearer {token}"}
    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    admin.get(kefu_server.url("/console/feedback?lang=zh-Hans"))
    enabled = wait_for(admin, lambda d: (e := d.find_element(By.ID, "nps-enabled")) and d.find_element(By.ID, "nps-interval").get_attribute("value") and e,
                       message="the NPS settings did not load")
    assert admin.find_element(By.ID, "nps-interval").get_attribute("value") == "90"
    try:
        if not enabled.is_selected():
            enabled.click()
        admin.find_element(By.ID, "survey-save").click()
        wait_for(admin, lambda d: d.find_element(By.ID, "feedback-status").is_displayed(), message="the settings were not saved")
        assert requests.get(kefu_server.url("/api/v1/satisfaction"), headers=headers, timeout=10).json()["npsEnabled"] is True

        visitor = browsers.open(language="zh-CN")
        visitor.get(kefu_server.url("/demo"))
        open_widget(visitor)
        marker = secrets.token_hex(3)
        widget_send(visitor, f"我要人工，充值 {marker} 没到账")
        found = wait_for(visitor, lambda d: conversation_by_text(kefu_server, headers, marker), message="the conversation was not found")
        requests.post(kefu_server.url(f"/api/v1/conversations/{found['id']}/messages"), headers=headers, timeout=10, json={"text": "已到账，请查收。"})
        requests.patch(kefu_server.url(f"/api/v1/conversations/{found['id']}"), headers=headers, timeout=10, json={"status": "resolved"})

        question = wait_for(visitor, lambda d: widget_root(d).find_elements(By.CSS_SELECTOR, ".nps"), timeout=15, message="the widget did not ask for the NPS")[0]
        assert "推荐" in question.text and len(question.find_elements(By.CSS_SELECTOR, ".scores button")) == 11
        question.find_element(By.CSS_SELECTOR, ".rate").click()
        assert "请先选择" in question.find_element(By.CSS_SELECTOR, ".thanks").text
        question.find_element(By.CSS_SELECTOR, ".scores button[data-score='10']").click()
        question.find_element(By.CSS_SELECTOR, ".comment").send_keys("到账很快")
        question.find_element(By.CSS_SELECTOR, ".rate").click()
        wait_for(visitor, lambda d: widget_root(d).find_element(By.CSS_SELECTOR, ".nps").get_attribute("data-score") == "10", message="the answer was not accepted")
        screenshot(visitor, "widget-nps-zh")

        admin.get(kefu_server.url("/console/feedback?lang=zh-Hans"))
        row = wait_for(admin, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#nps-list tr") if "到账很快" in r.text], message="the answer is not listed")[0]
        assert "推荐者" in row.text and row.get_attribute("data-group") == "promoter"
        assert "NPS" in admin.find_element(By.ID, "nps-summary").text
        screenshot(admin, "console-nps-zh")
        admin.get(kefu_server.url("/console/feedback?lang=en"))
        wait_for(admin, lambda d: "promoters" in d.find_element(By.ID, "nps-summary").text, message="the English summary is missing")
    finally:
        requests.patch(kefu_server.url("/api/v1/satisfaction"), headers=headers, timeout=10, json={"npsEnabled": False})
