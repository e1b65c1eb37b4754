"""Benchmark: the phone app's core against Spire under gunicorn on PostgreSQL: what a
morning's sync costs, what a refresh that finds nothing new costs, and how long the app
takes to show the day's list when it starts.

1. A morning of 200 writes made through the phone's core (wake-up tries, check-ins,
   absences, follow-ups, in the order a facilitator makes them), queued in its outbox
   and sent by its syncer (``POST /sync``, 100 writes a request); the same 200 writes,
   made the same way in another department of the same size, sent one request each by
   the phone's own HTTP client; then the first phone's outbox as it was before its sync
   (its folder copied then: an app killed after the server answered and before it noted
   the answers) synced again, with the rows of every table counted before and after.
   Round trips, wall time, the CPU time of the server, the database (bench/cpu.py) and
   the phone, per write, in rounds (batch, one by one, replay, batch, ...), and the
   ratios over all rounds.
2. ``GET /today`` (200 participants, the morning above) and ``GET /wakeups`` (40 calls):
   each of 12 colleagues' first refresh of the clock hour (it logs one access-log row
   per participant; every other one sends the ETag it holds and is answered 304), then,
   for the phone's user, turn about: a refresh after a colleague's change (200) and one
   with nothing changed (``If-None-Match``: 304). Server and database CPU ms per request
   (each request measured alone, with the worker's work after the answer has left), bytes
   on the wire and access-log rows written; then the same two refreshes through the
   phone's core (its wall time and CPU).
3. The app's start to a usable day list of 50 participants: a new process runs
   bench/phone_start.py (the core alone) after a login (no copy yet: fetched), then with
   the copy (online, and with no server); then the same three starts of the real app,
   screens and all, on a virtual screen (bench/phone_app_start.py, under Xvfb: to the
   PIN screen, and, the PIN typed at once, to the list shown with its rows).

    .venv/bin/python bench/phone.py [--workers 2] [--rounds 3] [--refreshes 16]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth); it creates and drops the
database spire_bench_phone. Only loopback addresses are used.
"""

import argparse
import contextlib
import functools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as clock_time
from http.client import HTTPConnection
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import cpu  # noqa: E402
from bench.attendance import (  # noqa: E402
    HISTORY,
    PASSWORD,
    SECRET,
    free_port,
    fresh_database,
    start_gunicorn,
)
from mobile.core.client import ApiError  # noqa: E402
from mobile.core.spire import Spire  # noqa: E402
from shared.vocab import AbsenceReason, FollowUpKind, WakeupOutcome  # noqa: E402
from tests.mobile.screen import phone_screen  # noqa: E402

NAME = "spire_bench_phone"
USER = "benk"
SIZE, CALLS = 200, 40  # participants and wake-up calls of a measured department
SMALL, SMALL_SIZE, SMALL_CALLS = "Smie", 50, 10  # the warm-up's and the app's start's
START_RUNS = 3


def batch_department(round_: int) -> str:
    return f"Kafé {round_ + 1}"


def single_department(round_: int) -> str:
    return f"Verksted {round_ + 1}"


# The server's side ---------------------------------------------------------------------


