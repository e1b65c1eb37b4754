"""Benchmark: full /sync batches of every shape a phone can send, against the same batch
of independent writes.

A phone that was offline sends its outbox in one POST /sync of up to 500 writes. The
batches below are the shapes that cost the most: many ids for one participant's day,
corrections over and over, one wake-up call tried again and again. Each is sent as one
request to Spire under gunicorn on PostgreSQL, twice in a row (the second finds what the
first stored), and timed. The ratio of each shape's time to the time of 500 independent
check-ins, measured in the same run, shows that no shape grows faster than the batch does;
every batch must also finish well inside the request budget (20 s) and gunicorn's worker
timeout (30 s).

    .venv/bin/python bench/sync.py [--workers 2]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth); it creates and drops the
database spire_bench. Only loopback addresses are used.
"""

import argparse
import http.client
import json
import os
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.attendance import (  # noqa: E402
    OSLO,
    SECRET,
    free_port,
    fresh_database,
    login,
    seed,
    start_gunicorn,
)

BATCH = 500
# No shape may cost more than this many times the yardstick: a cost that grew with the
# square of the writes (as the day's record once did) shows as a ratio of ten and more.
MAX_RATIO = 4.0
BUDGET_SECONDS = 20.0


def request(port: int, method: str, path: str, body=None, token=None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data or b"null")


def put(path: str, body: dict) -> dict:
    return {"op_id": str(uuid.uuid4()), "method": "PUT", "path": path, "body": body}


def check_in(participant: str, day, minute: int = 0) -> dict:
    moment = datetime.combine(day, clock_time(8), OSLO) + timedelta(minutes=minute % 300)
    return {
        "participant_id": participant,
        "date": day.isoformat(),
        "status": "present",
        "check_in_at": moment.astimezone(UTC).isoformat(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    name = "spire_bench"
    fresh_database(f"{args.postgres}/postgres", name)
    database_url = f"{args.postgres.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    world = seed(database_url, BATCH + 10)
    people = world["participants"]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SPIRE_SECRET_KEY": SECRET,
        "SPIRE_ENV": "production",
    }
    port = free_port()
    server = start_gunicorn("server.wsgi:app", port, args.workers, env)
    yesterday = datetime.now(OSLO).date() - timedelta(days=1)
    rows = []
    try:
        token = login(port)
        one, other = people[-1], people[-2]
        fixed_ids = [str(uuid.uuid4()) for _ in range(50)]
        repeated_id = str(uuid.uuid4())
        # The first run writes yesterday, the second the day before: the yardstick stays
        # 500 first check-ins; the other shapes meet what their first run stored.
        day = {1: yesterday, 2: yesterday - timedelta(days=1)}
        shapes = {
            "500 check-ins, 500 participants (the yardstick)": lambda run: [
                put(f"/attendance/{uuid.uuid4()}", check_in(p, day[run])) for p in people[:BATCH]
            ],
            "500 ids for one participant's day": lambda run: [
                put(f"/attendance/{uuid.uuid4()}", check_in(one, yesterday, n))
                for n in range(BATCH)
            ],
            "50 ids for one day, each corrected 10 times": lambda run: [
                put(f"/attendance/{fixed_ids[n % 50]}", check_in(other, yesterday, n + run))
                for n in range(BATCH)
            ],
            "one id sent 500 times": lambda run: (
                [put(f"/attendance/{repeated_id}", check_in(people[-3], yesterday))] * BATCH
            ),
            "500 follow-ups for one participant": lambda run: [
                put(
                    f"/followups/{uuid.uuid4()}",
                    {
                        "participant_id": one,
                        "kind": "conversation",
                        "occurred_at": datetime.combine(yesterday, clock_time(12), OSLO)
                        .astimezone(UTC)
                        .isoformat(),
                        "note": f"Samtale {n}",
                    },
                )
                for n in range(BATCH)
            ],
        }
        call = _todays_call(port, token, world)
        if call:
            now = datetime.now(UTC).isoformat()
            shapes["500 tries of one wake-up call"] = lambda run: [
                put(f"/wakeups/{call}/attempts/{uuid.uuid4()}", {"outcome": "no_answer", "at": now})
                for _ in range(BATCH)
            ]
        for label, make in shapes.items():
            for run in (1, 2):
                batch = {"operations": make(run)}
                started = time.perf_counter()
                status, body = request(port, "POST", "/api/v1/sync", batch, token)
                seconds = time.perf_counter() - started
                if status != 200:
                    raise SystemExit(f"{label}: {status} {body}")
                answered = Counter(r["status"] for r in body["results"])
                rows.append((label, run, seconds, answered))
    finally:
        server.terminate()
        server.wait(timeout=10)
        with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    yardstick = rows[0][2]
    print(f"\n/sync batches of {BATCH} writes, gunicorn ({args.workers} workers), PostgreSQL\n")
    print(f"{'batch':<50} {'run':>3} {'seconds':>8} {'ratio':>6}  answers")
    for label, run, seconds, answered in rows:
        statuses = ", ".join(f"{n}x{code}" for code, n in sorted(answered.items()))
        print(f"{label:<50} {run:>3} {seconds:>8.2f} {seconds / yardstick:>6.2f}  {statuses}")
    slowest = max(seconds for _, _, seconds, _ in rows)
    worst = max(seconds / yardstick for _, _, seconds, _ in rows)
    met = worst <= MAX_RATIO and slowest < BUDGET_SECONDS
    print(
        f"\nworst ratio to the yardstick {worst:.2f} (target at most {MAX_RATIO:.0f}); "
        f"slowest batch {slowest:.2f} s (the request budget is {BUDGET_SECONDS:.0f} s): "
        + ("meets the target" if met else "MISSES the target")
    )
    failed = any(code >= 500 for *_, answered in rows for code in answered)
    return 0 if met and not failed else 1


def _todays_call(port: int, token: str, world: dict) -> str | None:
    """A wake-up call for today, made by giving a participant a schedule every day."""
    participant = world["participants"][-4]
    status, _ = request(
        port,
        "PUT",
        f"/api/v1/participants/{participant}/wakeup-schedule",
        {"weekdays": [1, 2, 3, 4, 5, 6, 7], "time": "00:01", "active": True},
        token,
    )
    if status not in (200, 201):
        return None
    status, calls = request(
        port, "GET", f"/api/v1/wakeups?department_id={world['department_id']}", token=token
    )
    calls = calls if status == 200 else []
    found = [c["id"] for c in calls if c["participant"]["id"] == participant]
    if not found:
        print("No wake-up call today (a public holiday?): that batch is left out.")
    return found[0] if found else None


if __name__ == "__main__":
    sys.exit(main())
