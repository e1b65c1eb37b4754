"""Benchmark: attendance check-ins and the day's list against a minimal Flask insert.

Runs Spire under gunicorn against PostgreSQL next to a minimal Flask app (one INSERT per
request, bench/minimal_app.py) on the same database, drives both with the same closed-loop
load in one run, and prints throughput, p50/p99 latency, the CPU time each request costs
the server, the database and the load generator, and the ratio of Spire's check-in
throughput to the minimal endpoint's. Target: the ratio is at least 0.5.

The two alternate in rounds (minimal, check-in, minimal, check-in, ..., minimal), so a
machine that speeds up or slows down during the run affects both alike; the ratio is of
all check-ins over all minimal inserts, and each round's own ratio is printed too.

    .venv/bin/python bench/attendance.py [--seconds 8] [--rounds 5] [--connections 8]
                                         [--workers 3]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth); it creates and drops the
database spire_bench. Only loopback addresses are used.
"""

import argparse
import itertools
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import cpu, load  # noqa: E402

OSLO = ZoneInfo("Europe/Oslo")
SECRET = "bench-secret-key-0123456789abcdef0123456789abcdef"
PASSWORD = "Maaling-Kaffe-Stol-77"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


# Half a year of weekdays already registered (long before the days the benchmark
# writes), with their writes and access-log rows: a database in use, not a new one.
HISTORY = """
WITH days AS (
    SELECT d::date AS day FROM generate_series(date '2024-01-01', date '2024-06-30', '1 day') d
    WHERE extract(isodow FROM d) < 6
), made AS (
    INSERT INTO attendance (id, organisation_id, participant_id, department_id, date, status,
        check_in_at, status_recorded_at, created_by_id, updated_by_id, version, created_at,
        updated_at)
    SELECT gen_random_uuid(), p.organisation_id, p.id, p.department_id, days.day, 'present',
        days.day + time '09:00', days.day + time '09:00', %(user)s, %(user)s, 1,
        days.day + time '09:00', days.day + time '09:00'
    FROM participants p CROSS JOIN days
    RETURNING id, organisation_id, participant_id, date, check_in_at
), writes AS (
    INSERT INTO attendance_writes (id, attendance_id, participant_id, date, body, recorded_at,
        written_at)
    SELECT id, id, participant_id, date, jsonb_build_object('status', 'present'), check_in_at,
        check_in_at
    FROM made
)
INSERT INTO access_log (id, organisation_id, user_id, participant_id, action, resource, at)
SELECT gen_random_uuid(), organisation_id, %(user)s, participant_id, 'create', 'attendance',
    check_in_at
FROM made
"""


def seed(database_url: str, participants: int) -> dict:
    """Schema by the real migrations, then one department with its participants and half a
    year of their attendance."""
    env = {**os.environ, "DATABASE_URL": database_url, "SPIRE_SECRET_KEY": SECRET}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "server", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    from server import create_app
    from server.database import db
    from server.models import Participant, Plan, ScheduleSlot
    from server.services import accounts
    from shared.vocab import Gender, Role

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    with app.app_context():
        org = accounts.organisation_for_cli("Benk", "Europe/Oslo")
        user = accounts.create_user_from_cli(
            org, "benk", Role.FACILITATOR, PASSWORD, "Benk Bruker", ["Kafé"]
        )
        department = user.departments[0]
        people = []
        for n in range(participants):
            person = Participant(
                id=uuid.uuid4(),
                organisation_id=org.id,
                department_id=department.id,
                first_name=f"Deltaker{n:03d}",
                last_name="Benk",
                search_name=f"deltaker{n:03d} benk",
                gender=Gender.UNSPECIFIED,
                start_date=date(2024, 1, 1),
                consent_nav_reporting=True,
            )
            people.append(person)
            db.session.add(person)
            db.session.add(
                Plan(
                    participant_id=person.id,
                    version=1,
                    valid_from=date(2024, 1, 1),
                    work_areas=["kjøkken"],
                    created_by_id=user.id,
                    schedule=[
                        ScheduleSlot(weekday=d, start_time=clock_time(9), end_time=clock_time(14))
                        for d in range(1, 6)
                    ],
                )
            )
        db.session.commit()
        ids = [str(p.id) for p in people]
        department_id = str(department.id)
        user_id = user.id
        db.engine.dispose()
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE bench_pings (id uuid PRIMARY KEY, body jsonb NOT NULL,"
            " at timestamptz NOT NULL DEFAULT now())"
        )
        conn.execute(HISTORY, {"user": user_id})
        # Statistics, as autovacuum keeps them on a live database (a development server
        # may run without it; with none, PostgreSQL plans the lookups blind).
        conn.execute("ANALYZE")
    return {"participants": ids, "department_id": department_id}


