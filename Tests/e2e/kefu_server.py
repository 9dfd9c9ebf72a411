"""A real Kefu server for tests: the built `kefu` binary on a free loopback port,
with SQLite in a temp folder and a fresh admin account.

Used by conftest.py (the `kefu_server` fixture) and, as a command, by the api
stage of scripts/test:

    python Tests/e2e/kefu_server.py [--timeout SECONDS] -- CMD [ARGS...]

starts a server, logs the admin in, runs CMD with KEFU_BASE_URL and
KEFU_API_TOKEN (the admin's bearer token) in its environment, stops the server
and exits with CMD's exit code. "{base_url}" in ARGS becomes the server's URL.

The server gets KEFU_DATA_DIR, KEFU_ADMIN_EMAIL, KEFU_ADMIN_PASSWORD (random),
KEFU_BCRYPT_COST=4 and whatever extra_env adds; of the caller's KEFU_*
variables only KEFU_LOG_LEVEL passes. KEFU_BIN overrides the binary (default
.build/debug/kefu). Only the standard library is used here, so this runs
before requirements.txt is installed.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
ADMIN_EMAIL = "admin@example.com"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
# The only KEFU_* settings a test server takes from the calling shell.
INHERITED = {"KEFU_LOG_LEVEL"}


class ServerError(RuntimeError):
    """The server could not be started or did not answer as the contract says."""


def default_binary() -> Path:
    return Path(os.environ.get("KEFU_BIN") or REPO / ".build" / "debug" / "kefu")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    # A runner killed with SIGKILL gets no chance to stop the server; the
    # kernel then sends it SIGTERM so no server outlives its test run.
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _http(method: str, url: str, body: Any = None, timeout: float = 10.0) -> tuple[int, bytes]:
    data = None
    headers = {"Accept": "application/json"}
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class KefuServer:
    """One server process. Use start()/stop() or `with KefuServer() as server:`."""

    def __init__(
        self,
        binary: Path | str | None = None,
        *,
        ready_timeout: float = READY_TIMEOUT,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.binary = Path(binary) if binary else default_binary()
        self.ready_timeout = ready_timeout
        self.extra_env = dict(extra_env or {})
        self.admin_email = ADMIN_EMAIL
        self.admin_password = secrets.token_urlsafe(24)
        self.port: int | None = None
        self.base_url = ""
        self.workdir: Path | None = None
        self.data_dir: Path | None = None
        self.log_path: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def __enter__(self) -> KefuServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> None:
        if not (self.binary.is_file() and os.access(self.binary, os.X_OK)):
            raise ServerError(f"{self.binary} is missing: build it first (swift build)")
        self.workdir = Path(tempfile.mkdtemp(prefix="kefu-e2e-"))
        self.data_dir = self.workdir / "data"
        self.data_dir.mkdir()
        self.log_path = self.workdir / "server.log"
        self._launch()

    def kill_and_restart(self) -> None:
        """Kills the process with SIGKILL, as a crash or the OOM killer would, and starts a
        new one on the same data and port: what survives is what the database kept."""
        assert self._process is not None, "the server is not running"
        self._process.kill()
        self._process.wait()
        self._process = None
        self._launch(port=self.port)

    def _launch(self, port: int | None = None) -> None:
        assert self.workdir is not None and self.data_dir is not None and self.log_path is not None
        self._log = self._log or open(self.log_path, "ab")
        # Settings left in a developer's shell (KEFU_DATABASE_URL above all)
        # would point the server somewhere else; tests pass theirs as extra_env.
        env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_") or k in INHERITED}
        # bcrypt at its production cost dominates every login in a debug build.
        env["KEFU_BCRYPT_COST"] = "4"
        env.update(self.extra_env)
        env.update(
            KEFU_DATA_DIR=str(self.data_dir),
            KEFU_ADMIN_EMAIL=self.admin_email,
            KEFU_ADMIN_PASSWORD=self.admin_password,
        )
        # Another process can take the chosen port before the server binds
        # it; a fresh port on the next try settles that.
        for attempt in range(3):
            self.port = port if port is not None and attempt == 0 else free_port()
            self.base_url = f"http://127.0.0.1:{self.port}"
            self._process = subprocess.Popen(
                [str(self.binary), "serve", "--hostname", "127.0.0.1", "--port", str(self.port)],
                env=env,
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
            try:
                self._wait_ready()
                return
            except ServerError as error:
                exited = self._process.poll() is not None
                if exited and attempt < 2 and "in use" in self.log_tail(20).lower():
                    continue
                message = f"{error}\n--- server log (last lines) ---\n{self.log_tail()}"
                self.stop()
                raise ServerError(message) from None
        raise AssertionError("unreachable")

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.ready_timeout
        last = "no answer"
        while time.monotonic() < deadline:
            code = self._process.poll()
            if code is not None:
                raise ServerError(f"kefu serve exited with code {code} before GET /ready answered 200")
            try:
                status, _ = _http("GET", self.url("/ready"), timeout=2.0)
                if status == 200:
                    return
                last = f"HTTP {status}"
            except OSError as error:
                last = str(error)
            time.sleep(0.2)
        raise ServerError(f"GET /ready did not answer 200 within {self.ready_timeout:.0f} s (last: {last})")

    def login(self, email: str | None = None, password: str | None = None) -> str:
        """Logs in through the API and returns the bearer token."""
        status, body = _http(
            "POST",
            self.url("/api/v1/auth/login"),
            {"email": email or self.admin_email, "password": password or self.admin_password},
        )
        if status != 200:
            raise ServerError(f"POST /api/v1/auth/login answered HTTP {status}")
        try:
            token = json.loads(body)["token"]
        except (ValueError, KeyError, TypeError):
            raise ServerError("POST /api/v1/auth/login answered 200 without a token") from None
        if not isinstance(token, str) or not token:
            raise ServerError("POST /api/v1/auth/login answered 200 with an empty token")
        return token

    def demo_inbox_token(self) -> str:
        """The widget inbox token the demo page embeds: the inbox customers write into."""
        status, page = _http("GET", self.url("/demo"))
        if status != 200:
            raise ServerError(f"GET /demo answered HTTP {status}")
        return page.decode().split('data-inbox="')[1].split('"')[0]

    def log_text(self) -> str:
        if self._log is not None:
            self._log.flush()
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 200) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None


def _run_beside(server: KefuServer, command: list[str], timeout: float | None) -> int:
    token = server.login()
    env = dict(os.environ, KEFU_BASE_URL=server.base_url, KEFU_API_TOKEN=token)
    args = [arg.replace("{base_url}", server.base_url) for arg in command]
    child = subprocess.Popen(args, env=env)
    try:
        return child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"kefu_server: {args[0]} still running after {timeout:.0f} s; stopping it", file=sys.stderr)
        child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return 124
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="kefu_server.py",
        description="Run a command beside a fresh Kefu server (see the module docstring).",
    )
    parser.add_argument("--timeout", type=float, default=0, help="seconds CMD may run (0: no limit)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARGS...]")
    options = parser.parse_args(argv)
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    if not command:
        parser.error("no command given")

    def terminated(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminated)
    server = KefuServer()
    try:
        try:
            server.start()
            print(f"kefu_server: kefu serve ready at {server.base_url}", file=sys.stderr, flush=True)
            code = _run_beside(server, command, options.timeout or None)
        except ServerError as error:
            print(f"kefu_server: {error}", file=sys.stderr)
            return 1
        if code != 0:
            print(f"--- kefu server log (last lines) ---\n{server.log_tail(80)}", file=sys.stderr)
        return code
    except KeyboardInterrupt:
        return 130
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
