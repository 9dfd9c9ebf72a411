"""Times every report endpoint of a running desk whose report tables bench/reports/run
loaded: each one over the latest 90 days, several times, the median and the slowest.

    python3 bench/reports/measure.py prepare URL EMAIL PASSWORD AGENTS   -> prints ids as JSON
    python3 bench/reports/measure.py time URL EMAIL PASSWORD LABEL RUNS  -> prints JSON results
"""

from __future__ import annotations

import datetime
import json
import statistics
import sys
import time
import urllib.request


def call(method: str, url: str, token: str | None = None, body: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def login(url: str, email: str, password: str) -> str:
    status, body = call("POST", f"{url}/api/v1/auth/login", body={"email": email, "password": password})
    assert status == 200, body
    return json.loads(body)["token"]


def prepare(url: str, email: str, password: str, agents: int) -> None:
    token = login(url, email, password)
    me = json.loads(call("GET", f"{url}/api/v1/auth/me", token)[1])
    inboxes = [i["id"] for i in json.loads(call("GET", f"{url}/api/v1/inboxes", token)[1])["items"]]
    ids = []
    for n in range(agents):
        status, body = call("POST", f"{url}/api/v1/agents", token, {"email": f"agent{n}@bench.kefu", "name": f"Agent {n}", "password": "longenough-123"})
        assert status == 201, body
        ids.append(json.loads(body)["id"])
    print(json.dumps({"workspace": me["workspaceId"], "inboxes": inboxes, "agents": ids}))


ENDPOINTS = [
    ("overview", "/api/v1/reports/overview?groupBy=day"),
    ("overview, one channel", "/api/v1/reports/overview?groupBy=day&channel=widget"),
    ("overview by week, CSV", "/api/v1/reports/overview?groupBy=week&format=csv"),
    ("conversations (with every slice)", "/api/v1/reports/conversations?groupBy=day"),
    ("agents", "/api/v1/reports/agents"),
    ("sla", "/api/v1/reports/sla?groupBy=day"),
    ("csat", "/api/v1/reports/csat?groupBy=day"),
    ("complaints", "/api/v1/reports/complaints?groupBy=day"),
    ("bot", "/api/v1/reports/bot?groupBy=day"),
    ("value (retention over 90 days)", "/api/v1/reports/value"),
]


def measure(url: str, email: str, password: str, label: str, runs: int) -> None:
    token = login(url, email, password)
    to = datetime.datetime.now(datetime.timezone.utc)
    since = (to - datetime.timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    until = to.strftime("%Y-%m-%dT%H:%M:%SZ")
    results = []
    for name, path in ENDPOINTS:
        full = f"{url}{path}&from={since}&to={until}" if "?" in path else f"{url}{path}?from={since}&to={until}"
        status, body = call("GET", full, token)
        assert status == 200, (name, status, body[:300])
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            status, body = call("GET", full, token)
            times.append((time.perf_counter() - started) * 1000)
            assert status == 200, (name, status)
        check = json.loads(body) if not path.endswith("csv") else None
        results.append({"endpoint": name, "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
                        "opened": check["totals"]["opened"] if check and "totals" in check else None})
    # The same series for a workspace in UTC+8, whose days are not UTC's: read from hours.
    office = [["09:00", "18:00"]]
    status, body = call("POST", f"{url}/api/v1/schedules", token, {"name": "Beijing", "timeZone": "Asia/Shanghai", "isDefault": True,
                                                                   "weekly": {d: office for d in ["mon", "tue", "wed", "thu", "fri"]}})
    assert status == 201, body
    for name, path in [("overview, workspace in Asia/Shanghai", "/api/v1/reports/overview?groupBy=day"),
                       ("sla, workspace in Asia/Shanghai", "/api/v1/reports/sla?groupBy=day")]:
        full = f"{url}{path}&from={since}&to={until}"
        assert call("GET", full, token)[0] == 200
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            status, body = call("GET", full, token)
            times.append((time.perf_counter() - started) * 1000)
        check = json.loads(body)
        assert check["timeZone"] == "Asia/Shanghai", check["timeZone"]
        results.append({"endpoint": name, "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "opened": check["totals"]["opened"]})
    print(json.dumps({"label": label, "results": results}))


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        measure(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
