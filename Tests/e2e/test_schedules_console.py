"""The business-hours page in a real browser, in Chinese and English: an admin creates a
Beijing schedule with a lunch break and a holiday, makes it the default for the widget
inbox, imports holidays from an .ics file, sees a mistake explained, and deletes it."""

from __future__ import annotations

from pathlib import Path

import secrets

import requests
from selenium.webdriver.common.by import By

from browser import Browsers, login, open_widget, screenshot, wait_for, widget_root
from kefu_server import KefuServer


def row_with(driver, text: str):
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "#schedule-list tr") if text in r.text]
    return rows[0] if rows else None


def shown(driver, element_id: str):
    element = driver.find_element(By.ID, element_id)
    return element if element.is_displayed() and element.text else False


def day(driver, key: str):
    return driver.find_element(By.CSS_SELECTOR, f"input[name=day][data-day={key}]")


def test_admin_sets_business_hours_in_the_console(kefu_server: KefuServer, browsers: Browsers, tmp_path: Path) -> None:
    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    admin.find_element(By.ID, "schedules-link").click()
    wait_for(admin, lambda d: d.find_elements(By.ID, "schedule-form"), message="the business-hours page did not load")
    assert admin.find_element(By.TAG_NAME, "h1").text == "工作时间"
    assert "还没有时间表" in wait_for(admin, lambda d: shown(d, "schedule-empty"), message="the empty list was not explained").text

    admin.find_element(By.ID, "schedule-name").send_keys("北京客服")
    for key in ["mon", "tue", "wed", "thu", "fri"]:
        day(admin, key).send_keys("09:00-12:00, 13:00-18:00")
    admin.find_element(By.ID, "schedule-overrides").send_keys("2027-02-10 休息 春节\n2027-02-07 09:00-18:00 调休")
    admin.find_element(By.ID, "schedule-default").click()
    inbox = wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "input[name=inbox]"), message="no inboxes to choose")[0]
    inbox.click()
    admin.find_element(By.ID, "schedule-save").click()
    row = wait_for(admin, lambda d: row_with(d, "北京客服"), message="the new schedule is not listed")
    assert "Asia/Shanghai" in row.text and "默认" in row.text
    assert any(word in row.text for word in ("营业中", "开始营业"))
    assert "已保存" in wait_for(admin, lambda d: shown(d, "schedule-status"), message="saving was not confirmed").text
    screenshot(admin, "console-schedules-zh")

    # Holidays from a calendar file, as calendar apps publish them.
    calendar = tmp_path / "holidays.ics"
    calendar.write_text("\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0",
        "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20271001", "DTEND;VALUE=DATE:20271008", "SUMMARY:国庆节 休", "END:VEVENT",
        "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20270926", "SUMMARY:国庆节 补班", "END:VEVENT",
        "END:VCALENDAR", ""]), encoding="utf-8")
    admin.find_element(By.ID, "holiday-file").send_keys(str(calendar))
    admin.find_element(By.ID, "holiday-import").click()
    status = wait_for(admin, lambda d: shown(d, "schedule-status") if "导入" in d.find_element(By.ID, "schedule-status").text else False,
                      message="the import was not confirmed")
    assert "10" in status.text  # 2 typed + 1 make-up day + 7 days off
    overrides = admin.find_element(By.ID, "schedule-overrides").get_attribute("value")
    assert "2027-09-26 09:00-12:00,13:00-18:00 国庆节 补班" in overrides
    assert "2027-10-03 休息 国庆节 休" in overrides

    # A mistake is explained, and nothing changes.
    day(admin, "sat").send_keys("18:00-09:00")
    admin.find_element(By.ID, "schedule-save").click()
    error = wait_for(admin, lambda d: shown(d, "schedule-error"), message="a bad interval showed no error")
    assert "weekly.sat" not in error.text and "时间段" in error.text

    english = browsers.open(language="en-US")
    login(english, kefu_server)
    english.get(kefu_server.url("/console/schedules"))
    row = wait_for(english, lambda d: row_with(d, "北京客服"), message="the English page does not list the schedule")
    assert english.find_element(By.TAG_NAME, "h1").text == "Business hours"
    assert "Default" in row.text
    screenshot(english, "console-schedules-en")

    admin.refresh()
    wait_for(admin, lambda d: row_with(d, "北京客服"), message="the schedule is gone after a reload")
    row_with(admin, "北京客服").find_element(By.CSS_SELECTOR, ".schedule-delete").click()
    wait_for(admin, lambda d: row_with(d, "北京客服") is None, message="the schedule was not deleted")


