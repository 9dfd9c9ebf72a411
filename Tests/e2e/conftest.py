"""Fixtures for Kefu's end-to-end tests: a real server from the built binary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kefu_server import KefuServer
from servers import serve


@pytest.fixture(scope="session")
def kefu_server() -> Iterator[KefuServer]:
    """One `kefu serve` for the whole run, on a free loopback port, with SQLite
    in a temp folder. Has base_url, admin_email, admin_password, url(path),
    login(email=None, password=None) -> token, log_text()."""
    yield from serve()


@pytest.fixture(scope="session")
def admin_token(kefu_server: KefuServer) -> str:
    return kefu_server.login()


# ---- browser tests ---------------------------------------------------------

import os
import shutil
from pathlib import Path

from browser import SCREENSHOTS, Browsers


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def browsers(kefu_server: KefuServer) -> Iterator[Browsers]:
    """Opens headless Chromium windows on demand; each is its own profile, like a
    separate person's browser. All are closed after the test."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.fail("chromium and chromedriver are missing: scripts/test installs them from apt-packages.txt", pytrace=False)
    opened = Browsers(kefu_server)
    try:
        yield opened
    finally:
        opened.close_all()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"Screenshots of the console, widget and demo: {SCREENSHOTS}")
