"""The routing page in a real browser, in Chinese and English: a supervisor sees who waits
in the queue and why, an admin sets an agent's languages, skills and capacity, and the
grace period for agents who go away."""

from __future__ import annotations

import secrets

import requests
from selenium.webdriver.common.by import By

from browser import Browsers, login, open_widget, screenshot, wait_for, widget_root, widget_send
from kefu_server import KefuServer


def shown(driver, element_id: str):
    element = driver.find_element(By.ID, element_id)
    return element if element.is_displayed() and element.text else False


def test_a_supervisor_sees_the_queue_and_sets_how_agents_are_given_work(kefu_server: KefuServer, browsers: Browsers) -> None:
    headers = {"Authorization": f"Bearer {kefu_server.login()}"}
    me = requests.get(kefu_server.url("/api/v1/auth/me"), headers=headers, timeout=10).json()
    bot = requests.get(kefu_server.url("/api/v1/bot"), headers=headers, timeout=10).json()
    requests.patch(kefu_server.url("/api/v1/bot"), headers=headers, json={"enabled": False}, timeout=10)
    requests.patch(kefu_server.url(f"/api/v1/agents/{me['id']}"), headers=headers, json={"availability": "offline"}, timeout=10)
    name = f"li-{secrets.token_hex(3)}"
    agent = requests.post(kefu_server.url("/api/v1/agents"), headers=headers, timeout=10,
                          json={"email": f"{name}@kefu.test", "name": name, "password": "longenough-123"})
    assert agent.status_code == 201, agent.text
    agent_id = agent.json()["id"]
    try:
        # Nobody is online: the customer waits in the queue.
        session = requests.post(kefu_server.url("/widget/v1/sessions"), json={"inboxToken": kefu_server.demo_inbox_token()}, timeout=10).json()
        sent = requests.post(kefu_server.url("/widget/v1/messages"), json={"text": f"我的 USDT 提现还没到账 {secrets.token_hex(3)}"}, timeout=10,
                             headers={"Authorization": f"Bearer {session['visitorToken']}"})
        assert sent.status_code == 201, sent.text
        conversation = sent.json()["conversationId"]
        status = requests.get(kefu_server.url(f"/widget/v1/status?inboxToken={kefu_server.demo_inbox_token()}"), timeout=10,
                              headers={"Authorization": f"Bearer {session['visitorToken']}"}).json()
        assert status["queuePosition"] >= 1, status

        # A customer in the widget is told their place in line, in their language.
        visitor = browsers.open(language="zh-CN")
        visitor.get(kefu_server.url("/demo"))
        open_widget(visitor)
        widget_send(visitor, "请问我的充值什么时候到账")
        notice = wait_for(visitor, lambda d: widget_root(d).find_element(By.CSS_SELECTOR, ".notice").get_attribute("data-queue") or False,
                          message="the widget did not show the customer's place in the queue")
        text = widget_root(visitor).find_element(By.CSS_SELECTOR, ".notice").text
        assert f"第 {notice} 位" in text, text
        screenshot(visitor, "widget-queue-zh")

        admin = browsers.open(language="zh-CN")
        login(admin, kefu_server)
        admin.find_element(By.ID, "routing-link").click()
        row = wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, f"#queue-list tr[data-id='{conversation}']"),
                       message="the waiting conversation is not in the queue")[0]
        assert admin.find_element(By.TAG_NAME, "h1").text == "会话分配与排队"
        assert "无人在线" in row.find_element(By.CSS_SELECTOR, ".queue-reason").text
        assert "Website chat" in row.text
        before = row.find_element(By.CSS_SELECTOR, ".queue-waited").text
        wait_for(admin, lambda d: d.find_element(By.CSS_SELECTOR, f"#queue-list tr[data-id='{conversation}'] .queue-waited").text != before,
                 timeout=5, message="the waiting time does not move")
        screenshot(admin, "console-routing-zh")

        agent_row = admin.find_element(By.CSS_SELECTOR, f"#agent-list tr[data-id='{agent_id}']")
        for selector, value in [(".agent-languages", "zh, en"), (".agent-skills", "提现, NFT"), (".agent-capacity", "8")]:
            field = agent_row.find_element(By.CSS_SELECTOR, selector)
            field.clear()
            field.send_keys(value)
        agent_row.find_element(By.CSS_SELECTOR, ".agent-save").click()
        assert name in wait_for(admin, lambda d: shown(d, "routing-status"), message="saving the agent was not confirmed").text
        saved = requests.get(kefu_server.url("/api/v1/agents"), headers=headers, timeout=10).json()["items"]
        saved = next(a for a in saved if a["id"] == agent_id)
        assert saved["languages"] == ["zh", "en"] and saved["skills"] == ["提现", "NFT"] and saved["capacity"] == 8, saved

        # A mistake is explained: a capacity out of range.
        capacity = admin.find_element(By.CSS_SELECTOR, f"#agent-list tr[data-id='{agent_id}'] .agent-capacity")
        capacity.clear()
        capacity.send_keys("500")
        admin.find_element(By.CSS_SELECTOR, f"#agent-list tr[data-id='{agent_id}'] .agent-save").click()
        assert "100" in wait_for(admin, lambda d: shown(d, "routing-error"), message="a bad capacity showed no error").text

        grace = admin.find_element(By.ID, "grace-seconds")
        grace.clear()
        grace.send_keys("90")
        admin.find_element(By.ID, "grace-save").click()
        assert "90" in wait_for(admin, lambda d: shown(d, "routing-status") if "90" in d.find_element(By.ID, "routing-status").text else False,
                                message="the grace period was not confirmed").text
        assert requests.get(kefu_server.url("/api/v1/routing"), headers=headers, timeout=10).json()["graceSeconds"] == 90

        english = browsers.open(language="en-US")
        login(english, kefu_server)
        english.get(kefu_server.url("/console/routing"))
        row = wait_for(english, lambda d: d.find_elements(By.CSS_SELECTOR, f"#queue-list tr[data-id='{conversation}']"),
                       message="the English page does not list the waiting conversation")[0]
        assert english.find_element(By.TAG_NAME, "h1").text == "Routing and the queue"
        assert "nobody is online" in row.text
        screenshot(english, "console-routing-en")

        # The agent comes online: the conversation leaves the queue for them.
        token = requests.post(kefu_server.url("/api/v1/auth/login"), json={"email": f"{name}@kefu.test", "password": "longenough-123"}, timeout=10).json()["token"]
        requests.patch(kefu_server.url(f"/api/v1/agents/{agent_id}"), headers={"Authorization": f"Bearer {token}"}, json={"availability": "online"}, timeout=10)
        wait_for(english, lambda d: not d.find_elements(By.CSS_SELECTOR, f"#queue-list tr[data-id='{conversation}']"), timeout=20,
                 message="the conversation stayed in the queue after an agent came online")
        taken = requests.get(kefu_server.url(f"/api/v1/conversations/{conversation}"), headers=headers, timeout=10).json()
        assert taken["assigneeId"] == agent_id
        requests.patch(kefu_server.url(f"/api/v1/agents/{agent_id}"), headers={"Authorization": f"Bearer {token}"}, json={"availability": "offline"}, timeout=10)
    finally:
        requests.patch(kefu_server.url("/api/v1/routing"), headers=headers, json={"graceSeconds": 300}, timeout=10)
        requests.patch(kefu_server.url("/api/v1/bot"), headers=headers, json={"enabled": bot.get("enabled", True)}, timeout=10)


