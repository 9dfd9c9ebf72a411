"""Real blockchain nodes for the chain lookup tests, each on a free loopback port.

- EVMNode: PyPI eth-tester (py-evm, a full EVM) behind a small JSON-RPC HTTP server
  answering the three calls the desk makes: eth_getTransactionByHash,
  eth_getTransactionReceipt and eth_blockNumber. Transactions are real signed
  transfers and contract calls executed by the EVM; blocks are mined on demand.
- LitecoinNode: Debian's litecoind (Bitcoin Core's code base, the same JSON-RPC) in
  -regtest with a temp datadir, RPC user and password, and -txindex so confirmed
  transactions can be looked up by id.

Both stop on teardown and leave nothing behind.
"""

from __future__ import annotations

import base64
import json
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kefu_server import _die_with_parent

READY_TIMEOUT = 60.0


class NodeError(RuntimeError):
    """A node could not be started or answered unexpectedly."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---- EVM -------------------------------------------------------------------

# A contract whose every call reverts: runtime PUSH1 0 PUSH1 0 REVERT, deployed by
# init code that copies those 5 bytes and returns them.
REVERTING_RUNTIME = "60006000fd"
REVERTING_INIT = "0x6005600c60003960056000f3" + REVERTING_RUNTIME


def _quantity(value: int | None) -> str | None:
    return None if value is None else hex(value)


class EVMNode:
    """eth-tester behind JSON-RPC. Use start()/stop() or `with EVMNode() as node:`."""

    def __init__(self) -> None:
        from eth_tester import EthereumTester, PyEVMBackend

        self._tester = EthereumTester(PyEVMBackend())
        # eth-tester is not thread-safe; the HTTP server answers on threads.
        self._lock = threading.Lock()
        self.accounts = self._tester.get_accounts()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""
        self.calls: list[str] = []

    def __enter__(self) -> EVMNode:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        node = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    request = json.loads(self.rfile.read(length))
                    answer = node._answer(request)
                except (ValueError, TypeError, AttributeError):
                    answer = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error"}}
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="evm-node", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- what tests do on the chain

    def transfer(self, value: int = 10**18, *, mine: bool = True) -> str:
        """A signed value transfer between two funded accounts; mined at once unless
        mine=False, which leaves it (and later ones) waiting until mine() or resume_auto_mine()."""
        with self._lock:
            if not mine:
                self._tester.disable_auto_mine_transactions()
            return self._tester.send_transaction(
                {"from": self.accounts[0], "to": self.accounts[1], "value": value, "gas": 21000})

    def reverted_call(self) -> str:
        """Deploys a contract that always reverts and calls it: mined with status 0."""
        with self._lock:
            deploy = self._tester.send_transaction({"from": self.accounts[0], "data": REVERTING_INIT, "gas": 100_000})
            contract = self._tester.get_transaction_receipt(deploy)["contract_address"]
            return self._tester.send_transaction({"from": self.accounts[0], "to": contract, "gas": 50_000, "value": 0})

    def mine(self, blocks: int = 1) -> None:
        with self._lock:
            self._tester.mine_blocks(blocks)

    def resume_auto_mine(self) -> None:
        with self._lock:
            self._tester.enable_auto_mine_transactions()

    def block_number(self) -> int:
        with self._lock:
            return self._tester.get_block_by_number("latest")["number"]

    def receipt(self, tx_hash: str) -> dict | None:
        from eth_tester.exceptions import TransactionNotFound

        with self._lock:
            try:
                return self._tester.get_transaction_receipt(tx_hash)
            except TransactionNotFound:
                return None

    # -- JSON-RPC

    def _answer(self, request: dict) -> dict:
        from eth_tester.exceptions import TransactionNotFound

        method, params, ident = request.get("method"), request.get("params") or [], request.get("id")
        self.calls.append(str(method))
        try:
            with self._lock:
                if method == "eth_blockNumber":
                    result: Any = _quantity(self._tester.get_block_by_number("latest")["number"])
                elif method == "eth_getTransactionByHash":
                    try:
                        tx = self._tester.get_transaction_by_hash(params[0])
                        result = {"hash": tx["hash"], "blockNumber": _quantity(tx["block_number"]),
                                  "blockHash": tx["block_hash"] if tx["block_number"] is not None else None,
                                  "from": tx["from"], "to": tx["to"], "value": _quantity(tx["value"]),
                                  "nonce": _quantity(tx["nonce"])}
                    except TransactionNotFound:
                        result = None
                elif method == "eth_getTransactionReceipt":
                    try:
                        receipt = self._tester.get_transaction_receipt(params[0])
                        result = {"transactionHash": receipt["transaction_hash"], "blockHash": receipt["block_hash"],
                                  "blockNumber": _quantity(receipt["block_number"]), "status": _quantity(receipt["status"]),
                                  "gasUsed": _quantity(receipt["gas_used"]), "from": receipt["from"], "to": receipt["to"],
                                  "contractAddress": receipt["contract_address"], "logs": []}
                    except TransactionNotFound:
                        result = None
                else:
                    return {"jsonrpc": "2.0", "id": ident, "error": {"code": -32601, "message": f"the method {method} does not exist"}}
        except (ValueError, TypeError, IndexError) as error:
            return {"jsonrpc": "2.0", "id": ident, "error": {"code": -32602, "message": f"invalid params: {error}"}}
        return {"jsonrpc": "2.0", "id": ident, "result": result}


# ---- Bitcoin-Core-style (Litecoin) ----------------------------------------------


class LitecoinNode:
    """litecoind -regtest in a temp datadir. Use start()/stop() or `with LitecoinNode() as node:`."""

    def __init__(self, binary: str = "litecoind") -> None:
        self.binary = shutil.which(binary) or binary
        self.user = "kefu"
        self.password = secrets.token_hex(12)
        self.port = 0
        self.datadir: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LitecoinNode:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The RPC URL with credentials, as an admin would configure it."""
        return f"http://{self.user}:{self.password}@127.0.0.1:{self.port}"

    def start(self) -> None:
        if not Path(self.binary).is_file():
            raise NodeError("litecoind is missing: scripts/test installs it from Tests/e2e/apt-packages.txt")
        self.datadir = Path(tempfile.mkdtemp(prefix="kefu-ltc-"))
        for attempt in range(3):
            self.port = free_port()
            self._process = subprocess.Popen(
                [self.binary, "-regtest", f"-datadir={self.datadir}", "-server=1", "-listen=0", "-txindex=1",
                 f"-rpcport={self.port}", "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1",
                 f"-rpcuser={self.user}", f"-rpcpassword={self.password}", "-fallbackfee=0.0002",
                 "-printtoconsole=0", "-dnsseed=0", "-upnp=0"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                preexec_fn=_die_with_parent,
            )
            try:
                self._wait_ready()
                break
            except NodeError:
                exited = self._process.poll() is not None
                stderr = self._process.stderr.read().decode(errors="replace") if exited and self._process.stderr else ""
                self._kill()
                if exited and attempt < 2 and "port" in stderr.lower():
                    continue
                self.stop()
                raise NodeError(f"litecoind did not become ready: {stderr.strip()[-500:]}") from None
        # Since 0.21 a node starts without a wallet.
        self.rpc("createwallet", "kefu")

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise NodeError("litecoind exited")
            try:
                self.rpc("getblockchaininfo")
                return
            except NodeError:
                time.sleep(0.1)
            except OSError:
                time.sleep(0.1)
        raise NodeError("no RPC answer in time")

    def rpc(self, method: str, *params: Any) -> Any:
        body = json.dumps({"jsonrpc": "1.0", "id": "kefu-test", "method": method, "params": list(params)}).encode()
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/", data=body, method="POST",
                                         headers={"Content-Type": "application/json", "Authorization": f"Basic {token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as error:
            try:
                answer = json.loads(error.read())
            except ValueError:
                raise NodeError(f"{method}: HTTP {error.code}") from None
        if answer.get("error"):
            raise NodeError(f"{method}: {answer['error']}")
        return answer["result"]

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr:
            process.stderr.close()

    def stop(self) -> None:
        self._kill()
        if self.datadir is not None:
            shutil.rmtree(self.datadir, ignore_errors=True)
            self.datadir = None
