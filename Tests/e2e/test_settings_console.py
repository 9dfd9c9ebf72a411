"""The console's settings area in a real browser, in Chinese and English: one navigation
across every settings page; an admin adds an agent who signs in and changes their password;
sets up an inbox (snippet, who answers, business hours, the reply times the widget
promises); makes and revokes an API token; and points the desk at a blockchain node."""

from __future__ import annotations

import secrets

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import Browsers, login, open_widget, screenshot, wait_for, widget_root
from kefu_server import KefuServer

SECTIONS = ["agents", "inboxes", "routing", "schedules", "sla", "feedback", "complaints", "canned", "macros", "glossary", "webhooks", "tokens", "channels", "chain", "kb"]


def shown(driver, element_id: str):
    element = driver.find_element(By.ID, element_id)
    return element if element.is_displayed() and element.text else False


def api(server: KefuServer, token: str, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, server.url(path), headers={"Authorization": f"Bearer {token}"}, timeout=10, **kwargs)


def test_every_settings_page_is_one_click_away_in_both_languages(kefu_server: KefuServer, browsers: Browsers) -> None:
    for language, title, agents in [("zh-CN", "设置", "客服"), ("en-US", "Settings", "Agents")]:
        driver = browsers.open(language=language)
        login(driver, kefu_server)
        driver.find_element(By.ID, "settings-link").click()
        wait_for(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text == title, message=f"the settings page did not open in {language}")
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".settings-cards a")]
        assert [link.rsplit("/", 1)[-1] for link in links] == SECTIONS
        screenshot(driver, f"console-settings-{language[:2]}")
        nav = driver.find_element(By.CSS_SELECTOR, ".settings-nav")
        nav.find_element(By.LINK_TEXT, agents).click()
        wait_for(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text == agents, message="the agents page did not open from the navigation")
        current = driver.find_element(By.CSS_SELECTOR, ".settings-nav a[aria-current='page']")
        assert current.text == agents
        # Every page of the area answers for a signed-in admin, with the navigation on it.
        for section in SECTIONS[:-1]:
            driver.get(kefu_server.url(f"/console/{section}"))
            assert driver.find_elements(By.CSS_SELECTOR, ".settings-nav a[aria-current='page']"), section
            assert driver.find_element(By.TAG_NAME, "h1").text, section