def test_an_admin_adds_a_team_and_its_members(kefu_server: KefuServer, browsers: Browsers) -> None:
    headers = {"Authorization": f"Bearer {kefu_server.login()}"}
    name = f"mei-{secrets.token_hex(3)}"
    agent = requests.post(kefu_server.url("/api/v1/agents"), headers=headers, timeout=10,
                          json={"email": f"{name}@kefu.test", "name": name, "password": "longenough-123"})
    assert agent.status_code == 201, agent.text
    team_name = f"提现 {secrets.token_hex(2)}"
    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    admin.get(kefu_server.url("/console/routing"))
    wait_for(admin, lambda d: d.find_elements(By.ID, "team-form"), message="the routing page did not load")
    admin.find_element(By.ID, "team-name").send_keys(team_name)
    admin.find_element(By.ID, "team-description").send_keys("提现和到账问题")
    admin.find_element(By.ID, "team-create").click()
    row = wait_for(admin, lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "#team-list tr") if team_name in r.text), False),
                   message="the new team is not listed")
    assert "提现和到账问题" in row.text
    box = next(b for b in row.find_elements(By.CSS_SELECTOR, "input.team-member") if b.get_attribute("value") == agent.json()["id"])
    box.click()
    row.find_element(By.CSS_SELECTOR, ".team-save").click()
    assert team_name in wait_for(admin, lambda d: shown(d, "routing-status"), message="saving the team was not confirmed").text
    team = next(t for t in requests.get(kefu_server.url("/api/v1/teams"), headers=headers, timeout=10).json()["items"] if t["name"] == team_name)
    assert team["agentIds"] == [agent.json()["id"]] and team["description"] == "提现和到账问题"

    # A name another team has is explained.
    admin.find_element(By.ID, "team-name").send_keys(team_name)
    admin.find_element(By.ID, "team-create").click()
    assert wait_for(admin, lambda d: shown(d, "routing-error"), message="a duplicate team name showed no error").text
    screenshot(admin, "console-teams-zh")
