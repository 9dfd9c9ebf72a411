"""`kefu chain tx` against real nodes: eth-tester's EVM behind JSON-RPC and litecoind in
regtest. Every expected state and confirmation count is read from the node itself."""
from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import datetime

import pytest

from chain_nodes import EVMNode, LitecoinNode, NodeError
from kefu_server import default_binary


def chain_tx(chain: str, rpc: str, tx_hash: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(default_binary()), "chain", "tx", "--chain", chain, "--rpc", rpc, *extra, tx_hash],
                          capture_output=True, text=True, timeout=60)


def status_of(chain: str, rpc: str, tx_hash: str) -> dict:
    result = chain_tx(chain, rpc, tx_hash)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    status = json.loads(lines[0])
    assert set(status) == {"chain", "hash", "state", "confirmations", "blockNumber", "checkedAt"}
    assert status["chain"] == chain
    datetime.fromisoformat(status["checkedAt"].replace("Z", "+00:00"))
    return status


@pytest.fixture(scope="module")
def evm() -> Iterator[EVMNode]:
    with EVMNode() as node:
        yield node


@pytest.fixture(scope="module")
def litecoin() -> Iterator[LitecoinNode]:
    try:
        node = LitecoinNode()
        node.start()
    except NodeError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield node
    finally:
        node.stop()


# ---- EVM ------------------------------------------------------------------------


def test_evm_transfer_confirmations_follow_the_chain(evm: EVMNode) -> None:
    tx_hash = evm.transfer()
    mined_in = evm.receipt(tx_hash)["block_number"]
    status = status_of("evm", evm.url, tx_hash)
    assert status["state"] == "confirmed"
    assert status["hash"] == tx_hash.lower()
    assert status["blockNumber"] == mined_in
    assert status["confirmations"] == evm.block_number() - mined_in + 1 == 1

    evm.mine(4)
    status = status_of("evm", evm.url, tx_hash)
    assert status["confirmations"] == evm.block_number() - mined_in + 1 == 5


def test_evm_pending_then_mined(evm: EVMNode) -> None:
    tx_hash = evm.transfer(mine=False)
    try:
        assert evm.receipt(tx_hash) is None
        status = status_of("evm", evm.url, tx_hash)
        assert status["state"] == "pending"
        assert status["confirmations"] == 0
        assert status["blockNumber"] is None
        evm.mine(1)
    finally:
        evm.resume_auto_mine()
    status = status_of("evm", evm.url, tx_hash)
    assert status["state"] == "confirmed"
    assert status["blockNumber"] == evm.receipt(tx_hash)["block_number"]


def test_evm_reverted_call_is_failed(evm: EVMNode) -> None:
    tx_hash = evm.reverted_call()
    receipt = evm.receipt(tx_hash)
    assert receipt["status"] == 0
    status = status_of("evm", evm.url, tx_hash)
    assert status["state"] == "failed"
    assert status["blockNumber"] == receipt["block_number"]


def test_evm_unknown_hash_is_not_found(evm: EVMNode) -> None:
    status = status_of("evm", evm.url, "0x" + "ab" * 32)
    assert status["state"] == "not_found"
    assert status["confirmations"] == 0


# ---- Bitcoin-Core-style (litecoind) ------------------------------------------------


def test_litecoin_mempool_then_three_confirmations(litecoin: LitecoinNode) -> None:
    miner = litecoin.rpc("getnewaddress")
    litecoin.rpc("generatetoaddress", 101, miner)
    txid = litecoin.rpc("sendtoaddress", litecoin.rpc("getnewaddress"), 1.25)
    assert txid in litecoin.rpc("getrawmempool")

    status = status_of("bitcoin", litecoin.url, txid)
    assert status["state"] == "pending"
    assert status["confirmations"] == 0
    assert status["blockNumber"] is None

    litecoin.rpc("generatetoaddress", 3, miner)
    node_view = litecoin.rpc("getrawtransaction", txid, True)
    status = status_of("bitcoin", litecoin.url, txid)
    assert status["state"] == "confirmed"
    assert status["confirmations"] == node_view["confirmations"] == 3
    assert status["blockNumber"] == litecoin.rpc("getblockheader", node_view["blockhash"])["height"]


def test_litecoin_unknown_txid_is_not_found(litecoin: LitecoinNode) -> None:
    status = status_of("bitcoin", litecoin.url, "cd" * 32)
    assert status["state"] == "not_found"


def test_litecoin_wrong_password_is_refused_without_echoing_it(litecoin: LitecoinNode) -> None:
    wrong = f"http://{litecoin.user}:not-the-password@127.0.0.1:{litecoin.port}"
    result = chain_tx("bitcoin", wrong, "cd" * 32)
    assert result.returncode == 3
    assert result.stdout == ""
    assert "401" in result.stderr
    assert "not-the-password" not in result.stderr


# ---- bad input and absent nodes --------------------------------------------------


@pytest.mark.parametrize(("chain", "tx_hash"), [
    ("evm", "ab" * 32),
    ("bitcoin", "0x" + "ab" * 32),
    ("tron", "xyz"),
])
def test_a_malformed_hash_is_refused_before_any_request(chain: str, tx_hash: str, evm: EVMNode) -> None:
    calls = len(evm.calls)
    result = chain_tx(chain, evm.url, tx_hash)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "hexadecimal" in result.stderr
    assert len(evm.calls) == calls


def test_unknown_chain_and_bad_url_are_refused() -> None:
    result = chain_tx("solana", "http://127.0.0.1:1", "ab" * 32)
    assert result.returncode != 0 and "evm, bitcoin, tron" in result.stderr
    result = chain_tx("evm", "ftp://127.0.0.1", "0x" + "ab" * 32)
    assert result.returncode == 2 and "http" in result.stderr


def test_a_stopped_node_is_unreachable() -> None:
    stopped = LitecoinNode()
    stopped.port = 1  # nothing listens on port 1 here
    result = chain_tx("bitcoin", stopped.url, "cd" * 32, "--timeout", "2")
    assert result.returncode == 3
    assert "could not be reached" in result.stderr
    assert stopped.password not in result.stderr
