"""The desk looks up a transaction a customer quotes: an admin points the workspace at a
real EVM node (eth-tester behind JSON-RPC) through the API, a customer writes the hash in
the widget, and the conversation's lookups reach the node's own confirmation count."""
from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from chain_nodes import EVMNode
from kefu_server import KefuServer


def api(server: KefuServer, token: str | None, method: str, path: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, server.url(path), headers=headers, timeout=10, **kwargs)


@pytest.fixture(scope="module")
def evm() -> Iterator[EVMNode]:
    with EVMNode() as node:
        yield node


@pytest.fixture(scope="module")
def visitor(kefu_server: KefuServer, admin_token: str) -> str:
    inboxes = api(kefu_server, admin_token, "GET", "/api/v1/inboxes").json()["items"]
    inbox_token = next(inbox["publicToken"] for inbox in inboxes if inbox["kind"] == "widget")
    session = api(kefu_server, None, "POST", "/widget/v1/sessions", json={"inboxToken": inbox_token, "locale": "en"})
    assert session.status_code == 201, session.text
    return session.json()["visitorToken"]


def poll_lookups(server: KefuServer, token: str, conversation_id: str, until, timeout: float = 30.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    items: list[dict] = []
    while time.monotonic() < deadline:
        response = api(server, token, "GET", f"/api/v1/conversations/{conversation_id}/lookups")
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        if until(items):
            return items
        time.sleep(0.2)
    pytest.fail(f"lookups did not settle within {timeout:.0f} s: {items}")


def test_a_quoted_transaction_is_confirmed_with_the_nodes_count(kefu_server: KefuServer, admin_token: str, visitor: str, evm: EVMNode) -> None:
    put = api(kefu_server, admin_token, "PUT", "/api/v1/chain-endpoints/evm", json={"name": "Ethereum", "rpcUrl": evm.url})
    assert put.status_code == 200, put.text
    assert put.json()["rpcUrl"] == evm.url

    tx_hash = evm.transfer(3 * 10**17)
    evm.mine(2)
    mined_in = evm.receipt(tx_hash)["block_number"]
    sent = api(kefu_server, visitor, "POST", "/widget/v1/messages",
               json={"text": f"My withdrawal has not arrived, tx {tx_hash} — can you check?"})
    assert sent.status_code == 201, sent.text
    conversation_id = sent.json()["conversationId"]

    items = poll_lookups(kefu_server, admin_token, conversation_id, lambda items: items and items[0]["state"] == "confirmed")
    assert len(items) == 1
    lookup = items[0]
    assert lookup["chain"] == "evm"
    assert lookup["hash"] == tx_hash.lower()
    assert lookup["blockNumber"] == mined_in
    assert lookup["confirmations"] == evm.block_number() - mined_in + 1 == 3
    assert lookup["messageId"] == sent.json()["id"]
    assert "eth_getTransactionReceipt" in evm.calls

    # No agent has answered yet, so the bot tells the customer what the node said.
    def told() -> list[str]:
        history = api(kefu_server, visitor, "GET", "/widget/v1/messages").json()["items"]
        return [m["text"] for m in history if m["authorKind"] == "bot" and "confirmation" in m["text"]]
    deadline = time.monotonic() + 10
    while not told() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert any(f"on Ethereum is confirmed: it has {lookup['confirmations']} confirmations" in text for text in told()), told()
    assert evm.url not in kefu_server.log_text()


def test_a_reverted_call_shows_failed_and_an_unknown_hash_not_found(kefu_server: KefuServer, admin_token: str, visitor: str, evm: EVMNode) -> None:
    assert api(kefu_server, admin_token, "PUT", "/api/v1/chain-endpoints/evm", json={"name": "Ethereum", "rpcUrl": evm.url}).status_code == 200
    reverted = evm.reverted_call()
    unknown = "0x" + "7e" * 32
    sent = api(kefu_server, visitor, "POST", "/widget/v1/messages",
               json={"text": f"These transfers did not go through: tx {reverted} and tx {unknown}"})
    assert sent.status_code == 201, sent.text

    def settled(items: list[dict]) -> bool:
        states = {item["hash"]: item["state"] for item in items}
        return states.get(reverted.lower()) == "failed" and states.get(unknown) == "not_found"

    items = poll_lookups(kefu_server, admin_token, sent.json()["conversationId"], settled)
    failed = next(item for item in items if item["hash"] == reverted.lower())
    assert failed["blockNumber"] == evm.receipt(reverted)["block_number"]