def test_an_admin_adds_an_agent_who_signs_in_and_changes_their_password(kefu_server: KefuServer, browsers: Browsers) -> None:
    admin = browsers.open(language="en-US")
    login(admin, kefu_server)
    admin.get(kefu_server.url("/console/agents"))
    wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "#agent-list tr"), message="the agents are not listed")
    name = f"Wang {secrets.token_hex(2)}"
    email = f"wang-{secrets.token_hex(3)}@kefu.test"
    admin.find_element(By.ID, "invite-name").send_keys(name)
    admin.find_element(By.ID, "invite-email").send_keys(email)
    password = admin.find_element(By.ID, "invite-password").get_attribute("value")
    assert len(password) >= 12, "no temporary password was suggested"
    admin.find_element(By.ID, "invite-send").click()
    result = wait_for(admin, lambda d: shown(d, "invite-result"), message="adding the agent was not confirmed")
    assert email in result.text and password in result.text, result.text
    row = wait_for(admin, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#agent-list tr") if name in r.text], message="the new agent is not listed")[0]
    assert Select(row.find_element(By.CSS_SELECTOR, ".agent-role")).first_selected_option.text == "Agent"
    screenshot(admin, "console-agents-en")

    # The same address twice is explained, not a blank failure.
    admin.find_element(By.ID, "invite-name").send_keys(name)
    admin.find_element(By.ID, "invite-email").send_keys(email)
    admin.find_element(By.ID, "invite-send").click()
    assert "already exists" in wait_for(admin, lambda d: shown(d, "agents-error"), message="a duplicate email showed no error").text

    # The new agent signs in in Chinese, sees no admin forms, and changes their password.
    agent = browsers.open(language="zh-CN")
    login(agent, kefu_server, email=email, password=password)
    agent.get(kefu_server.url("/console/agents"))
    wait_for(agent, lambda d: d.find_elements(By.CSS_SELECTOR, "#agent-list tr"), message="the agent does not see the team")
    assert agent.find_element(By.TAG_NAME, "h1").text == "客服"
    assert not agent.find_elements(By.ID, "invite-form")
    mine = [r for r in agent.find_elements(By.CSS_SELECTOR, "#agent-list tr") if name in r.text][0]
    assert "你" in mine.text
    assert mine.find_element(By.CSS_SELECTOR, ".agent-role").get_attribute("disabled") is not None
    new_password = f"new-{secrets.token_hex(8)}"
    agent.find_element(By.ID, "password-new").send_keys(new_password)
    agent.find_element(By.ID, "password-repeat").send_keys(new_password + "x")
    agent.find_element(By.ID, "password-save").click()
    assert "不一致" in wait_for(agent, lambda d: shown(d, "agents-error"), message="different passwords showed no error").text
    agent.find_element(By.ID, "password-repeat").clear()
    agent.find_element(By.ID, "password-repeat").send_keys(new_password)
    agent.find_element(By.ID, "password-save").click()
    assert "已修改" in wait_for(agent, lambda d: shown(d, "agents-status"), message="changing the password was not confirmed").text
    screenshot(agent, "console-agents-zh")
    assert requests.post(kefu_server.url("/api/v1/auth/login"), json={"email": email, "password": password}, timeout=10).status_code == 401
    token = kefu_server.login(email=email, password=new_password)

    # The admin makes the agent an admin; the agent's next request carries the new role.
    row = [r for r in admin.find_elements(By.CSS_SELECTOR, "#agent-list tr") if name in r.text][0]
    Select(row.find_element(By.CSS_SELECTOR, ".agent-role")).select_by_value("admin")
    row.find_element(By.CSS_SELECTOR, ".agent-save").click()
    wait_for(admin, lambda d: shown(d, "agents-status"), message="the role change was not confirmed")
    assert api(kefu_server, token, "GET", "/api/v1/auth/me").json()["role"] == "admin"


def test_an_admin_sets_up_an_inbox_and_the_widget_says_what_they_wrote(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    always = api(kefu_server, token, "POST", "/api/v1/schedules", json={
        "name": f"全天 {secrets.token_hex(2)}", "timeZone": "Asia/Shanghai",
        "weekly": {day: [["00:00", "24:00"]] for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}})
    assert always.status_code == 201, always.text
    me = api(kefu_server, token, "GET", "/api/v1/auth/me").json()

    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    admin.get(kefu_server.url("/console/inboxes"))
    name = f"官网聊天 {secrets.token_hex(2)}"
    wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, ".inbox-card"), message="the inboxes are not listed")
    admin.find_element(By.ID, "inbox-name").send_keys(name)
    admin.find_element(By.ID, "inbox-create").click()
    assert name in wait_for(admin, lambda d: shown(d, "inboxes-status"), message="adding the inbox was not confirmed").text
    created = next(i for i in api(kefu_server, token, "GET", "/api/v1/inboxes").json()["items"] if i["name"] == name)
    card = lambda d: d.find_element(By.CSS_SELECTOR, f".inbox-card[data-id='{created['id']}']")  # noqa: E731

    snippet = card(admin).find_element(By.CSS_SELECTOR, ".inbox-snippet").get_attribute("value")
    assert snippet == f'<script src="{kefu_server.base_url}/widget.js" data-inbox="{created["publicToken"]}" async></script>', snippet
    card(admin).find_element(By.CSS_SELECTOR, ".inbox-copy").click()
    wait_for(admin, lambda d: card(d).find_element(By.CSS_SELECTOR, ".inbox-copy").text == "已复制", message="copying was not confirmed")

    # A mistake is explained and nothing is saved.
    minutes = card(admin).find_element(By.CSS_SELECTOR, ".reply-offline-minutes")
    minutes.clear()
    minutes.send_keys("20000")
    card(admin).find_element(By.CSS_SELECTOR, ".inbox-save").click()
    assert "10080" in wait_for(admin, lambda d: shown(d, "inboxes-error"), message="an out-of-range reply time showed no error").text
    assert api(kefu_server, token, "GET", f"/api/v1/inboxes/{created['id']}").json()["expectedReply"]["offlineMinutes"] == 240

    minutes = card(admin).find_element(By.CSS_SELECTOR, ".reply-offline-minutes")
    minutes.clear()
    minutes.send_keys("90")
    said = "我们的客服马上就来，请稍候"
    for selector in (".reply-online-zh", ".reply-offline-zh"):
        card(admin).find_element(By.CSS_SELECTOR, selector).send_keys(said)
    card(admin).find_element(By.CSS_SELECTOR, ".reply-online-en").send_keys("A person will be with you shortly")
    Select(card(admin).find_element(By.CSS_SELECTOR, ".inbox-schedule")).select_by_value(always.json()["id"])
    for box in card(admin).find_elements(By.CSS_SELECTOR, ".inbox-member"):
        if box.get_attribute("value") == me["id"]:
            box.click()
    card(admin).find_element(By.CSS_SELECTOR, ".inbox-save").click()
    wait_for(admin, lambda d: shown(d, "inboxes-status"), message="saving the inbox was not confirmed")
    saved = api(kefu_server, token, "GET", f"/api/v1/inboxes/{created['id']}").json()
    assert saved["expectedReply"] == {"onlineMinutes": 5, "offlineMinutes": 90,
                                      "onlineText": {"en": "A person will be with you shortly", "zh-Hans": said},
                                      "offlineText": {"zh-Hans": said}}, saved
    assert saved["scheduleId"] == always.json()["id"] and saved["agentIds"] == [me["id"]], saved
    screenshot(admin, "console-inboxes-zh")

    # The customer's widget says the team's own words, in the customer's language.
    status = requests.get(kefu_server.url(f"/widget/v1/status?inboxToken={created['publicToken']}&locale=en"), timeout=10).json()
    assert status.get("expectedReplyText") == ("A person will be with you shortly" if status["agentsOnline"] else None), status
    visitor = browsers.open(language="zh-CN")
    visitor.get(kefu_server.url("/health"))
    visitor.execute_script(
        "const s = document.createElement('script'); s.src = arguments[0]; s.dataset.inbox = arguments[1]; s.dataset.locale = 'zh';"
        "document.body.append(s);", kefu_server.url("/widget.js"), created["publicToken"])
    open_widget(visitor)
    wait_for(visitor, lambda d: said in widget_root(d).find_element(By.CSS_SELECTOR, ".notice").text,
             message="the widget did not say the inbox's own reply-time sentence")

    # Back to the workspace's default hours.
    Select(card(admin).find_element(By.CSS_SELECTOR, ".inbox-schedule")).select_by_value("")
    card(admin).find_element(By.CSS_SELECTOR, ".inbox-save").click()
    wait_for(admin, lambda d: api(kefu_server, token, "GET", f"/api/v1/inboxes/{created['id']}").json().get("scheduleId") is None,
             message="the inbox still follows the schedule")
    # Other tests start from a workspace without schedules.
    assert api(kefu_server, token, "DELETE", f"/api/v1/schedules/{always.json()['id']}").status_code == 204