def seed(database_url: str, rounds: int, colleagues: int) -> dict[str, str]:
    """Schema by the real migrations; one facilitator in every department, the colleagues
    in the first; participants with a plan (weekdays 9 to 14) and half a year of
    attendance before today, the first of each department with a wake-up call every
    morning. The departments' ids by name."""
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
    from server.models import Participant, Plan, ScheduleSlot, WakeupSchedule
    from server.services import accounts
    from shared.vocab import Gender, Role

    sizes = {batch_department(n): SIZE for n in range(rounds)}
    sizes |= {single_department(n): SIZE for n in range(rounds)}
    sizes[SMALL] = SMALL_SIZE
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    with app.app_context():
        org = accounts.organisation_for_cli("Benk", "Europe/Oslo")
        user = accounts.create_user_from_cli(
            org, USER, Role.FACILITATOR, PASSWORD, "Benk Bruker", list(sizes)
        )
        for n in range(colleagues):
            accounts.create_user_from_cli(
                org,
                f"kollega{n}",
                Role.FACILITATOR,
                PASSWORD,
                f"Kollega {n}",
                [batch_department(0)],
            )
        departments = {d.name: d for d in user.departments}
        for name, size in sizes.items():
            for n in range(size):
                person = Participant(
                    id=uuid.uuid4(),
                    organisation_id=org.id,
                    department_id=departments[name].id,
                    first_name=f"{name.split()[0]}{n:03d}",
                    last_name="Benk",
                    search_name=f"{name.split()[0].lower()}{n:03d} benk",
                    gender=Gender.UNSPECIFIED,
                    start_date=date(2024, 1, 1),
                    consent_nav_reporting=True,
                )
                db.session.add(person)
                if n < (SMALL_CALLS if name == SMALL else CALLS):  # a call every morning
                    db.session.add(
                        WakeupSchedule(
                            participant_id=person.id,
                            weekdays=[1, 2, 3, 4, 5, 6, 7],
                            time=clock_time(6 + n % 2, n * 5 % 60),
                            updated_by_id=user.id,
                        )
                    )
                db.session.add(
                    Plan(
                        participant_id=person.id,
                        version=1,
                        valid_from=date(2024, 1, 1),
                        work_areas=["kjøkken"],
                        created_by_id=user.id,
                        schedule=[
                            ScheduleSlot(
                                weekday=d, start_time=clock_time(9), end_time=clock_time(14)
                            )
                            for d in range(1, 6)
                        ],
                    )
                )
        db.session.commit()
        ids = {name: str(department.id) for name, department in departments.items()}
        user_id = user.id
        db.engine.dispose()
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(HISTORY, {"user": user_id})
        conn.execute("ANALYZE")
    return ids


@dataclass
class Answer:
    status: int
    etag: str | None
    sent: int  # bytes
    received: int  # bytes: status line, headers and body
    body: bytes = b""


def http(port: int, method: str, path: str, token: str, body=None, etag=None) -> Answer:
    """One request on a new connection, as the phone sends it (urllib's headers), with
    the bytes that went each way."""
    data = json.dumps(body).encode() if body is not None else b""
    lines = [
        f"{method} /api/v1{path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Accept-Encoding: identity",
        "User-Agent: Python-urllib/3.11",
        "Accept: application/json",
        f"Authorization: Bearer {token}",
        "Connection: close",
    ]
    if etag:
        lines.append(f"If-None-Match: {etag}")
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + data
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, payload = raw.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    headers = {
        key.strip().lower(): value.strip()
        for key, _, value in (line.partition(":") for line in head_lines[1:])
    }
    status = int(head_lines[0].split()[1])
    return Answer(status, headers.get("etag"), len(request), len(raw), payload)


def login(port: int, username: str) -> str:
    client = HTTPConnection("127.0.0.1", port, timeout=30)
    client.request(
        "POST",
        "/api/v1/auth/login",
        body=json.dumps({"username": username, "password": PASSWORD}),
        headers={"Content-Type": "application/json"},
    )
    response = client.getresponse()
    body = json.loads(response.read())
    client.close()
    if response.status != 200:
        raise SystemExit(f"login of {username} failed: {body}")
    return body["access_token"]


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Rows:
    """Rows of every table, counted on one connection kept open for the whole run (a
    connection opened during a measurement would be counted as the database's work)."""

    def __init__(self, url: str):
        self.conn = psycopg.connect(url, autocommit=True)
        self.tables = [
            name
            for (name,) in self.conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]

    def count(self, table: str = "access_log") -> int:
        return self.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

    def all(self) -> dict[str, int]:
        return {table: self.count(table) for table in self.tables}

    def close(self) -> None:
        self.conn.close()


# The phone's side ----------------------------------------------------------------------


class Tally:
    """The requests a phone's client sends, with their statuses (the answers of a
    ``POST /sync`` counted write by write)."""

    def __init__(self, spire: Spire):
        self.requests: list[tuple[str, str, int]] = []
        self.writes: Counter = Counter()
        send = spire.client._send

        def counted(method, path, *args, **kwargs):
            status, headers, answer = send(method, path, *args, **kwargs)
            self.requests.append((method, path, status))
            if path == "/sync" and status == 200:
                self.writes.update(result["status"] for result in answer["results"])
            elif method != "GET":
                self.writes[status] += 1
            return status, headers, answer

        spire.client._send = counted

    def reset(self) -> None:
        self.requests.clear()
        self.writes.clear()


