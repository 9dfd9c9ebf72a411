"""A Kefu server for a test module that needs settings of its own (a model provider, say),
beside the shared one in conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kefu_server import KefuServer, ServerError


def serve(extra_env: dict[str, str] | None = None) -> Iterator[KefuServer]:
    """Starts a server, yields it, and stops it; a server that cannot start fails the test
    with its log instead of a traceback."""
    server = KefuServer(extra_env=extra_env)
    try:
        server.start()
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield server
    finally:
        server.stop()
