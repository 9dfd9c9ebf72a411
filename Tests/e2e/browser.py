"""Headless Chromium for the browser tests: Debian's chromium driven by its
chromedriver, one fresh profile per window."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from kefu_server import REPO, KefuServer

# Not committed (see .gitignore); KEFU_SCREENSHOTS moves it.
SCREENSHOTS = Path(os.environ.get("KEFU_SCREENSHOTS") or REPO / "screenshots" / "e2e")


class Browsers:
    def __init__(self, server: KefuServer) -> None:
        self.server = server
        self.drivers: list[WebDriver] = []

    def open(self, *, language: str = "en-US", width: int = 1400, height: int = 900) -> WebDriver:
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            f"--window-size={width},{height}",
            f"--lang={language}",
        ):
            options.add_argument(argument)
        options.add_experimental_option("prefs", {"intl.accept_languages": language})
        driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        driver.set_page_load_timeout(30)
        self.drivers.append(driver)
        return driver

    def close_all(self) -> None:
        for driver in self.drivers:
            try:
                driver.quit()
            except Exception:  # noqa: BLE001 - a dead browser is already closed
                pass
        self.drivers.clear()


def wait_for(driver: WebDriver, condition: Callable[[WebDriver], Any], timeout: float = 10, message: str = "") -> Any:
    # A page that re-renders a list between finding an element and reading it is still
    # on its way to the state waited for: look again.
    return WebDriverWait(driver, timeout, poll_frequency=0.05,
                         ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(condition, message)


def screenshot(driver: WebDriver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def login(driver: WebDriver, server: KefuServer, email: str | None = None, password: str | None = None) -> None:
    driver.get(server.url("/console"))
    driver.find_element(By.ID, "login-email").send_keys(email or server.admin_email)
    driver.find_element(By.ID, "login-password").send_keys(password or server.admin_password)
    driver.find_element(By.ID, "login-submit").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#views .view"), message="the console did not load after sign-in")


def widget_root(driver: WebDriver):
    host = wait_for(driver, lambda d: d.find_elements(By.ID, "kefu-widget"), message="the widget did not mount")[0]
    return host.shadow_root


def open_widget(driver: WebDriver) -> Any:
    root = widget_root(driver)
    root.find_element(By.CSS_SELECTOR, ".launcher").click()
    skip = root.find_elements(By.CSS_SELECTOR, ".prechat .skip")
    if skip and skip[0].is_displayed():
        skip[0].click()
    return root


def widget_send(driver: WebDriver, text: str) -> None:
    root = widget_root(driver)
    box = root.find_element(By.CSS_SELECTOR, "form:not(.prechat) textarea")
    # Typed through the DOM: send_keys would press Enter inside multi-line text.
    driver.execute_script("arguments[0].value = arguments[1]", box, text)
    root.find_element(By.CSS_SELECTOR, "button.send").click()
    wait_for(driver, lambda d: any(li.text.endswith(text.splitlines()[-1]) for li in widget_root(d).find_elements(By.CSS_SELECTOR, "li.me")),
             message="the widget did not show the sent message")


def wait_list_item(driver: WebDriver, text: str, timeout: float = 10):
    def find(d: WebDriver):
        for item in d.find_elements(By.CSS_SELECTOR, ".conversation-item"):
            if text in item.find_element(By.CSS_SELECTOR, ".preview").text:
                return item
        return False

    return wait_for(driver, find, timeout, message=f"no conversation showing {text!r} in the list")


def elapsed_since(start: float) -> float:
    return time.monotonic() - start


def conversation_by_text(server: KefuServer, headers: dict[str, str], text: str) -> dict[str, Any] | None:
    """The conversation the desk's search finds for `text` (a test's unique marker), or None yet."""
    found = requests.get(server.url(f"/api/v1/search/conversations?q={text}"), headers=headers, timeout=10).json()
    items = found.get("items") or []
    return items[0] if items else None