def phone(folder: Path, port: int, department: str) -> Spire:
    """A phone logged in as the facilitator, showing ``department``, with the day's list
    and calls fetched (as the app does when it opens in the morning)."""
    spire = Spire(folder, timeout=60)
    spire.session.log_in(f"http://127.0.0.1:{port}", USER, PASSWORD)
    chosen = next(d["id"] for d in spire.session.departments if d["name"] == department)
    spire.session.switch_department(chosen)
    spire.day.refresh()
    spire.calls.refresh()
    return spire


def morning(spire: Spire) -> list[tuple[str, float]]:
    """200 writes of a morning, made on the phone as a facilitator makes them: a first
    round of wake-up calls (40: no answer, coming, not coming), 60 early check-ins, a
    second round for those who did not answer, the callers checked in as they come, more
    check-ins, 15 absences, 10 follow-up talks. What each write was, and the seconds it
    took to queue."""
    calls = spire.calls.read()
    if len(calls) != CALLS:
        raise SystemExit(f"{len(calls)} wake-up calls today, not {CALLS}")
    called = {call.participant_id for call in calls}
    rows = spire.day.read().rows
    others = [row.participant_id for row in rows if row.participant_id not in called]
    took: list[tuple[str, float]] = []

    def timed(kind: str, write, *args, **kwargs) -> None:
        began = time.perf_counter()
        write(*args, **kwargs)
        took.append((kind, time.perf_counter() - began))

    log = spire.calls.log_outcome
    for call in calls[:25]:
        timed("wake-up try", log, call.id, WakeupOutcome.NO_ANSWER)
    for call in calls[25:35]:
        timed("wake-up try", log, call.id, WakeupOutcome.ANSWERED_COMING)
    for call in calls[35:40]:
        timed("wake-up try", log, call.id, WakeupOutcome.ANSWERED_NOT_COMING, AbsenceReason.SICK)
    for participant in others[:60]:
        timed("check-in", spire.day.check_in, participant)
    for call in calls[:15]:
        timed("wake-up try", log, call.id, WakeupOutcome.ANSWERED_COMING)
    for call in calls[15:25]:
        timed("wake-up try", log, call.id, WakeupOutcome.NO_ANSWER)
    for call in [*calls[:15], *calls[25:35]]:
        timed("check-in", spire.day.check_in, call.participant_id)
    for participant in others[60:85]:
        timed("check-in", spire.day.check_in, participant)
    reasons = [AbsenceReason.SICK, AbsenceReason.APPOINTMENT, AbsenceReason.SICK_CHILD]
    for n, participant in enumerate(others[85:100]):
        timed("absence", spire.day.absent, participant, reasons[n % len(reasons)])
    for participant in others[:10]:
        timed(
            "follow-up",
            spire.followups.log,
            participant,
            FollowUpKind.CONVERSATION,
            duration_minutes=15,
            note="Samtale om uka",
        )
    if spire.outbox.pending_count() != SIZE:
        raise SystemExit("the outbox does not hold the morning's writes")
    return took


@dataclass
class Run:
    """One measured piece of work: wall seconds, CPU seconds by group, and what it did."""

    wall: float
    cpu: dict[str, float]
    requests: int = 0
    writes: Counter = field(default_factory=Counter)


class Measure:
    """Wall time and the CPU time of the server, the database and this thread (the
    phone's core runs in it) of one piece of work. The meter stops ``settle`` seconds
    after the work: a worker frees what a request used after its answer has left."""

    def __init__(self, server_pid: int, database_pids):
        self.meter = cpu.Meter({"server": lambda: cpu.tree(server_pid), "database": database_pids})

    def __call__(
        self, work, tally: Tally | None = None, settle: float = 0.05
    ) -> tuple[Run, object]:
        if tally:
            tally.reset()
        self.meter.start()
        began, thread = time.perf_counter(), time.thread_time()
        result = work()
        wall, phone_cpu = time.perf_counter() - began, time.thread_time() - thread
        time.sleep(settle)
        used = self.meter.stop()
        used["phone"] = phone_cpu
        run = Run(wall, used)
        if tally:
            run.requests = len(tally.requests)
            run.writes = Counter(tally.writes)
        return run, result


