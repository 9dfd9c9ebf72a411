"""Fixtures for Kefu's end-to-end tests: a real server from the built binary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kefu_server import KefuServer, ServerError


@pytest.fixture(scope="session")
def kefu_server() -> Iterator[KefuServer]:
    """One `kefu serve` for the whole run, on a free loopback port, with SQLite
    in a temp folder. Has base_url, admin_email, admin_password, url(path),
    login(email=None, password=None) -> token, log_text()."""
    server = KefuServer()
    try:
        server.start()
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def admin_token(kefu_server: KefuServer) -> str:
    return kefu_server.login()
