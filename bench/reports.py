"""Benchmark: a year of attendance exported for a department of 200 participants, and for
departments with 4 and 16 times the data, in the same database and the same run.

One PostgreSQL database holds an organisation with three departments of 200, 800 and 3200
participants, each with a plan (Monday to Friday, 09-14), a year of weekdays registered
(mostly present, some absent for each reason) and planned leave now and then. For each
department and each format (JSON, CSV, XLSX, PDF), ``GET /api/v1/reports/attendance`` for
the whole year is asked through the real app (Flask's test client: the route, the
department scoping, the access log) as the organisation's leader:

- the wall time (best of ``--repeat``), and its ratio to the 200-participant department's,
  divided by the ratio of the data: 1.0 means the time grows as the data does, no faster;
- the peak memory Python allocated while answering (tracemalloc, in a run of its own),
  less the size of the answer itself, and its ratio to the smallest department's: the
  files are written a batch of participants at a time (openpyxl's write-only workbooks
  keep no row once written), so it stays flat; the JSON and the PDF are built whole.

Targets: time ratio at most 1.2 for every format; memory ratio at most 1.5 for CSV and
XLSX.

    .venv/bin/python bench/reports.py [--repeat 2] [--scales 1,4,16] [--formats json,csv,xlsx,pdf]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth); it creates and drops the
database spire_bench_reports. Nothing leaves the machine.
"""

import argparse
import gc
import random
import sys
import time
import tracemalloc
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OSLO = ZoneInfo("Europe/Oslo")
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "spire_bench_reports"
LEADER, PASSWORD = "benk-leder", "Maaling-Rapport-Stol-91"
YEAR = 2025
BASE = 200
ABSENCES = ["sick", "sick_child", "appointment", "leave", "no_show", "other"]


def fresh_database() -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"


def drop_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def make_app(url: str, instance: Path):
    import os

    os.environ["SPIRE_INSTANCE_PATH"] = str(instance)
    from server import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789abcdef",
            "SPIRE_ENV": "development",
            "SPIRE_PASSWORD_HASHING": "fast",
            "REDIS_URL": None,
            # A 3200-participant year is no department's, and takes longer than a request
            # may; the benchmark measures the work, not the limit.
            "SPIRE_REQUEST_BUDGET_SECONDS": 3600,
        }
    )