def one_by_one(spire: Spire) -> None:
    """The outbox's writes sent one request each, by the phone's client, oldest first."""
    for entry in spire.outbox.entries():
        try:
            spire.client.call(entry.method, entry.path, entry.body)
        except ApiError:
            pass  # counted by the tally


# The measurements ----------------------------------------------------------------------


def warm_up(folder: Path, port: int) -> None:
    """The workers' first requests of each kind (imports, caches, the pool) on the small
    department, so that no measured run pays for them."""
    spire = phone(folder, port, SMALL)
    rows = spire.day.read().rows
    for row in rows[:10]:
        spire.day.check_in(row.participant_id)
    spire.sync()
    for row in rows[10:20]:
        spire.day.check_in(row.participant_id)
    one_by_one(spire)
    for _ in range(3):
        spire.day.refresh()
        spire.calls.refresh()
    spire.close()


def _changed(before: dict, after: dict) -> Counter:
    return Counter({table: after[table] - n for table, n in before.items() if after[table] != n})


def sync_rounds(base: Path, port: int, measure: Measure, rows: Rows, rounds: int) -> dict:
    found: dict = {"queued": [], "batch": [], "single": [], "replay": []}
    found |= {"stored": Counter(), "replayed": Counter()}
    for n in range(rounds):
        # The morning through the phone's syncer.
        folder = base / f"batch{n}"
        batch = phone(folder, port, batch_department(n))
        found["queued"] += morning(batch)
        batch.close()  # its folder as it is now: the app killed after the server answered
        shutil.copytree(folder, base / f"killed{n}")
        batch = Spire(folder, timeout=60)
        before = rows.all()
        run, report = measure(batch.sync, Tally(batch), settle=0.2)
        if report.done != SIZE or report.pending or report.refused:
            raise SystemExit(f"the sync left writes behind: {report}")
        found["stored"] += _changed(before, rows.all())
        found["batch"].append(run)
        batch.close()

        # The same morning in another department, one request a write.
        single = phone(base / f"single{n}", port, single_department(n))
        morning(single)
        run, _ = measure(functools.partial(one_by_one, single), Tally(single), settle=0.2)
        found["single"].append(run)
        single.close()

        # The first phone's outbox again, as the app finds it after the kill.
        replay = Spire(base / f"killed{n}", timeout=60)
        before = rows.all()
        run, report = measure(replay.sync, Tally(replay), settle=0.2)
        if report.done != SIZE or report.pending or report.refused:
            raise SystemExit(f"the replay left writes behind: {report}")
        found["replayed"] += _changed(before, rows.all())
        found["replay"].append(run)
        replay.close()
    return found


@dataclass
class Refreshes:
    """Refreshes of one kind: (Run, Answer, access-log rows written) each."""

    label: str
    runs: list = field(default_factory=list)

    def mean(self, what) -> float:
        return statistics.fmean(what(run, answer, logged) for run, answer, logged in self.runs)

    def statuses(self) -> str:
        counted = Counter(answer.status for _, answer, _ in self.runs)
        return ", ".join(f"{n}x{status}" for status, n in sorted(counted.items()))


def refresh_runs(port, measure, rows, path, token, colleagues, change, times) -> list[Refreshes]:
    """The server's cost of one list's refreshes, each request measured alone."""

    def one(kind: Refreshes, who: str, etag: str | None) -> Answer:
        logged = rows.count()
        run, answer = measure(functools.partial(http, port, "GET", path, who, etag=etag))
        kind.runs.append((run, answer, rows.count() - logged))
        return answer

    current = http(port, "GET", path, token).etag
    first_200 = Refreshes("first of the hour, 200")
    first_304 = Refreshes("first of the hour, 304")
    for n, colleague in enumerate(colleagues):
        if n % 2:
            one(first_304, colleague, current)  # the copy it held last hour is still good
        else:
            one(first_200, colleague, None)
    changed = Refreshes("after a change, 200")
    unchanged = Refreshes("unchanged, 304")
    for n in range(times):
        change(n)
        current = one(changed, token, current).etag
        one(unchanged, token, current)
    return [first_200, first_304, changed, unchanged]


