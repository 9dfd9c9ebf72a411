"""The knowledge base in a real browser (headless Chromium): an agent writes an
article and its Chinese translation in the console editor and publishes them; a
visitor finds them in the public help center in both languages, switches
language, and votes."""

from __future__ import annotations

import json
import secrets
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import Browsers, login, screenshot, wait_for
from kefu_server import KefuServer

HOSTILE = "<script>window.__kbXss=1</script> <img src=x onerror=\"window.__kbXss=2\">"


def api_get(server: KefuServer, token: str, path: str) -> dict:
    request = urllib.request.Request(server.url(path), headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def own_articles(kefu_server: KefuServer, admin_token: str) -> Iterator[list[str]]:
    """Words that name the articles a test publishes; those articles are deleted afterwards.
    The server is shared: left published, they would be the answer bot's answers to later
    tests' customers."""
    words: list[str] = []
    yield words
    for word in words:
        for item in api_get(kefu_server, admin_token, "/api/v1/articles?q=" + urllib.parse.quote(word))["items"]:
            request = urllib.request.Request(kefu_server.url(f"/api/v1/articles/{item['id']}"), method="DELETE",
                                             headers={"Authorization": f"Bearer {admin_token}"})
            urllib.request.urlopen(request, timeout=10).close()


def write_article(driver, *, title: str, locale: str, body: str, questions: list[str], translation_of: str | None = None) -> None:
    driver.find_element(By.ID, "kb-new").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "kb-form").is_displayed())
    Select(driver.find_element(By.ID, "kb-locale")).select_by_value(locale)
    if translation_of:
        wait_for(driver, lambda d: any(translation_of in o.text for o in d.find_elements(By.CSS_SELECTOR, "#kb-translation option")),
                 message="the original is not offered as 'translation of'")
        select = Select(driver.find_element(By.ID, "kb-translation"))
        select.select_by_visible_text(next(o.text for o in select.options if translation_of in o.text))
    driver.find_element(By.ID, "kb-title").send_keys(title)
    # Set through the DOM and announced, as typing would: send_keys is slow for long Markdown.
    driver.execute_script(
        "const b = document.getElementById('kb-body'); b.value = arguments[0]; b.dispatchEvent(new Event('input'));", body)
    driver.find_element(By.ID, "kb-questions").send_keys("\n".join(questions))