def test_outside_business_hours_the_widget_says_when_the_team_is_back(kefu_server: KefuServer, browsers: Browsers) -> None:
    headers = {"Authorization": f"Bearer {kefu_server.login()}"}
    created = requests.post(kefu_server.url("/api/v1/schedules"), headers=headers, timeout=10, json={
        "name": "Opening day", "timeZone": "Asia/Shanghai", "weekly": {}, "isDefault": True,
        "overrides": [{"date": "2030-01-02", "hours": [["09:00", "17:00"]]}]})
    assert created.status_code == 201, created.text
    try:
        for language, words in [("zh-CN", ["恢复服务", "1月2日", "09:00", "中国标准时间"]), ("en-US", ["open again", "Jan 2", "09:00", "China Standard Time"])]:
            visitor = browsers.open(language=language)
            visitor.get(kefu_server.url("/demo"))
            open_widget(visitor)
            notice = wait_for(visitor, lambda d: widget_root(d).find_element(By.CSS_SELECTOR, ".notice").text or False,
                              message="the widget showed no notice")
            for word in words:
                assert word in notice, notice
            screenshot(visitor, f"widget-closed-{language}")
    finally:
        requests.delete(kefu_server.url(f"/api/v1/schedules/{created.json()['id']}"), headers=headers, timeout=10)


def test_an_agent_sees_the_service_level_clocks_count_down_and_a_reply_meet_them(kefu_server: KefuServer, browsers: Browsers) -> None:
    headers = {"Authorization": f"Bearer {kefu_server.login()}"}
    bot = requests.get(kefu_server.url("/api/v1/bot"), headers=headers, timeout=10).json()
    requests.patch(kefu_server.url("/api/v1/bot"), headers=headers, json={"enabled": False}, timeout=10)
    policy = requests.post(kefu_server.url("/api/v1/sla-policies"), headers=headers, timeout=10, json={
        "name": "Browser check", "position": 0,
        "targets": {"firstResponse": {p: {"seconds": 3600, "businessHours": False} for p in ["low", "normal", "high", "urgent"]},
                    "resolution": {p: {"seconds": 86400, "businessHours": False} for p in ["low", "normal", "high", "urgent"]}}})
    assert policy.status_code == 201, policy.text
    try:
        marker = secrets.token_hex(4)
        text = f"Where is the invoice for my hardware wallet order {marker}?"
        session = requests.post(kefu_server.url("/widget/v1/sessions"), json={"inboxToken": kefu_server.demo_inbox_token()}, timeout=10).json()
        sent = requests.post(kefu_server.url("/widget/v1/messages"), json={"text": text}, timeout=10,
                             headers={"Authorization": f"Bearer {session['visitorToken']}"})
        assert sent.status_code == 201, sent.text

        agent = browsers.open(language="zh-CN")
        login(agent, kefu_server)
        agent.find_element(By.ID, "search").send_keys(marker)
        wait_for(agent, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".conversation-item")) == 1, message="search did not find the conversation")
        agent.find_element(By.CSS_SELECTOR, ".conversation-item").click()
        first = wait_for(agent, lambda d: d.find_element(By.CSS_SELECTOR, "#sla [data-clock=first_response]"),
                         message="the conversation shows no first-response clock")
        assert "首次响应剩余" in first.text and "59:" in first.text, first.text
        assert "SLA：Browser check" in agent.find_element(By.ID, "sla").text
        before = first.text
        wait_for(agent, lambda d: d.find_element(By.CSS_SELECTOR, "#sla [data-clock=first_response]").text != before, timeout=5,
                 message="the countdown does not move")
        screenshot(agent, "console-sla-zh")

        agent.find_element(By.ID, "composer-text").send_keys("我们正在查询，请稍候。")
        agent.find_element(By.ID, "send").click()
        wait_for(agent, lambda d: "已达标" in d.find_element(By.CSS_SELECTOR, "#sla [data-clock=first_response]").text,
                 message="a person's reply did not meet first response")
        assert agent.find_element(By.CSS_SELECTOR, "#sla [data-clock=resolution]").get_attribute("data-state") == "running"
    finally:
        requests.delete(kefu_server.url(f"/api/v1/sla-policies/{policy.json()['id']}"), headers=headers, timeout=10)
        requests.patch(kefu_server.url("/api/v1/bot"), headers=headers, json={"enabled": bot.get("enabled", True)}, timeout=10)