def test_an_admin_makes_an_api_token_sees_it_once_and_revokes_it(kefu_server: KefuServer, browsers: Browsers) -> None:
    admin = browsers.open(language="en-US")
    login(admin, kefu_server)
    admin.get(kefu_server.url("/console/tokens"))
    name = f"Order system {secrets.token_hex(2)}"
    admin.find_element(By.ID, "token-name").send_keys(name)
    admin.find_element(By.ID, "token-create").click()
    value = wait_for(admin, lambda d: shown(d, "token-value"), message="the new token was not shown").text
    assert api(kefu_server, value, "GET", "/api/v1/agents").status_code == 200
    row = wait_for(admin, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#token-list tr") if name in r.text], message="the token is not listed")[0]
    assert value not in row.text and value[:8] in row.text
    admin.find_element(By.ID, "token-copy").click()
    wait_for(admin, lambda d: d.find_element(By.ID, "token-copy").text == "Copied", message="copying was not confirmed")
    screenshot(admin, "console-tokens-en")

    # Once the page is left, the token is gone from it for good.
    admin.get(kefu_server.url("/console/tokens?lang=zh-Hans"))
    row = wait_for(admin, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#token-list tr") if name in r.text], message="the token is not listed in Chinese")[0]
    assert admin.find_element(By.TAG_NAME, "h1").text == "API 令牌"
    assert value not in admin.page_source
    assert "从未使用" not in row.find_element(By.CSS_SELECTOR, ".token-used").text, "the token's use was not recorded"
    row.find_element(By.CSS_SELECTOR, ".token-revoke").click()
    admin.switch_to.alert.accept()
    assert name in wait_for(admin, lambda d: shown(d, "tokens-status"), message="revoking was not confirmed").text
    assert not [r for r in admin.find_elements(By.CSS_SELECTOR, "#token-list tr") if name in r.text]
    assert api(kefu_server, value, "GET", "/api/v1/agents").status_code == 401


def test_an_admin_points_the_desk_at_a_node_and_its_password_is_never_shown(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    api(kefu_server, token, "DELETE", "/api/v1/chain-endpoints/tron")
    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    admin.get(kefu_server.url("/console/chain"))
    section = lambda d: d.find_element(By.CSS_SELECTOR, ".chain-endpoint[data-chain='tron']")  # noqa: E731
    assert admin.find_element(By.TAG_NAME, "h1").text == "区块链节点"
    assert not section(admin).find_element(By.CSS_SELECTOR, ".chain-current").is_displayed()

    section(admin).find_element(By.CSS_SELECTOR, ".chain-name").send_keys("自建 TRON 节点")
    section(admin).find_element(By.CSS_SELECTOR, ".chain-url").send_keys("ftp://127.0.0.1:8090")
    section(admin).find_element(By.CSS_SELECTOR, ".chain-save").click()
    assert "http" in wait_for(admin, lambda d: shown(d, "chain-error"), message="a bad node URL showed no error").text

    section(admin).find_element(By.CSS_SELECTOR, ".chain-url").clear()
    section(admin).find_element(By.CSS_SELECTOR, ".chain-url").send_keys("http://desk:s3cret-pass@127.0.0.1:8090")
    section(admin).find_element(By.CSS_SELECTOR, ".chain-save").click()
    current = wait_for(admin, lambda d: section(d).find_element(By.CSS_SELECTOR, ".chain-current") if section(d).find_element(By.CSS_SELECTOR, ".chain-current").is_displayed() else False,
                       message="the saved node is not shown")
    assert "自建 TRON 节点" in current.text and "127.0.0.1:8090" in current.text
    admin.refresh()
    wait_for(admin, lambda d: section(d).find_element(By.CSS_SELECTOR, ".chain-current").is_displayed(), message="the node is not shown after a reload")
    assert "s3cret-pass" not in admin.page_source
    screenshot(admin, "console-chain-zh")

    section(admin).find_element(By.CSS_SELECTOR, ".chain-remove").click()
    wait_for(admin, lambda d: shown(d, "chain-status"), message="removing the node was not confirmed")
    assert all(e["chain"] != "tron" for e in api(kefu_server, token, "GET", "/api/v1/chain-endpoints").json()["items"])
