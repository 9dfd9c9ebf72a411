"""What every other end-to-end test leans on: the server starts from the built
binary, reports ready, lets the configured admin log in, serves its OpenAPI
document and keeps the admin's secrets out of its log."""

from __future__ import annotations

import requests

from kefu_server import KefuServer


def test_ready_answers_200(kefu_server: KefuServer) -> None:
    response = requests.get(kefu_server.url("/ready"), timeout=10)
    assert response.status_code == 200


def test_admin_logs_in_with_email_and_password(kefu_server: KefuServer) -> None:
    response = requests.post(
        kefu_server.url("/api/v1/auth/login"),
        json={"email": kefu_server.admin_email, "password": kefu_server.admin_password},
        timeout=10,
    )
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body.get("token"), str) and body["token"]
    assert isinstance(body.get("agent"), dict)


def test_wrong_password_is_refused_without_a_token(kefu_server: KefuServer) -> None:
    response = requests.post(
        kefu_server.url("/api/v1/auth/login"),
        json={"email": kefu_server.admin_email, "password": kefu_server.admin_password + "x"},
        timeout=10,
    )
    assert response.status_code == 401
    try:
        body = response.json()
    except ValueError:
        body = {}
    assert not (isinstance(body, dict) and body.get("token"))


def test_openapi_document_describes_the_login(kefu_server: KefuServer) -> None:
    response = requests.get(kefu_server.url("/api/v1/openapi.json"), timeout=10)
    assert response.status_code == 200
    document = response.json()
    assert str(document.get("openapi", "")).startswith("3.1")
    assert any(path.endswith("/auth/login") for path in document.get("paths", {}))


def test_password_and_token_stay_out_of_the_server_log(kefu_server: KefuServer) -> None:
    token = kefu_server.login()
    log = kefu_server.log_text()
    assert kefu_server.admin_password not in log
    assert token not in log