def test_admin_sets_service_level_policies_in_the_console(kefu_server: KefuServer, browsers: Browsers) -> None:
    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    admin.find_element(By.ID, "sla-link").click()
    wait_for(admin, lambda d: d.find_elements(By.ID, "policy-form"), message="the service-levels page did not load")
    assert admin.find_element(By.TAG_NAME, "h1").text == "服务等级"

    def add(name: str, minutes: str, vip: bool) -> None:
        admin.find_element(By.ID, "policy-name").send_keys(name)
        if vip:
            admin.find_element(By.ID, "policy-vip").click()
        admin.find_element(By.CSS_SELECTOR, "input[data-clock=firstResponse][data-priority=normal]").send_keys(minutes)
        admin.find_element(By.ID, "policy-save").click()
        wait_for(admin, lambda d: row(d, name), message=f"{name} is not listed")

    def row(driver, name: str):
        rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "#policy-list tr") if name in r.text]
        return rows[0] if rows else False

    add("所有客户", "60", vip=False)
    add("VIP 客户", "10", vip=True)
    assert "所有会话" in row(admin, "所有客户").text and "60 分钟" in row(admin, "所有客户").text
    assert "VIP" in row(admin, "VIP 客户").text
    order = lambda d: [r.find_elements(By.TAG_NAME, "td")[1].text for r in d.find_elements(By.CSS_SELECTOR, "#policy-list tr")]
    assert order(admin)[-2:] == ["所有客户", "VIP 客户"]
    row(admin, "VIP 客户").find_element(By.CSS_SELECTOR, ".policy-up").click()
    wait_for(admin, lambda d: order(d)[-2:] == ["VIP 客户", "所有客户"], message="moving a policy up did not reorder the list")
    screenshot(admin, "console-sla-policies-zh")

    # A mistake is explained: a target of zero minutes.
    admin.find_element(By.ID, "policy-name").send_keys("零")
    admin.find_element(By.CSS_SELECTOR, "input[data-clock=resolution][data-priority=urgent]").send_keys("0")
    admin.execute_script("document.getElementById('policy-form').noValidate = true")
    admin.find_element(By.ID, "policy-save").click()
    assert "second" in wait_for(admin, lambda d: shown(d, "policy-error"), message="a zero target showed no error").text

    english = browsers.open(language="en-US")
    login(english, kefu_server)
    english.get(kefu_server.url("/console/sla"))
    wait_for(english, lambda d: row(d, "所有客户"), message="the English page does not list the policy")
    assert english.find_element(By.TAG_NAME, "h1").text == "Service levels"
    assert "Every conversation" in row(english, "所有客户").text

    for name in ["VIP 客户", "所有客户"]:
        row(admin, name).find_element(By.CSS_SELECTOR, ".policy-delete").click()
        wait_for(admin, lambda d, name=name: not row(d, name), message=f"{name} was not deleted")


def test_an_agent_is_warned_before_a_target_is_missed_and_finds_it_in_the_breached_view(kefu_server: KefuServer, browsers: Browsers) -> None:
    """A 20-second first-response target: the list counts it down, the assignee is warned at
    80%, and once missed it moves from "breaching soon" to "breached"."""
    headers = {"Authorization": f"Bearer {kefu_server.login()}"}
    bot = requests.get(kefu_server.url("/api/v1/bot"), headers=headers, timeout=10).json()
    requests.patch(kefu_server.url("/api/v1/bot"), headers=headers, json={"enabled": False}, timeout=10)
    me = requests.get(kefu_server.url("/api/v1/auth/me"), headers=headers, timeout=10).json()
    policy = requests.post(kefu_server.url("/api/v1/sla-policies"), headers=headers, timeout=10, json={
        "name": "Twenty seconds", "position": 0,
        "targets": {"firstResponse": {p: {"seconds": 20, "businessHours": False} for p in ["low", "normal", "high", "urgent"]}}})
    assert policy.status_code == 201, policy.text
    try:
        agent = browsers.open(language="zh-CN")
        login(agent, kefu_server)
        marker = secrets.token_hex(4)
        session = requests.post(kefu_server.url("/widget/v1/sessions"), json={"inboxToken": kefu_server.demo_inbox_token()}, timeout=10).json()
        sent = requests.post(kefu_server.url("/widget/v1/messages"), timeout=10,
                             json={"text": f"我的提现一直没到账 {marker}\n订单号 12345"},
                             headers={"Authorization": f"Bearer {session['visitorToken']}"})
        assert sent.status_code == 201, sent.text
        conversation = sent.json()["conversationId"]
        assigned = requests.patch(kefu_server.url(f"/api/v1/conversations/{conversation}"), headers=headers, timeout=10,
                                  json={"assigneeId": me["id"]})
        assert assigned.status_code == 200, assigned.text

        item = lambda d: d.find_element(By.CSS_SELECTOR, f".conversation-item[data-id='{conversation}']") \
            if d.find_elements(By.CSS_SELECTOR, f".conversation-item[data-id='{conversation}']") else False
        row = wait_for(agent, item, message="the new conversation is not listed")
        assert f"我的提现一直没到账 {marker}" in row.find_element(By.CSS_SELECTOR, ".preview").text
        assert "订单号" not in row.find_element(By.CSS_SELECTOR, ".preview").text
        badge = wait_for(agent, lambda d: item(d) and item(d).find_elements(By.CSS_SELECTOR, ".sla-mini") and item(d).find_element(By.CSS_SELECTOR, ".sla-mini"),
                         message="the list shows no service-level badge")
        assert "首次响应剩余" in badge.text, badge.text

        alert = wait_for(agent, lambda d: shown(d, "sla-alert"), timeout=40, message="the assignee was not warned")
        assert "即将到期" in alert.text and "首次响应" in alert.text
        screenshot(agent, "console-sla-warning-zh")

        breached_view = lambda d: d.find_element(By.CSS_SELECTOR, "button[data-view=breached]")
        wait_for(agent, lambda d: breached_view(d).find_element(By.CSS_SELECTOR, ".count").text not in ("", "0"), timeout=40,
                 message="the breached view counts nothing after the target passed")
        breached_view(agent).click()
        row = wait_for(agent, item, message="the breached view does not list the conversation")
        assert "已超时" in row.find_element(By.CSS_SELECTOR, ".sla-mini").text
        screenshot(agent, "console-sla-breached-zh")
        agent.find_element(By.CSS_SELECTOR, "button[data-view=at_risk]").click()
        wait_for(agent, lambda d: not item(d), message="a breached conversation is still listed as breaching soon")

        agent.get(kefu_server.url("/console?lang=en"))
        wait_for(agent, lambda d: d.find_elements(By.CSS_SELECTOR, "button[data-view=breached]"), message="the English console did not load")
        agent.find_element(By.CSS_SELECTOR, "button[data-view=breached]").click()
        row = wait_for(agent, item, message="the English breached view does not list the conversation")
        assert "missed" in row.find_element(By.CSS_SELECTOR, ".sla-mini").text
        assert "Breached" in agent.find_element(By.CSS_SELECTOR, "button[data-view=breached]").text
        row.click()
        wait_for(agent, lambda d: any("missed its target" in e.text for e in d.find_elements(By.CSS_SELECTOR, "#timeline .event")),
                 message="the timeline does not show the breach")
    finally:
        requests.delete(kefu_server.url(f"/api/v1/sla-policies/{policy.json()['id']}"), headers=headers, timeout=10)
        requests.patch(kefu_server.url("/api/v1/bot"), headers=headers, json={"enabled": bot.get("enabled", True)}, timeout=10)


