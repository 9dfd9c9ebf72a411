"""Macros in a real browser: an admin builds one on the settings page in Chinese (a canned
reply, a note, a tag, the status), an agent opens a Chinese customer's conversation, picks
it, reads the preview (the reply filled for this customer, each change from → to) and
applies it in one click; the customer receives the reply and the conversation is resolved.
The English page lists the use. A snooze from the conversation's fields shows until when."""

from __future__ import annotations

import secrets

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import conversation_by_text, Browsers, login, open_widget, screenshot, wait_for, widget_root, widget_send
from kefu_server import KefuServer


def test_a_macro_built_on_its_page_previewed_and_applied_in_one_click(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    headers = {"Authorization": f"Bearer {token}"}
    suffix = secrets.token_hex(2)
    canned = requests.post(kefu_server.url("/api/v1/canned-replies"), headers=headers, timeout=10, json={
        "shortcut": f"done{suffix}", "title": "已处理", "scope": "workspace",
        "body": {"zh-Hans": "您好，会话 #{{conversation.number}} 已处理完毕。", "en": "Hi, #{{conversation.number}} is done."}}).json()
    name = f"处理完毕 {suffix}"

    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    admin.get(kefu_server.url("/console/macros?lang=zh-Hans"))
    wait_for(admin, lambda d: d.find_element(By.TAG_NAME, "h1").text == "宏", message="the macros page did not open")
    admin.find_element(By.ID, "macro-name").send_keys(name)
    Select(admin.find_element(By.ID, "macro-scope")).select_by_value("workspace")
    first = admin.find_element(By.CSS_SELECTOR, "#macro-actions li")
    wait_for(admin, lambda d: any(o.get_attribute("value") == canned["id"] for o in first.find_elements(By.CSS_SELECTOR, "select.value option")),
             message="the canned reply is not offered")
    Select(first.find_element(By.CSS_SELECTOR, "select.value")).select_by_value(canned["id"])
    admin.find_element(By.ID, "macro-add-action").click()
    note = admin.find_elements(By.CSS_SELECTOR, "#macro-actions li")[-1]
    note.find_element(By.CSS_SELECTOR, "input.value").send_keys("已核对链上记录")
    admin.find_element(By.ID, "macro-add-action").click()
    tag = admin.find_elements(By.CSS_SELECTOR, "#macro-actions li")[-1]
    Select(tag.find_element(By.CSS_SELECTOR, "select.type")).select_by_value("add_tags")
    tag.find_element(By.CSS_SELECTOR, "input.value").send_keys("已处理")
    admin.find_element(By.ID, "macro-add-action").click()
    status = admin.find_elements(By.CSS_SELECTOR, "#macro-actions li")[-1]
    Select(status.find_element(By.CSS_SELECTOR, "select.type")).select_by_value("status")
    Select(status.find_element(By.CSS_SELECTOR, "select.value")).select_by_value("resolved")
    admin.find_element(By.ID, "macro-save").click()
    row = wait_for(admin, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#macro-list tr") if r.get_attribute("data-name") == name],
                   message="the macro is not listed")[0]
    assert f"回复 /done{suffix}" in row.text and "已解决" in row.text, row.text
    assert row.find_element(By.CSS_SELECTOR, ".uses").text == "0"
    screenshot(admin, "console-macros-zh")

    # A Chinese customer writes; the agent applies the macro from the conversation.
    visitor = browsers.open(language="zh-CN")
    visitor.get(kefu_server.url("/demo"))
    open_widget(visitor)
    marker = secrets.token_hex(3)
    widget_send(visitor, f"提币 {marker} 到账了吗？我要人工")
    found = wait_for(visitor, lambda d: conversation_by_text(kefu_server, headers, marker), message="the conversation was not found")
    number = found["number"]
    admin.get(kefu_server.url(f"/console?lang=zh-Hans#{found['id']}"))
    picker = wait_for(admin, lambda d: (p := d.find_element(By.ID, "f-macro")).is_displayed() and p, message="the macro picker is not shown")
    macro = next(m for m in requests.get(kefu_server.url("/api/v1/macros"), headers=headers, timeout=10).json()["items"] if m["name"] == name)
    wait_for(admin, lambda d: any(o.get_attribute("value") == macro["id"] for o in picker.find_elements(By.TAG_NAME, "option")), message="the macro is not offered")
    Select(picker).select_by_value(macro["id"])
    preview = wait_for(admin, lambda d: (p := d.find_element(By.ID, "macro-preview")).is_displayed() and p.find_elements(By.ID, "macro-apply") and p,
                       message="no preview was shown")
    assert f"会话 #{number} 已处理完毕" in preview.text, preview.text
    assert "已核对链上记录" in preview.text
    changed = {li.get_attribute("data-field"): li.text for li in preview.find_elements(By.CSS_SELECTOR, ".macro-change")}
    assert "已解决" in changed["status"] and "已处理" in changed["tags"], changed
    screenshot(admin, "console-macro-preview-zh")
    # Nothing is written until Apply.
    assert requests.get(kefu_server.url(f"/api/v1/conversations/{found['id']}"), headers=headers, timeout=10).json()["status"] == "open"
    preview.find_element(By.ID, "macro-apply").click()
    wait_for(admin, lambda d: not d.find_element(By.ID, "macro-preview").is_displayed(), message="the preview stayed open")
    wait_for(admin, lambda d: Select(d.find_element(By.ID, "f-status")).first_selected_option.get_attribute("value") == "resolved",
             message="the status field did not show the macro's change")
    wait_for(admin, lambda d: "已应用宏" in d.find_element(By.ID, "timeline").text, message="the timeline does not name the macro")
    wait_for(visitor, lambda d: any(f"#{number} 已处理完毕" in li.text for li in widget_root(d).find_elements(By.CSS_SELECTOR, "li")),
             message="the customer did not receive the macro's reply")
    after = requests.get(kefu_server.url(f"/api/v1/conversations/{found['id']}"), headers=headers, timeout=10).json()
    assert after["status"] == "resolved" and "已处理" in after["tags"], after

    admin.get(kefu_server.url("/console/macros?lang=en"))
    row = wait_for(admin, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#macro-list tr") if r.get_attribute("data-name") == name],
                   message="the macro is not listed in English")[0]
    assert row.find_element(By.CSS_SELECTOR, ".uses").text == "1"
    assert "Everyone" in row.text and "Resolved" in row.text, row.text


def test_snoozing_from_the_conversation_says_until_when(kefu_server: KefuServer, browsers: Browsers) -> None:
    token = kefu_server.login()
    headers = {"Authorization": f"Bearer {token}"}
    visitor = browsers.open(language="en-US")
    visitor.get(kefu_server.url("/demo"))
    open_widget(visitor)
    marker = secrets.token_hex(3)
    widget_send(visitor, f"deposit {marker} still pending, I need a person")
    found = wait_for(visitor, lambda d: conversation_by_text(kefu_server, headers, marker), message="the conversation was not found")

    agent = browsers.open(language="en-US")
    login(agent, kefu_server)
    agent.get(kefu_server.url(f"/console?lang=en#{found['id']}"))
    snooze = wait_for(agent, lambda d: (s := d.find_element(By.ID, "f-snooze")).is_displayed() and s, message="the snooze field is not shown")
    Select(snooze).select_by_value("tomorrow")
    shown = wait_for(agent, lambda d: (s := d.find_element(By.ID, "snoozed-until")).is_displayed() and s, message="the wake time is not shown")
    assert shown.text.startswith("Snoozed until"), shown.text
    after = requests.get(kefu_server.url(f"/api/v1/conversations/{found['id']}"), headers=headers, timeout=10).json()
    assert after["status"] == "snoozed" and after["snoozedUntil"], after
    # Out of the queue, so later tests find theirs where they expect it.
    requests.patch(kefu_server.url(f"/api/v1/conversations/{found['id']}"), headers=headers, timeout=10, json={"status": "resolved"})