def phone_refreshes(spire: Spire, refresh, change, times: int, offset: int) -> dict:
    """The phone's wall time and CPU (medians) of a refresh through its core: after a
    change (200, the copy replaced) and with nothing new (304, only its time noted)."""
    tally = Tally(spire)
    measured: dict[int, list[tuple[float, float]]] = {200: [], 304: []}
    refresh()
    for n in range(times):
        change(offset + n)
        for _ in range(2):
            tally.reset()
            began, thread = time.perf_counter(), time.thread_time()
            refresh()
            wall, used = time.perf_counter() - began, time.thread_time() - thread
            measured[tally.requests[-1][2]].append((wall, used))
    return {
        status: (
            len(got),
            statistics.median(w for w, _ in got),
            statistics.median(c for _, c in got),
        )
        for status, got in measured.items()
        if got
    }


def start_runs(base: Path, port: int) -> dict:
    """The app's start in a new process, core only: the small department's list."""

    def start(folder: Path, mode: str) -> dict:
        spawned = time.time()
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench/phone_start.py"), str(folder), repr(spawned), mode],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    folders = [base / f"start{n}" for n in range(START_RUNS)]
    for folder in folders:  # logged in, with no copy of the list yet
        spire = Spire(folder, timeout=10)
        spire.session.log_in(f"http://127.0.0.1:{port}", USER, PASSWORD)
        chosen = next(d["id"] for d in spire.session.departments if d["name"] == SMALL)
        spire.session.switch_department(chosen)
        spire.close()
    started = {mode: [] for mode in ("cold", "warm", "offline")}
    started["cold"] = [start(folder, "cold") for folder in folders]
    started["warm"] = [start(folder, "warm") for folder in folders]
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    for folder in folders:
        spire = Spire(folder)
        spire.store.put(server_url=nowhere)
        spire.close()
    started["offline"] = [start(folder, "offline") for folder in folders]
    return started


APP_PIN = "2580"


@contextlib.contextmanager
def virtual_screen():
    """An Xvfb display the size of a phone held upright (its name), None without Xvfb."""
    if not shutil.which("Xvfb"):
        yield None
        return
    with phone_screen() as display:
        yield display