def test_admin_sets_how_a_policy_escalates(kefu_server: KefuServer, browsers: Browsers) -> None:
    headers = {"Authorization": f"Bearer {kefu_server.login()}"}
    team = requests.post(kefu_server.url("/api/v1/teams"), headers=headers, timeout=10, json={"name": f"升级组 {secrets.token_hex(2)}"})
    assert team.status_code == 201, team.text
    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    admin.get(kefu_server.url("/console/sla"))
    wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "#policy-escalation select option[value]") and
             len(d.find_elements(By.CSS_SELECTOR, "#policy-escalation select[data-when=onBreach] option")) > 1,
             message="the escalation teams were not offered")
    admin.find_element(By.ID, "policy-name").send_keys("升级测试")
    admin.find_element(By.CSS_SELECTOR, "input[data-clock=firstResponse][data-priority=normal]").send_keys("30")
    share = admin.find_element(By.ID, "policy-warning-share")
    share.clear()
    share.send_keys("50")
    admin.find_element(By.CSS_SELECTOR, "input[data-when=onBreach][data-step=raisePriority]").click()
    from selenium.webdriver.support.ui import Select
    Select(admin.find_element(By.CSS_SELECTOR, "select[data-when=onBreach][data-step=handToTeamId]")).select_by_value(team.json()["id"])
    team_box = [b for b in admin.find_elements(By.CSS_SELECTOR, "input[name=team]") if b.get_attribute("value") == team.json()["id"]][0]
    team_box.click()
    admin.find_element(By.ID, "policy-save").click()
    row = wait_for(admin, lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "#policy-list tr") if "升级测试" in r.text), False),
                   message="the policy is not listed")
    summary = row.find_element(By.CSS_SELECTOR, ".policy-escalation").text
    assert "预警时 (50%)" in summary and "优先级提高一级" in summary and team.json()["name"] in summary, summary
    assert team.json()["name"] in row.text
    saved = [p for p in requests.get(kefu_server.url("/api/v1/sla-policies"), headers=headers, timeout=10).json()["items"] if p["name"] == "升级测试"][0]
    try:
        assert saved["warningShare"] == 0.5
        assert saved["escalation"]["onBreach"] == {"notifyAssignee": True, "notifyTeam": True, "raisePriority": True, "handToTeamId": team.json()["id"]}
        assert saved["conditions"]["teamIds"] == [team.json()["id"]]
        screenshot(admin, "console-sla-escalation-zh")
    finally:
        requests.delete(kefu_server.url(f"/api/v1/sla-policies/{saved['id']}"), headers=headers, timeout=10)
