#!/usr/bin/env python3
"""What the service-level scheduler costs with many open conversations.

Starts a desk (release build) on a fresh database, gives it one policy (first response
within an hour), stops it, and writes OPEN open conversations straight into the database,
each with its customer's message and its watch as the scheduler leaves it: DUE of them
past their warning time, the rest due in 38 minutes. Then it starts the desk again and
measures:

  - how long the desk takes to raise the DUE warnings (evaluations per second);
  - the desk's CPU while idle with OPEN watches and nothing due;
  - the scheduler's due check on the database itself, against a count of the open
    conversations (the least a scheduler that scanned them would pay each tick).

Prints one JSON object. Talks to 127.0.0.1 only; on PostgreSQL it expects
KEFU_TEST_DATABASE_URL and PG* variables as scripts/with-postgres sets them.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

PASSWORD = "bench-password-123"
EMAIL = "bench@kefu.test"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Desk:
    def __init__(self, binary: Path, data: Path, database_url: str | None) -> None:
        self.binary, self.data, self.database_url = binary, data, database_url
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> float:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
        env.update(KEFU_DATA_DIR=str(self.data), KEFU_PORT=str(self.port), KEFU_ADMIN_EMAIL=EMAIL, KEFU_ADMIN_PASSWORD=PASSWORD,
                   KEFU_BCRYPT_COST="4", KEFU_LOG_LEVEL="warning")
        if self.database_url:
            env["KEFU_DATABASE_URL"] = self.database_url
        self.process = subprocess.Popen([str(self.binary)], env=env, stdout=subprocess.DEVNULL, stderr=open(self.data / "desk.log", "a"))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the desk exited with {self.process.returncode}; see {self.data / 'desk.log'}")
            try:
                with urllib.request.urlopen(self.url("/ready"), timeout=2) as response:
                    if response.status == 200:
                        return time.monotonic()
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit("the desk did not become ready within 120 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def call(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
        request = urllib.request.Request(self.url(path), method=method, data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return json.loads(text) if text else {}


class SQLiteStore:
    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path

    def connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def seed(self, workspace: str, inbox: str, open_count: int, due: int, now_ms: int) -> None:
        db = self.connect()
        counter = db.execute("SELECT conversation_counter FROM workspaces WHERE id = ?", (workspace,)).fetchone()[0]
        contacts, conversations, messages, watches = [], [], [], []
        for n in range(open_count):
            created = now_ms - (50 if n < due else 10) * 60_000
            contact, conversation = str(uuid.uuid4()).upper(), str(uuid.uuid4()).upper()
            contacts.append((contact, workspace, "[]", "standard", "{}", created / 1000))
            conversations.append((conversation, workspace, counter + n + 1, inbox, contact, "open", "normal", "", "{}", created, created, created / 1000, 1))
            messages.append((str(uuid.uuid4()).upper(), workspace, conversation, "contact", "where is my withdrawal", 0, "{}", created / 1000))
            watches.append((conversation, workspace, created + 2_880_000, 0, "[]", "running", now_ms))
        db.executemany("INSERT INTO contacts (id, workspace_id, wallet_addresses, tier, attributes, created_at) VALUES (?, ?, ?, ?, ?, ?)", contacts)
        db.executemany("""INSERT INTO conversations (id, workspace_id, number, inbox_id, contact_id, status, priority, tag_list, attributes,
                          last_activity_ms, created_ms, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", conversations)
        db.executemany("""INSERT INTO messages (id, workspace_id, conversation_id, author_kind, body, private, metadata, created_at)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", messages)
        db.executemany("""INSERT INTO sla_watches (conversation_id, workspace_id, due_ms, generation, raised, standing, updated_ms)
                          VALUES (?, ?, ?, ?, ?, ?, ?)""", watches)
        db.execute("UPDATE workspaces SET conversation_counter = ? WHERE id = ?", (counter + open_count, workspace))
        db.commit()
        db.close()

    def scalar(self, sql: str) -> int:
        db = self.connect()
        try:
            return db.execute(sql).fetchone()[0]
        finally:
            db.close()

    def time_query(self, sql: str, runs: int) -> tuple[float, str]:
        db = self.connect()
        plan = " / ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql))
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            db.execute(sql).fetchall()
            timings.append(time.perf_counter() - start)
        db.close()
        return statistics.median(timings) * 1e6, plan


class PostgresStore:
    kind = "postgres"

    def psql(self, sql: str) -> str:
        return subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                              capture_output=True, text=True).stdout.strip()

    def seed(self, workspace: str, inbox: str, open_count: int, due: int, now_ms: int) -> None:
        counter = int(self.psql(f"SELECT conversation_counter FROM workspaces WHERE id = '{workspace}'"))
        created = f"({now_ms} - (CASE WHEN n <= {due} THEN 50 ELSE 10 END) * 60000)"
        self.psql(f"""
            BEGIN;
            INSERT INTO contacts (id, workspace_id, wallet_addresses, tier, attributes, created_at)
              SELECT md5('contact' || n)::uuid, '{workspace}', '[]', 'standard', '{{}}', to_timestamp({created} / 1000.0)
              FROM generate_series(1, {open_count}) AS n;
            INSERT INTO conversations (id, workspace_id, number, inbox_id, contact_id, status, priority, tag_list, attributes,
                                       last_activity_ms, created_ms, created_at, version)
              SELECT md5('conversation' || n)::uuid, '{workspace}', {counter} + n, '{inbox}', md5('contact' || n)::uuid, 'open', 'normal', '', '{{}}',
                     {created}, {created}, to_timestamp({created} / 1000.0), 1
              FROM generate_series(1, {open_count}) AS n;
            INSERT INTO messages (id, workspace_id, conversation_id, author_kind, body, private, metadata, created_at)
              SELECT md5('message' || n)::uuid, '{workspace}', md5('conversation' || n)::uuid, 'contact', 'where is my withdrawal', false, '{{}}',
                     to_timestamp({created} / 1000.0)
              FROM generate_series(1, {open_count}) AS n;
            INSERT INTO sla_watches (conversation_id, workspace_id, due_ms, generation, raised, standing, updated_ms)
              SELECT md5('conversation' || n)::uuid, '{workspace}', {created} + 2880000, 0, '[]', 'running', {now_ms}
              FROM generate_series(1, {open_count}) AS n;
            UPDATE workspaces SET conversation_counter = {counter + open_count} WHERE id = '{workspace}';
            COMMIT;
            ANALYZE;
            """)

    def scalar(self, sql: str) -> int:
        return int(self.psql(sql))

    def time_query(self, sql: str, runs: int) -> tuple[float, str]:
        timings, plan = [], ""
        for _ in range(runs):
            lines = self.psql(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}").splitlines()
            plan = plan or " / ".join(line.strip() for line in lines if not line.strip().startswith(("Planning", "Execution")))
            timings.append(next(float(line.split()[2]) for line in lines if line.strip().startswith("Execution Time")))
        return statistics.median(timings) * 1e3, plan


def idle_share(desk: Desk, seconds: float) -> float:
    """The desk's CPU over `seconds`, as a share of one core."""
    start, cpu = time.monotonic(), desk.cpu_seconds()
    time.sleep(seconds)
    return (desk.cpu_seconds() - cpu) / (time.monotonic() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", type=Path, required=True)
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--idle-seconds", type=float, default=20)
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="kefu-bench-sla-"))
    database_url = os.environ.get("KEFU_TEST_DATABASE_URL") if args.database == "postgres" else None
    if args.database == "postgres" and not database_url:
        raise SystemExit("run under scripts/with-postgres: KEFU_TEST_DATABASE_URL is not set")
    store = PostgresStore() if args.database == "postgres" else SQLiteStore(data / "kefu.sqlite")
    desk = Desk(args.bin, data, database_url)

    desk.start()
    token = desk.call("POST", "/api/v1/auth/login", {"email": EMAIL, "password": PASSWORD})["token"]
    me = desk.call("GET", "/api/v1/auth/me", token=token)
    inbox = next(i for i in desk.call("GET", "/api/v1/inboxes", token=token)["items"] if i["kind"] == "api")
    everyone = {p: {"seconds": 3600, "businessHours": False} for p in ["low", "normal", "high", "urgent"]}
    desk.call("POST", "/api/v1/sla-policies", {"name": "Within the hour", "targets": {"firstResponse": everyone}}, token=token)
    time.sleep(3)
    baseline = idle_share(desk, args.idle_seconds)
    desk.stop()

    seeding = time.monotonic()
    store.seed(me["workspaceId"], inbox["id"], args.open, args.due, int(time.time() * 1000))
    seeded = time.monotonic() - seeding

    ready = desk.start()
    cpu_at_ready = desk.cpu_seconds()
    deadline = ready + 600
    raised = 0
    while time.monotonic() < deadline:
        raised = store.scalar("SELECT count(*) FROM conversation_events WHERE kind = 'sla_warning'")
        if raised >= args.due:
            break
        time.sleep(0.05)
    evaluating = time.monotonic() - ready
    cpu_evaluating = desk.cpu_seconds() - cpu_at_ready

    # Settled: nothing left due, then the desk idles beside its watches.
    while time.monotonic() < deadline and store.scalar(f"SELECT count(*) FROM sla_watches WHERE due_ms <= {int(time.time() * 1000)}") > 0:
        time.sleep(0.2)
    time.sleep(3)
    idle = idle_share(desk, args.idle_seconds)
    still_due = store.scalar(f"SELECT count(*) FROM sla_watches WHERE due_ms <= {int(time.time() * 1000)}")
    twice = store.scalar("SELECT count(*) FROM (SELECT conversation_id FROM conversation_events WHERE kind = 'sla_warning' "
                         "GROUP BY conversation_id HAVING count(*) > 1) AS doubled")
    desk.stop()

    now = int(time.time() * 1000)
    check_us, check_plan = store.time_query(f"SELECT 1 AS due FROM sla_watches WHERE due_ms <= {now} LIMIT 1", 200)
    take_us, take_plan = store.time_query(f"SELECT conversation_id FROM sla_watches WHERE due_ms <= {now} + 2400000 ORDER BY due_ms LIMIT 200", 50)
    scan_us, _ = store.time_query("SELECT count(*) FROM conversations WHERE status = 'open'", 20)

    print(json.dumps({
        "database": args.database, "open": args.open, "due": args.due, "seedSeconds": round(seeded, 1),
        "raised": raised, "raisedTwice": twice, "stillDueAfter": still_due,
        "evaluationSeconds": round(evaluating, 2), "evaluationsPerSecond": round(raised / evaluating, 1) if evaluating else None,
        "deskCpuMsPerEvaluation": round(cpu_evaluating * 1000 / max(raised, 1), 2),
        "idleCpuShare": round(idle, 4), "idleCpuShareWithoutConversations": round(baseline, 4),
        "dueCheckMicros": round(check_us, 1), "dueCheckPlan": check_plan,
        "takeBatchMicros": round(take_us, 1), "takeBatchPlan": take_plan,
        "scanOpenMicros": round(scan_us, 1),
    }))
    return 0 if raised >= args.due and twice == 0 else 3


if __name__ == "__main__":
    sys.exit(main())
