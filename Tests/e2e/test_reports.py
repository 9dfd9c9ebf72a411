"""Reports in a real browser: after a customer's conversation is answered, resolved and
rated, the reports page (Chinese, then English) shows the headline figures with the
previous period beside them, a bar chart of opened and resolved, the table under it, and a
CSV of the same table, service levels per clock and every slice's volumes; an owner sets the
prices and reads the value of service with its assumptions; an agent sees only their own
figures and no value section."""

from __future__ import annotations

import secrets

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import Browsers, login, screenshot, wait_for
from kefu_server import KefuServer


def test_the_reports_page_shows_the_figures_a_chart_and_a_csv(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    headers = {"Authorization": f"Bearer {token}"}
    session = requests.post(kefu_server.url("/widget/v1/sessions"), json={"inboxToken": kefu_server.demo_inbox_token(), "locale": "zh-Hans"}, timeout=10).json()
    visitor = {"Authorization": f"Bearer {session['visitorToken']}"}
    sent = requests.post(kefu_server.url("/widget/v1/messages"), headers=visitor, json={"text": f"提现 {secrets.token_hex(3)} 还没到账，我要人工"}, timeout=10)
    conversation_id = sent.json()["conversationId"]
    requests.post(kefu_server.url(f"/api/v1/conversations/{conversation_id}/messages"), headers=headers, json={"text": "已为您补发。"}, timeout=10)
    requests.patch(kefu_server.url(f"/api/v1/conversations/{conversation_id}"), headers=headers, json={"status": "resolved"}, timeout=10)
    requests.post(kefu_server.url("/widget/v1/survey"), headers=visitor, json={"rating": 5}, timeout=10)
    # The rollups catch up within seconds.
    def rated() -> bool:
        report = requests.get(kefu_server.url("/api/v1/reports/overview"), headers=headers, timeout=10).json()
        return report["totals"]["rated"] >= 1 and report["totals"]["resolved"] >= 1

    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    wait_for(admin, lambda d: rated(), timeout=30, message="the rollups did not catch up")
    admin.find_element(By.ID, "reports-link").click()
    wait_for(admin, lambda d: d.find_element(By.TAG_NAME, "h1").text == "报表", message="the reports page did not open")
    card = wait_for(admin, lambda d: [c for c in d.find_elements(By.CSS_SELECTOR, "#report-cards .report-card") if c.get_attribute("data-metric") == "resolved"],
                    message="the headline cards are missing")[0]
    assert "已解决" in card.text and "上期" in card.text, card.text
    csat = next(c for c in admin.find_elements(By.CSS_SELECTOR, "#report-cards .report-card") if c.get_attribute("data-metric") == "csat")
    assert "%" in csat.find_element(By.CSS_SELECTOR, ".value").text, csat.text
    bars = admin.find_elements(By.CSS_SELECTOR, "#report-chart svg rect.resolved")
    assert bars and any(float(b.get_attribute("data-value")) >= 1 for b in bars)
    rows = admin.find_elements(By.CSS_SELECTOR, "#report-rows tr")
    assert len(rows) >= 7 and sum(int(r.find_element(By.CSS_SELECTOR, ".resolved").text.replace(",", "")) for r in rows) >= 1
    agent_rows = wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "#report-agent-rows tr"), message="the agents table is missing")
    assert any(int(r.find_element(By.CSS_SELECTOR, ".replies").text.replace(",", "")) >= 1 for r in agent_rows)
    screenshot(admin, "console-reports-zh")

    # Every slice's volumes: the widget channel holds at least this conversation.
    slices = wait_for(admin, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#report-slice-rows tr") if r.get_attribute("data-dim") == "channel"],
                      message="the slices table has no channel row")
    assert any("渠道" in r.text and int(r.find_element(By.CSS_SELECTOR, ".opened").text.replace(",", "")) >= 1 for r in slices), [r.text for r in slices]
    assert admin.find_element(By.ID, "report-sla-section").is_displayed()

    # The answer bot's figures beside the range before, with their own CSV.
    bot_rows = wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "#report-bot-rows tr"), message="the bot table is missing")
    figures = [r.get_attribute("data-figure") for r in bot_rows]
    assert figures[:6] == ["engaged", "answers", "resolved", "deflected", "deflection_rate", "handed_over"] and figures[-1] == "precision", figures
    assert "分流率" in admin.find_element(By.ID, "report-bot-section").text
    handed = next(r for r in bot_rows if r.get_attribute("data-figure") == "handed_over")
    assert int(handed.find_element(By.CSS_SELECTOR, ".now").text.replace(",", "")) >= 1, "the customer asked for a person: a handoff"
    assert any(f.startswith("reason_") for f in figures), figures
    bot_csv = requests.get(admin.find_element(By.ID, "report-bot-csv").get_attribute("href"), headers=headers, timeout=10)
    assert bot_csv.status_code == 200 and bot_csv.text.startswith("period,bot_engaged,bot_answers,bot_resolved,deflected"), bot_csv.text[:200]

    # The value of service: prices saved, the figures computed from them, every assumption stated.
    value = admin.find_element(By.ID, "report-value-section")
    assert "客服价值" in value.text and len(admin.find_elements(By.CSS_SELECTOR, "#value-assumptions li")) == 5
    for field, amount in [("value-agent-hour", "120"), ("value-bot-answer", "0.3"), ("value-retained", "500")]:
        box = admin.find_element(By.ID, field)
        box.clear()
        box.send_keys(amount)
    currency = admin.find_element(By.ID, "value-currency")
    currency.clear()
    currency.send_keys("元")
    admin.find_element(By.ID, "value-save").click()
    error = wait_for(admin, lambda d: (e := d.find_element(By.ID, "value-error")).is_displayed() and e, message="a bad currency was not refused")
    assert "ISO 4217" in error.text, error.text
    currency.clear()
    currency.send_keys("CNY")
    admin.find_element(By.ID, "value-save").click()
    wait_for(admin, lambda d: d.find_element(By.ID, "value-saved").text == "已保存。", message="the prices were not saved")
    prices = requests.get(kefu_server.url("/api/v1/value-settings"), headers=headers, timeout=10).json()
    assert prices == {"currency": "CNY", "agentHourCost": 120, "botAnswerCost": 0.3, "retainedCustomerValue": 500}, prices
    cost = wait_for(admin, lambda d: [c for c in d.find_elements(By.CSS_SELECTOR, "#value-cards .report-card") if c.get_attribute("data-metric") == "cost_per_resolution"],
                    message="the value cards are missing")[0]
    assert "每次解决的成本" in cost.text and ("¥" in cost.text or "CN" in cost.text), cost.text
    bands = [r.get_attribute("data-band") for r in admin.find_elements(By.CSS_SELECTOR, "#value-retention-rows tr")]
    assert bands[:4] == ["all", "good", "bad", "unrated"] and "under_5m" in bands, bands
    value_csv = requests.get(admin.find_element(By.ID, "value-csv").get_attribute("href"), headers=headers, timeout=10)
    assert value_csv.status_code == 200 and value_csv.text.startswith("figure,value,previous,currency"), value_csv.text
    screenshot(admin, "console-reports-value-zh")

    # By week: fewer, wider periods; the CSV link gives the same table.
    Select(admin.find_element(By.ID, "report-period")).select_by_value("week")
    wait_for(admin, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#report-rows tr")) <= 2, message="grouping by week did not apply")
    csv_url = admin.find_element(By.ID, "report-csv").get_attribute("href")
    csv = requests.get(csv_url, headers=headers, timeout=10)
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv"), csv.text
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith("period,opened,reopened,resolved") and len(lines) >= 2, lines

    english = browsers.open(language="en-US")
    login(english, kefu_server)
    english.get(kefu_server.url("/console/reports?lang=en"))
    wait_for(english, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Reports", message="the English page did not open")
    wait_for(english, lambda d: "First-contact resolution" in d.find_element(By.ID, "report-cards").text, message="the English cards are missing")
    assert "Value of service" in english.find_element(By.ID, "report-value-section").text
    assert "Service levels" in english.find_element(By.ID, "report-sla-section").text
    wait_for(english, lambda d: "Confirmed precision" in d.find_element(By.ID, "report-bot-section").text, message="the English bot table is missing")
    screenshot(english, "console-reports-en")

    # An agent's reports are their own.
    name = f"rep-{secrets.token_hex(3)}"
    requests.post(kefu_server.url("/api/v1/agents"), headers=headers, timeout=10, json={"email": f"{name}@kefu.test", "name": name, "password": "longenough-123"})
    agent = browsers.open(language="en-US")
    login(agent, kefu_server, email=f"{name}@kefu.test", password="longenough-123")
    agent.get(kefu_server.url("/console/reports?lang=en"))
    scope = wait_for(agent, lambda d: (s := d.find_element(By.ID, "report-scope")).text and s, message="the scope line is missing")
    assert "Your own figures" in scope.text, scope.text
    assert not agent.find_elements(By.ID, "report-slice")
    assert not agent.find_elements(By.ID, "report-value-section"), "the value of service is for owners and admins"
    assert not agent.find_element(By.ID, "report-bot-section").is_displayed(), "an agent's own slice has no bot figures"
    resolved = next(c for c in agent.find_elements(By.CSS_SELECTOR, "#report-cards .report-card") if c.get_attribute("data-metric") == "resolved")
    assert resolved.find_element(By.CSS_SELECTOR, ".value").text == "0", resolved.text
