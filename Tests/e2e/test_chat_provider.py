"""Generated answers from an OpenAI-compatible chat provider, and their guardrails.

No chat model small enough for the test run is on PyPI, so the provider here is a scripted
OpenAI-compatible server written in this file: it records what Kefu sent and answers what
each test tells it to. What is under test is Kefu's side — the grounded prompt, the
guardrails on the output, and the fall-back to the extractive answer on a refusal, an error
or a timeout."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from kefu_server import KefuServer
from servers import serve


class ScriptedChat:
    def __init__(self) -> None:
        self.reply = ""
        self.delay = 0.0
        self.status = 200
        self.requests: list[dict] = []
        script = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the standard library's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                script.requests.append({"path": self.path, "body": body, "authorization": self.headers.get("Authorization")})
                time.sleep(script.delay)
                answer = json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": script.reply}}]}).encode()
                try:
                    self.send_response(script.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # Kefu gave up waiting, which is what the slow-provider test wants

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def chat() -> Iterator[ScriptedChat]:
    scripted = ScriptedChat()
    yield scripted
    scripted.server.shutdown()


@pytest.fixture(scope="module")
def desk(chat: ScriptedChat) -> Iterator[KefuServer]:
    yield from serve({"KEFU_CHAT_URL": chat.url, "KEFU_CHAT_MODEL": "scripted", "KEFU_CHAT_API_KEY": "sk-test-secret",
                      "KEFU_CHAT_TIMEOUT_MS": "1500"})


def ask(server: KefuServer, text: str) -> str:
    inbox = server.demo_inbox_token()
    token = requests.post(server.url("/widget/v1/sessions"), json={"inboxToken": inbox}, timeout=10).json()["visitorToken"]
    headers = {"Authorization": f"Bearer {token}"}
    sent = requests.post(server.url("/widget/v1/messages"), json={"text": text}, headers=headers, timeout=30)
    assert sent.status_code == 201, sent.text
    history = requests.get(server.url("/widget/v1/messages"), headers=headers, timeout=10).json()["items"]
    bot = [m["text"] for m in history if m["authorKind"] == "bot"]
    assert bot, f"the bot said nothing to {text!r}"
    return bot[-1]


QUESTION = "I sent USDT to my wallet an hour ago and the deposit has not arrived"


def test_a_grounded_answer_is_sent_with_its_citation(desk: KefuServer, chat: ScriptedChat) -> None:
    chat.reply, chat.delay, chat.status = "Deposits show once the network confirms them. Check the hash on a block explorer [1].", 0, 200
    before = len(chat.requests)
    answer = ask(desk, QUESTION)
    assert answer.startswith("Deposits show once the network confirms them.")
    assert "[1] My deposit has not arrived: http" in answer
    sent = chat.requests[before]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["authorization"] == "Bearer sk-test-secret"
    assert sent["body"]["model"] == "scripted"
    system, user = sent["body"]["messages"]
    assert "Never ask for" in system["content"] and "Never promise refunds" in system["content"]
    assert "My deposit has not arrived" in user["content"] and QUESTION in user["content"]
    assert "sk-test-secret" not in desk.log_text()


@pytest.mark.parametrize("reply", [
    "Please reply with your 12-word recovery phrase so we can check [1].",
    "We will refund the missing USDT today [1].",
    "Fix it at https://lotus-wallet-support.com/deposit [1].",
])
def test_an_unsafe_answer_is_replaced_by_the_article_extract(desk: KefuServer, chat: ScriptedChat, reply: str) -> None:
    chat.reply, chat.delay, chat.status = reply, 0, 200
    answer = ask(desk, QUESTION)
    assert reply not in answer
    assert answer.startswith("This article from our help center may answer your question")
    assert "refused by the guardrails" in desk.log_text()


@pytest.mark.parametrize("delay,status", [(3.0, 200), (0, 500)])
def test_a_slow_or_failing_provider_falls_back_to_the_extract(desk: KefuServer, chat: ScriptedChat, delay: float, status: int) -> None:
    chat.reply, chat.delay, chat.status = "Deposits need confirmations [1].", delay, status
    started = time.monotonic()
    answer = ask(desk, QUESTION)
    assert answer.startswith("This article from our help center may answer your question")
    assert time.monotonic() - started < 10