def app_start_runs(base: Path, port: int) -> dict | None:
    """The real app's start in a new process on a virtual screen: the small department's
    list shown; None without Xvfb."""
    with virtual_screen() as display:
        if display is None:
            return None
        env = {**os.environ, "DISPLAY": display, "KIVY_HOME": str(base / "kivy")}

        def start(folder: Path) -> dict:
            spawned = time.time()
            done = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench/phone_app_start.py"),
                    str(folder),
                    repr(spawned),
                    APP_PIN,
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            return json.loads(done.stdout.strip().splitlines()[-1])

        folders = [base / f"app{n}" for n in range(START_RUNS)]
        for folder in folders:  # logged in, the PIN chosen, no copy of the list yet
            spire = Spire(folder, timeout=10)
            spire.session.log_in(f"http://127.0.0.1:{port}", USER, PASSWORD)
            chosen = next(d["id"] for d in spire.session.departments if d["name"] == SMALL)
            spire.session.switch_department(chosen)
            spire.session.set_pin(APP_PIN)
            spire.close()
        started = {"cold": [start(folder) for folder in folders]}
        started["warm"] = [start(folder) for folder in folders]
        nowhere = f"http://127.0.0.1:{free_port()}"
        for folder in folders:
            spire = Spire(folder)
            spire.store.put(server_url=nowhere)
            spire.close()
        started["offline"] = [start(folder) for folder in folders]
        return started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--refreshes", type=int, default=16, help="of each kind, per list")
    parser.add_argument("--colleagues", type=int, default=12)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    began = time.perf_counter()
    fresh_database(f"{args.postgres}/postgres", NAME)
    database_url = f"{args.postgres.replace('postgresql://', 'postgresql+psycopg://')}/{NAME}"
    departments = seed(database_url, args.rounds, args.colleagues)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SPIRE_SECRET_KEY": SECRET,
        "SPIRE_ENV": "production",
    }
    port = free_port()
    server = start_gunicorn("server.wsgi:app", port, args.workers, env)
    base = Path(tempfile.mkdtemp(prefix="spire-phone-"))
    rows = Rows(f"{args.postgres}/{NAME}")
    try:
        measure = Measure(server.pid, cpu.postgres(f"{args.postgres}/postgres", NAME))
        token = login(port, USER)
        warm_up(base / "warm-up", port)
        phases = {"setting up": time.perf_counter() - began}
        synced = sync_rounds(base, port, measure, rows, args.rounds)
        phases["1"] = time.perf_counter() - began - sum(phases.values())

        # The first morning's department, refreshed; a colleague changes it in between.
        colleagues = [login(port, f"kollega{n}") for n in range(args.colleagues)]
        query = f"?department_id={departments[batch_department(0)]}"
        day = json.loads(http(port, "GET", f"/today{query}", token).body)
        present = [
            row["participant"]["id"]
            for row in day["participants"]
            if (row["attendance"] or {}).get("check_in_at")
        ]
        calls = json.loads(http(port, "GET", f"/wakeups{query}", token).body)
        open_calls = [call["id"] for call in calls if call["status"] == "pending"]

        def change(method_path_body) -> None:
            answer = http(port, "PUT", *method_path_body)
            if answer.status not in (200, 201):
                raise SystemExit(f"a colleague's change: {answer.status} {answer.body[:300]!r}")
            time.sleep(0.05)  # its worker done, before the next request is measured

        def check_out(n: int) -> None:
            body = {"participant_id": present[n], "date": day["date"], "status": "present"}
            change((f"/attendance/{uuid.uuid4()}", colleagues[0], body | {"check_out_at": now()}))

        def try_call(n: int) -> None:
            path = f"/wakeups/{open_calls[n % len(open_calls)]}/attempts/{uuid.uuid4()}"
            change((path, colleagues[0], {"outcome": "no_answer", "at": now()}))

        times = args.refreshes
        lists = {
            f"GET /today ({SIZE} participants)": refresh_runs(
                port, measure, rows, f"/today{query}", token, colleagues, check_out, times
            ),
            f"GET /wakeups ({CALLS} calls)": refresh_runs(
                port, measure, rows, f"/wakeups{query}", token, colleagues, try_call, times
            ),
        }
        spire = Spire(base / "batch0", timeout=60)
        on_phone = {
            "/today": phone_refreshes(spire, spire.day.refresh, check_out, times // 2, times),
            "/wakeups": phone_refreshes(spire, spire.calls.refresh, try_call, times // 2, times),
        }
        spire.close()
        phases["2"] = time.perf_counter() - began - sum(phases.values())
        started = start_runs(base, port)
        app_started = app_start_runs(base, port)
        phases["3"] = time.perf_counter() - began - sum(phases.values())
    finally:
        rows.close()
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(base, ignore_errors=True)
        with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")

    print(
        f"\nThe phone's core against Spire: gunicorn ({args.workers} workers), PostgreSQL, "
        f"{os.cpu_count()} cores; {time.perf_counter() - began:.0f} s in all ("
        + ", ".join(f"{phase} {seconds:.0f} s" for phase, seconds in phases.items())
        + ")\n"
    )
    failed = _print_sync(synced, args.rounds)
    failed |= _print_refreshes(lists, on_phone)
    failed |= _print_start(started)
    failed |= _print_app_start(app_started)
    return 1 if failed else 0


# The report ----------------------------------------------------------------------------


PLURAL = {
    "wake-up try": "wake-up tries",
    "check-in": "check-ins",
    "absence": "absences",
    "follow-up": "follow-ups",
}


def _ms(seconds: float, per: int = 1) -> str:
    return f"{seconds * 1000 / per:.1f}"


def _pooled(runs: list[Run]) -> Run:
    cpu_used = Counter()
    for run in runs:
        cpu_used.update(run.cpu)
    writes = Counter()
    for run in runs:
        writes.update(run.writes)
    return Run(sum(r.wall for r in runs), dict(cpu_used), sum(r.requests for r in runs), writes)


def _print_sync(synced: dict, rounds: int) -> bool:
    kinds: dict[str, list[float]] = {}
    for kind, seconds in synced["queued"]:
        kinds.setdefault(kind, []).append(seconds)
    made = ", ".join(
        f"{len(took) // rounds} {PLURAL[kind]} {_ms(statistics.median(took))}"
        for kind, took in kinds.items()
    )
    check_ins = kinds["check-in"][: len(kinds["check-in"]) // rounds]
    print(
        f"1. A morning of {SIZE} writes, {rounds} rounds. Queued on the phone, each on disk "
        f"(median ms): {made};\n   one round's check-ins, the first ten "
        f"{_ms(statistics.median(check_ins[:10]))} ms, the last ten "
        f"{_ms(statistics.median(check_ins[-10:]))} ms\n"
    )
    writes = SIZE * rounds
    print(
        f"{'':<32} {'requests':>8}   {'per write, ms: wall':>19} {'server':>7} "
        f"{'database':>8} {'phone':>6}  answers (all rounds)"
    )
    labels = {
        "batch": "POST /sync (the phone's syncer)",
        "single": "one PUT a write",
        "replay": "the same /sync after a kill",
    }
    pooled = {kind: _pooled(synced[kind]) for kind in labels}
    failed = False
    for kind, label in labels.items():
        run = pooled[kind]
        answers = ", ".join(f"{n}x{code}" for code, n in sorted(run.writes.items()))
        failed |= any(code >= 300 for code in run.writes)
        print(
            f"{label:<32} {run.requests / rounds:>8.0f}   {_ms(run.wall, writes):>19} "
            f"{_ms(run.cpu['server'], writes):>7} {_ms(run.cpu['database'], writes):>8} "
            f"{_ms(run.cpu['phone'], writes):>6}  {answers}"
        )
    batch, single, replay = (pooled[kind] for kind in labels)

    def ratios(top: Run, bottom: Run) -> str:
        return ", ".join(
            f"{name} {top_value / bottom_value:.2f}"
            for name, top_value, bottom_value in (
                ("wall", top.wall, bottom.wall),
                ("server CPU", top.cpu["server"], bottom.cpu["server"]),
                ("database CPU", top.cpu["database"], bottom.cpu["database"]),
                ("phone CPU", top.cpu["phone"], bottom.cpu["phone"]),
            )
        )

    print(
        f"\none PUT a write / /sync: {ratios(single, batch)}; "
        f"round trips x{single.requests / batch.requests:.0f}"
    )
    each = [
        s.cpu["server"] / b.cpu["server"]
        for s, b in zip(synced["single"], synced["batch"], strict=True)
    ]
    print("  server CPU, each round: " + ", ".join(f"{r:.2f}" for r in each))
    print(f"the replay / the first sync: {ratios(replay, batch)}")
    stored = ", ".join(f"{table} +{n}" for table, n in sorted(synced["stored"].items()))
    again = ", ".join(f"{table} +{n}" for table, n in sorted(synced["replayed"].items()))
    print(f"rows the first syncs added: {stored}")
    print(f"rows the replays added: {again or 'none'}")
    if set(synced["replayed"]) - {"access_log"}:
        print("THE REPLAY CHANGED the server's data")
        failed = True
    return failed


def _print_refreshes(lists: dict, on_phone: dict) -> bool:
    print(
        "\n2. Refreshes: CPU ms per request, each measured alone (means); bytes on the wire "
        "(status line, headers, body)\n"
    )
    failed = False
    for label, kinds in lists.items():
        print(label)
        print(
            f"  {'':<24} {'answers':>8} {'server':>7} {'database':>8} {'wall ms':>8} "
            f"{'received':>9} {'sent':>5} {'log rows':>8}"
        )
        for kind in kinds:
            print(
                f"  {kind.label:<24} {kind.statuses():>8} "
                f"{kind.mean(lambda r, a, n: r.cpu['server'] * 1000):>7.1f} "
                f"{kind.mean(lambda r, a, n: r.cpu['database'] * 1000):>8.1f} "
                f"{kind.mean(lambda r, a, n: r.wall * 1000):>8.1f} "
                f"{kind.mean(lambda r, a, n: a.received):>9.0f} "
                f"{kind.mean(lambda r, a, n: a.sent):>5.0f} "
                f"{kind.mean(lambda r, a, n: n):>8.1f}"
            )
        first_200, first_304, changed, unchanged = kinds
        failed |= any(a.status != 200 for _, a, _ in changed.runs + first_200.runs)
        failed |= any(a.status != 304 for _, a, _ in unchanged.runs + first_304.runs)

        def ratio(what, top: Refreshes, bottom: Refreshes) -> float:
            return top.mean(what) / bottom.mean(what)

        server = lambda r, a, n: r.cpu["server"]  # noqa: E731
        database = lambda r, a, n: r.cpu["database"]  # noqa: E731
        received = lambda r, a, n: a.received  # noqa: E731
        print(
            f"  304 / 200, later refreshes: server CPU {ratio(server, unchanged, changed):.2f}, "
            f"database CPU {ratio(database, unchanged, changed):.2f}, "
            f"bytes received {ratio(received, unchanged, changed):.3f}"
        )
        print(
            "  first of the hour / later, 200: "
            f"server CPU {ratio(server, first_200, changed):.2f}, "
            f"database CPU {ratio(database, first_200, changed):.2f}"
        )
    print("\nThe same refreshes through the phone's core (medians: wall ms / phone CPU ms)")
    for path, measured in on_phone.items():
        cells = "   ".join(
            f"{n}x{status}: {wall * 1000:.1f} / {used * 1000:.1f}"
            for status, (n, wall, used) in sorted(measured.items())
        )
        print(f"  {path:<10} {cells}")
    return failed


def _print_start(started: dict) -> bool:
    print(
        f"\n3. The app's start to the day list ({SMALL_SIZE} participants), core only: "
        f"seconds from the process's start, median of {START_RUNS}\n"
    )
    print(f"  {'':<28} {'python':>7} {'import':>7} {'open':>7} {'list':>7} {'rows':>5}  then")
    failed = False
    names = {
        "cold": "first start after login",
        "warm": "with the copy, online",
        "offline": "with the copy, no server",
    }
    for mode, results in started.items():

        def median(step: str, results=results) -> float:
            return statistics.median(result["steps"][step] for result in results)

        then = ""
        if mode != "cold":
            answers = ", ".join(sorted({result["refresh"] for result in results}))
            then = f"refresh: {answers} at {median('after'):.3f}"
        rows = sorted({result["rows"] for result in results})
        failed |= rows != [SMALL_SIZE]
        print(
            f"  {names[mode]:<28} {median('interpreter'):>7.3f} {median('import'):>7.3f} "
            f"{median('open'):>7.3f} {median('list'):>7.3f} {'/'.join(map(str, rows)):>5}  {then}"
        )
    worst = max(result["steps"]["list"] for results in started.values() for result in results)
    print(f"\nslowest start to the list, core only: {worst:.3f} s")
    return failed


def _print_app_start(started: dict | None) -> bool:
    if started is None:
        print("\nThe real app's start is not measured: Xvfb is not installed.")
        return False
    print(
        f"\nThe real app's start on a virtual screen (Xvfb, software OpenGL), the PIN typed at "
        f"once: seconds from the process's start, median of {START_RUNS}\n"
    )
    print(f"  {'':<28} {'python':>7} {'import':>7} {'PIN':>7} {'list':>7} {'rows':>5}")
    failed = False
    names = {
        "cold": "first start after login",
        "warm": "with the copy, online",
        "offline": "with the copy, no server",
    }
    for mode, results in started.items():
        shown = [r for r in results if "list" in r["steps"]]
        failed |= len(shown) < len(results)
        if not shown:
            print(f"  {names[mode]:<28} the list did not show within 30 s")
            continue

        def median(step: str, results=shown) -> float:
            return statistics.median(result["steps"][step] for result in results)

        rows = sorted({result["rows"] for result in results})
        failed |= rows != [SMALL_SIZE]
        print(
            f"  {names[mode]:<28} {median('interpreter'):>7.3f} {median('import'):>7.3f} "
            f"{median('pin'):>7.3f} {median('list'):>7.3f} {'/'.join(map(str, rows)):>5}"
        )
    worst = max(r["steps"].get("list", 99) for results in started.values() for r in results)
    failed |= worst >= 2
    print(f"\nslowest start to the list, the real app: {worst:.3f} s (the target: under 2 s)")
    return failed


if __name__ == "__main__":
    sys.exit(main())