def seed(app, scales: list[int]) -> dict[int, uuid.UUID]:
    """The organisation, its leader and a department per scale; returns the department
    of each scale."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from server.database import db
    from server.models import (
        Attendance,
        Department,
        Leave,
        Organisation,
        Participant,
        Plan,
        ScheduleSlot,
        User,
        user_departments,
    )
    from server.services.accounts.passwords import hash_password

    rng = random.Random(15)
    with app.app_context():
        upgrade(directory=str(ROOT / "server" / "migrations"))
        organisation = Organisation(name="Benk", timezone="Europe/Oslo")
        db.session.add(organisation)
        db.session.flush()
        leader = User(
            organisation_id=organisation.id,
            username=LEADER,
            full_name="Benk Leder",
            role="leader",
            password_hash=hash_password(PASSWORD),
            active=True,
        )
        db.session.add(leader)
        db.session.flush()
        departments = {}
        first_day, last_day = date(YEAR, 1, 1), date(YEAR, 12, 31)
        for scale in scales:
            department = Department(organisation_id=organisation.id, name=f"Avdeling {scale}")
            db.session.add(department)
            db.session.flush()
            db.session.execute(
                insert(user_departments),
                [{"user_id": leader.id, "department_id": department.id}],
            )
            departments[scale] = department.id
            people, plans, slots, leaves, records = [], [], [], [], []
            for n in range(BASE * scale):
                pid, plan_id = uuid.uuid4(), uuid.uuid4()
                people.append(
                    {
                        "id": pid,
                        "organisation_id": organisation.id,
                        "department_id": department.id,
                        "first_name": f"Deltaker{n}",
                        "last_name": f"Etternavn{n % 97}",
                        "search_name": f"deltaker{n} etternavn{n % 97}",
                        "gender": rng.choice(["female", "male", "other"]),
                        "start_date": first_day - timedelta(days=30),
                        "status": "active",
                        "consent_nav_reporting": True,
                    }
                )
                plans.append(
                    {
                        "id": plan_id,
                        "participant_id": pid,
                        "version": 1,
                        "valid_from": first_day - timedelta(days=30),
                        "work_areas": ["kjøkken"],
                        "created_by_id": leader.id,
                    }
                )
                slots += [
                    {
                        "plan_id": plan_id,
                        "weekday": weekday,
                        "start_time": clock_time(9),
                        "end_time": clock_time(14),
                    }
                    for weekday in range(1, 6)
                ]
                leave_start = first_day + timedelta(days=rng.randrange(0, 350))
                leaves.append(
                    {
                        "id": uuid.uuid4(),
                        "participant_id": pid,
                        "first_day": leave_start,
                        "last_day": leave_start + timedelta(days=4),
                        "created_by_id": leader.id,
                    }
                )
                day = first_day
                while day <= last_day:
                    if day.isoweekday() <= 5 and rng.random() < 0.95:
                        present = rng.random() < 0.8
                        moment = datetime.combine(day, clock_time(9), OSLO).astimezone(UTC)
                        records.append(
                            {
                                "id": uuid.uuid4(),
                                "organisation_id": organisation.id,
                                "participant_id": pid,
                                "department_id": department.id,
                                "date": day,
                                "status": "present" if present else "absent",
                                "absence_reason": None if present else rng.choice(ABSENCES),
                                "check_in_at": moment if present else None,
                                "status_recorded_at": moment,
                                "created_by_id": leader.id,
                                "updated_by_id": leader.id,
                            }
                        )
                    day += timedelta(days=1)
            for model, rows in (
                (Participant, people),
                (Plan, plans),
                (ScheduleSlot, slots),
                (Leave, leaves),
                (Attendance, records),
            ):
                for start in range(0, len(rows), 20000):
                    db.session.execute(insert(model), rows[start : start + 20000])
            db.session.commit()
            print(
                f"  department of {BASE * scale}: {len(records)} attendance records",
                flush=True,
            )
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return departments


def token(client) -> str:
    """A fresh access token of the leader (one lives 15 minutes; the run takes longer)."""
    answer = client.post("/api/v1/auth/login", json={"username": LEADER, "password": PASSWORD})
    return answer.json["access_token"]


def ask(client, department: uuid.UUID, format: str):
    response = client.get(
        "/api/v1/reports/attendance",
        query_string={
            "department_id": str(department),
            "from": f"{YEAR}-01-01",
            "to": f"{YEAR}-12-31",
            "format": format,
        },
        headers={"Authorization": f"Bearer {token(client)}", "Accept-Language": "nb"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data()


def measure(app, department, format, repeat) -> tuple[float, int, int]:
    """(best wall seconds, peak bytes allocated less the answer's size, answer's size)."""
    client = app.test_client()
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        body = ask(client, department, format)
        best = min(best, time.perf_counter() - started)
    gc.collect()
    tracemalloc.start()
    body = ask(client, department, format)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak - len(body), len(body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--formats", default="json,csv,xlsx,pdf")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    formats = args.formats.split(",")

    import tempfile

    url = fresh_database()
    try:
        with tempfile.TemporaryDirectory() as instance:
            app = make_app(url, Path(instance))
            print("Seeding ...", flush=True)
            started = time.perf_counter()
            departments = seed(app, scales)
            print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
            results = {}
            for format in formats:
                for scale in scales:
                    results[format, scale] = measure(app, departments[scale], format, args.repeat)
                    seconds, working, size = results[format, scale]
                    print(
                        f"  {format:>4} x{scale:<3} {seconds:7.2f} s  "
                        f"working memory {working / 2**20:7.1f} MiB  "
                        f"answer {size / 2**20:7.1f} MiB",
                        flush=True,
                    )
    finally:
        drop_database()

    print()
    print(f"A year of attendance ({YEAR}), {BASE} participants = 1x")
    print(
        f"{'format':>6} {'scale':>5} {'seconds':>8} {'time ratio':>10} {'MiB':>7} {'mem ratio':>9}"
    )
    failures = []
    for format in formats:
        base_seconds, base_memory, _ = results[format, scales[0]]
        for scale in scales:
            seconds, working, _ = results[format, scale]
            growth = scale / scales[0]
            time_ratio = seconds / base_seconds / growth
            memory_ratio = working / base_memory
            print(
                f"{format:>6} {scale:>4}x {seconds:8.2f} {time_ratio:10.2f} "
                f"{working / 2**20:7.1f} {memory_ratio:9.2f}"
            )
            if time_ratio > 1.2:
                failures.append(f"{format} x{scale}: time grew {time_ratio:.2f}x the data")
            if format in ("csv", "xlsx") and memory_ratio > 1.5:
                failures.append(f"{format} x{scale}: working memory grew {memory_ratio:.2f}x")
    print()
    print("\n".join(failures) if failures else "Targets met.")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