def start_gunicorn(app_path: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_path,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"{app_path} did not start")


def login(port: int) -> str:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request(
        "POST",
        "/api/v1/auth/login",
        body=json.dumps({"username": "benk", "password": PASSWORD}),
        headers={"Content-Type": "application/json"},
    )
    response = conn.getresponse()
    body = json.loads(response.read())
    if response.status != 200:
        raise SystemExit(f"login failed: {body}")
    return body["access_token"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8, help="per run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    name = "spire_bench"
    fresh_database(f"{args.postgres}/postgres", name)
    database_url = f"{args.postgres.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    world = seed(database_url, args.participants)

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SPIRE_SECRET_KEY": SECRET,
        "SPIRE_ENV": "production",
        "BENCH_DATABASE_URL": database_url,
    }
    spire_port, minimal_port = free_port(), free_port()
    servers = [
        start_gunicorn("server.wsgi:app", spire_port, args.workers, env),
        start_gunicorn("bench.minimal_app:app", minimal_port, args.workers, env),
    ]
    try:
        token = login(spire_port)
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        participants = world["participants"]
        yesterday = datetime.now(OSLO).date() - timedelta(days=1)
        connections = args.connections

        # Every check-in is the first for its participant and day, across all rounds.
        first_writes = itertools.count()

        def check_in(worker: int, n: int) -> load.Request:
            k = next(first_writes)
            day = yesterday - timedelta(days=k // len(participants))
            moment = datetime.combine(day, clock_time(9), OSLO).astimezone(UTC)
            body = {
                "participant_id": participants[k % len(participants)],
                "date": day.isoformat(),
                "status": "present",
                "check_in_at": moment.isoformat(),
            }
            return "PUT", f"/api/v1/attendance/{uuid.uuid4()}", body, auth

        def minimal(worker: int, n: int) -> load.Request:
            body = {
                "participant_id": participants[n % len(participants)],
                "date": yesterday.isoformat(),
                "status": "present",
            }
            return "PUT", f"/ping/{uuid.uuid4()}", body, {"Content-Type": "application/json"}

        def day_list(worker: int, n: int) -> load.Request:
            return "GET", f"/api/v1/today?department_id={world['department_id']}", None, auth

        database_processes = cpu.postgres(f"{args.postgres}/postgres", name)

        def run(label, port, make, expect, seconds=args.seconds):
            server = servers[0] if port == spire_port else servers[1]
            meter = cpu.Meter(
                {
                    "server": lambda: cpu.tree(server.pid),
                    "database": database_processes,
                    "load": lambda: [os.getpid()],
                }
            )
            return load.run(label, "127.0.0.1", port, make, expect, connections, seconds, meter)

        run("warm-up", minimal_port, minimal, {201}, 1)
        run("warm-up", spire_port, day_list, {200}, 1)
        minimals = [run("minimal", minimal_port, minimal, {201})]
        check_ins = []
        for _ in range(args.rounds):
            check_ins.append(run("check-in", spire_port, check_in, {201}))
            minimals.append(run("minimal", minimal_port, minimal, {201}))
        day_lists = [run("today", spire_port, day_list, {200})]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)

    results = [
        load.pooled("minimal insert (Flask + 1 INSERT)", minimals),
        load.pooled("PUT /attendance/{id} (check-in)", check_ins),
        load.pooled(f"GET /today ({len(participants)} participants)", day_lists),
    ]
    ratio = results[1].per_second / results[0].per_second
    rounds = [
        check_ins[n].per_second / ((minimals[n].per_second + minimals[n + 1].per_second) / 2)
        for n in range(args.rounds)
    ]
    print(
        f"\n{args.workers} gunicorn workers each, {connections} connections, "
        f"{args.rounds} rounds of {args.seconds:.0f} s runs, PostgreSQL, {os.cpu_count()} cores\n"
    )
    for result in results:
        print(result.line())
    verdict = "meets" if ratio >= 0.5 else "BELOW"
    print(f"\ncheck-in / minimal insert throughput: {ratio:.2f} ({verdict} the 0.5 target)")
    print("each round: " + ", ".join(f"{r:.2f}" for r in rounds))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "attendance.json").write_text(
        json.dumps(
            {
                "ratio": ratio,
                "rounds": rounds,
                "runs": [
                    {
                        "name": r.name,
                        "per_second": r.per_second,
                        "p50_ms": r.percentile(50),
                        "p99_ms": r.percentile(99),
                        "errors": r.errors,
                        "requests": r.requests,
                        "cpu_ms_per_request": r.cpu_ms(),
                    }
                    for r in results
                ],
            },
            indent=2,
        )
    )
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return 0 if all(r.errors == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