def test_agent_publishes_and_visitor_finds_votes(kefu_server: KefuServer, browsers: Browsers, admin_token: str,
                                                 own_articles: list[str]) -> None:
    word = "zq" + secrets.token_hex(3)
    own_articles.append(word)
    title_en = f"Staking rewards {word}"
    title_zh = f"质押奖励说明 {word}"

    agent = browsers.open()
    login(agent, kefu_server)
    agent.find_element(By.ID, "kb-link").click()
    wait_for(agent, lambda d: d.find_elements(By.CSS_SELECTOR, "#kb-list li"), message="the editor listed no articles")
    # The demo knowledge base is there from the first start.
    assert any("gas" in li.text.lower() for li in agent.find_elements(By.CSS_SELECTOR, "#kb-list li"))

    body_en = f"## How rewards arrive\n\nRewards for **{word}** arrive every epoch.\n\n- stake\n- wait\n\n{HOSTILE}"
    write_article(agent, title=title_en, locale="en", body=body_en, questions=["When do staking rewards arrive?"])
    wait_for(agent, lambda d: "<strong>" in d.find_element(By.ID, "kb-preview").get_attribute("innerHTML"),
             message="the preview never rendered")
    preview = agent.find_element(By.ID, "kb-preview").get_attribute("innerHTML")
    assert "&lt;script&gt;" in preview and "<img" not in preview
    agent.find_element(By.ID, "kb-publish").click()
    wait_for(agent, lambda d: d.find_element(By.ID, "kb-unpublish").is_displayed(), message="publishing did not finish")
    assert agent.find_element(By.ID, "kb-view-public").is_displayed()
    assert agent.execute_script("return window.__kbXss === undefined")
    screenshot(agent, "kb-editor-published")

    body_zh = f"## 奖励如何到账\n\n**{word}** 的质押奖励每个周期发放一次。"
    write_article(agent, title=title_zh, locale="zh-Hans", body=body_zh, questions=["质押奖励什么时候到账？"], translation_of=title_en)
    agent.find_element(By.ID, "kb-publish").click()
    wait_for(agent, lambda d: d.find_element(By.ID, "kb-unpublish").is_displayed(), message="the translation was not published")
    agent.find_element(By.CSS_SELECTOR, "#kb-revisions-box summary").click()
    wait_for(agent, lambda d: d.find_elements(By.CSS_SELECTOR, "#kb-revisions li"), message="no revision listed")

    articles = api_get(kefu_server, admin_token, f"/api/v1/articles?q={word}")["items"]
    by_locale = {a["locale"]: a for a in articles}
    assert set(by_locale) == {"en", "zh-Hans"}
    assert by_locale["en"]["translationGroup"] == by_locale["zh-Hans"]["translationGroup"]
    assert all(a["status"] == "published" for a in articles)

    # A visitor, in English: search, open, switch language, vote.
    visitor = browsers.open(language="en-US")
    visitor.get(kefu_server.url("/help/demo-wallet"))
    assert visitor.find_element(By.ID, "verify-link").get_attribute("href").endswith("/help/demo-wallet/verify?lang=en")
    screenshot(visitor, "help-home-en")
    visitor.find_element(By.ID, "q").send_keys(f"when do {word} rewards arrive")
    visitor.find_element(By.ID, "search-button").click()
    link = wait_for(visitor, lambda d: [a for a in d.find_elements(By.CSS_SELECTOR, "#results a") if a.text == title_en],
                    message="the English search did not find the new article")[0]
    assert word in visitor.find_element(By.CSS_SELECTOR, "#results .extract").text
    screenshot(visitor, "help-search-en")
    link.click()
    wait_for(visitor, lambda d: d.find_element(By.TAG_NAME, "h1").text == title_en)
    assert visitor.execute_script("return window.__kbXss === undefined")
    assert "<script>" in visitor.find_element(By.CSS_SELECTOR, ".article-body").text
    visitor.find_element(By.ID, "vote-yes").click()
    wait_for(visitor, lambda d: d.find_elements(By.ID, "vote-thanks"), message="no thanks after voting")
    screenshot(visitor, "help-article-voted")
    # Voting again from the same browser does not count twice.
    visitor.get(visitor.current_url.split("?")[0])
    visitor.find_element(By.ID, "vote-yes").click()
    wait_for(visitor, lambda d: d.find_elements(By.ID, "vote-thanks"))
    counted = api_get(kefu_server, admin_token, f"/api/v1/articles/{by_locale['en']['id']}")
    assert counted["helpfulCount"] == 1 and counted["notHelpfulCount"] == 0

    visitor.find_element(By.ID, "lang-switch").click()
    wait_for(visitor, lambda d: d.find_element(By.TAG_NAME, "h1").text == title_zh, message="the switch did not open the translation")
    assert visitor.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"

    # A visitor in Chinese, on a phone-sized screen.
    phone = browsers.open(language="zh-CN", width=390, height=844)
    phone.get(kefu_server.url("/help/demo-wallet"))
    assert "验证官方渠道" in phone.find_element(By.ID, "verify-link").text
    phone.find_element(By.ID, "q").send_keys(f"{word} 质押奖励")
    phone.find_element(By.ID, "search-button").click()
    wait_for(phone, lambda d: [a for a in d.find_elements(By.CSS_SELECTOR, "#results a") if a.text == title_zh],
             message="the Chinese search did not find the translation")
    # The form sends spaces as "+"; the page shows the words as typed.
    assert phone.find_element(By.ID, "q").get_attribute("value") == f"{word} 质押奖励"
    screenshot(phone, "help-search-zh-phone")
    phone.get(kefu_server.url("/help/demo-wallet"))
    # Headless Chromium keeps windows at least 500 px wide; compare with what it gave.
    width, viewport = phone.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"the help center scrolls sideways on a phone ({width}px in {viewport}px)"
    screenshot(phone, "help-home-zh-phone")
