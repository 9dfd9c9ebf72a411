"""The webhooks settings page in a real browser, in Chinese and English: an admin adds a
webhook and sees its secret once, switches it off and on again, reads its deliveries, and
deletes it."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from browser import Browsers, login, screenshot, wait_for
from kefu_server import KefuServer


def row_with(driver, text: str):
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "#webhook-list tr") if text in r.text]
    return rows[0] if rows else None


def click(driver, text: str, selector: str) -> None:
    """Clicks a button in the row, finding the row again if the list re-rendered meanwhile."""
    def press(d):
        row = row_with(d, text)
        if row is None:
            return False
        row.find_element(By.CSS_SELECTOR, selector).click()
        return True
    wait_for(driver, press, message=f"no {selector} button in the row of {text}")


def test_admin_manages_webhooks_in_the_console(kefu_server: KefuServer, browsers: Browsers) -> None:
    admin = browsers.open(language="zh-CN")
    login(admin, kefu_server)
    admin.find_element(By.ID, "webhooks-link").click()
    wait_for(admin, lambda d: d.find_elements(By.ID, "webhook-form"), message="the webhooks page did not load")
    assert admin.find_element(By.TAG_NAME, "h1").text == "Webhook"
    url = "http://127.0.0.1:9/kefu-events"
    admin.find_element(By.ID, "webhook-url").send_keys(url)
    admin.find_element(By.ID, "webhook-add").click()
    secret = wait_for(admin, lambda d: d.find_element(By.ID, "webhook-secret") if d.find_element(By.ID, "webhook-secret").is_displayed() else False,
                      message="the new webhook's secret was not shown")
    assert "whsec_" in secret.text and "只显示一次" in secret.text
    row = wait_for(admin, lambda d: row_with(d, url), message="the new webhook is not listed")
    assert "正常" in row.text
    screenshot(admin, "console-webhooks-zh")

    click(admin, url, ".webhook-disable")
    wait_for(admin, lambda d: "已停用" in (row_with(d, url).text if row_with(d, url) else ""), message="switching off did not show")
    click(admin, url, ".webhook-enable")
    wait_for(admin, lambda d: "正常" in (row_with(d, url).text if row_with(d, url) else ""), message="switching on did not show")
    click(admin, url, ".webhook-deliveries")
    wait_for(admin, lambda d: d.find_element(By.ID, "webhook-deliveries").is_displayed(), message="the deliveries did not open")

    english = browsers.open(language="en-US")
    login(english, kefu_server)
    english.get(kefu_server.url("/console/webhooks"))
    wait_for(english, lambda d: row_with(d, url), message="the English page does not list the webhook")
    assert english.find_element(By.TAG_NAME, "h1").text == "Webhooks"
    assert "Active" in row_with(english, url).text
    screenshot(english, "console-webhooks-en")

    click(admin, url, ".webhook-delete")
    wait_for(admin, lambda d: row_with(d, url) is None, message="the webhook was not deleted")


def test_a_bad_url_is_a_readable_error(kefu_server: KefuServer, browsers: Browsers) -> None:
    admin = browsers.open(language="en-US")
    login(admin, kefu_server)
    admin.get(kefu_server.url("/console/webhooks"))
    box = wait_for(admin, lambda d: d.find_element(By.ID, "webhook-url"), message="the webhooks page did not load")
    # The browser's own URL check would stop the form; an ftp URL passes it and the desk explains.
    box.send_keys("ftp://files.example.com/hook")
    admin.find_element(By.ID, "webhook-add").click()
    error = wait_for(admin, lambda d: d.find_element(By.ID, "webhook-error") if d.find_element(By.ID, "webhook-error").is_displayed() else False,
                     message="a bad URL showed no error")
    assert "http" in error.text
