"""Benchmark: the office's main pages for departments of 200, 800 and 3200 participants,
in the same database and the same run, and what a browser downloads.

The departments are those of ``bench/reports.py`` (each participant with a plan and a year
of attendance). The organisation's leader signs in through the login form, and each page
is asked through the real app (Flask's test client over HTTPS: the session cookie, the
CSRF token, the department scoping, the access log):

- the start page (today's list of the whole department, the work lists),
- the participants list (its first page), a participant's overview, their plan, and a
  month of their attendance;

for each, the wall time (best of ``--repeat``) and its ratio to the smallest department's.
A page about one participant, or one page of a list, should not grow with the
department: target ratio at most 1.5. The start page counts the whole department's day:
target at most 1.2 times the growth of the data. And the weight of a first visit: the
HTML of the start page plus the one stylesheet and the one script, in KiB, and the number
of requests (target: 3 requests, under 64 KiB), for the slow laptop on a slow line.

    .venv/bin/python bench/office.py [--repeat 7] [--scales 1,4,16]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth); it creates and drops the
database spire_bench_reports. Nothing leaves the machine.
"""

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.reports import LEADER, PASSWORD, drop_database, fresh_database, make_app, seed  # noqa: E402

BASE_URL = "https://localhost"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_ASSET = re.compile(r'(?:href|src)="(/office/static/[^"]+)"')
MONTH = "2025-06"


def sign_in(app):
    client = app.test_client()
    form = client.get("/office/login", base_url=BASE_URL).get_data(as_text=True)
    answer = client.post(
        "/office/login",
        data={"username": LEADER, "password": PASSWORD, "csrf_token": _TOKEN.search(form)[1]},
        base_url=BASE_URL,
        headers={"Referer": BASE_URL + "/office/login"},
    )
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    return client


def first_participant(app, department) -> str:
    from sqlalchemy import select

    from server.database import db
    from server.models import Participant

    with app.app_context():
        return str(
            db.session.scalars(
                select(Participant.id)
                .where(Participant.department_id == department)
                .order_by(Participant.last_name, Participant.id)
            ).first()
        )


def pages(department, participant) -> dict[str, str]:
    person = f"/office/participants/{participant}"
    return {
        "start": f"/office/?department={department}",
        "participants": f"/office/participants/?department={department}",
        "overview": person,
        "plan": f"{person}/plan",
        "month": f"{person}/attendance?month={MONTH}",
    }


def best_time(client, path: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, base_url=BASE_URL)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (path, response.status_code)
        best = min(best, elapsed)
    return best


def first_visit(client, path: str) -> tuple[int, int]:
    """(bytes, requests) a browser fetches for the page: its HTML and every asset."""
    html = client.get(path, base_url=BASE_URL).get_data(as_text=True)
    size, requests = len(html.encode()), 1
    for asset in sorted(set(_ASSET.findall(html))):
        response = client.get(asset, base_url=BASE_URL)
        size += len(response.get_data())
        requests += 1
        response.close()
    return size, requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--scales", default="1,4,16")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]

    url = fresh_database()
    try:
        with tempfile.TemporaryDirectory() as instance:
            app = make_app(url, Path(instance))
            print("Seeding ...", flush=True)
            departments = seed(app, scales)
            client = sign_in(app)
            # One untimed round first, of every page measured: the first request of a
            # process fills caches (the templates, the holidays), and a participant's first
            # read in an hour writes the access log's row that later reads find written.
            paths = {
                scale: pages(departments[scale], first_participant(app, departments[scale]))
                for scale in scales
            }
            for scale in scales:
                for path in paths[scale].values():
                    best_time(client, path, 1)
            times = {}
            for scale in scales:
                for name, path in paths[scale].items():
                    times[name, scale] = best_time(client, path, args.repeat)
                    print(
                        f"  {name:>12} x{scale:<3} {times[name, scale] * 1000:8.1f} ms", flush=True
                    )
            weight, requests = first_visit(client, pages(departments[scales[0]], "-")["start"])
    finally:
        drop_database()

    print()
    print(f"{'page':>12} {'scale':>5} {'ms':>8} {'ratio':>6} {'target':>6}")
    failures = []
    for name in ("start", "participants", "overview", "plan", "month"):
        base = times[name, scales[0]]
        for scale in scales:
            growth = scale / scales[0]
            ratio = times[name, scale] / base
            target = 1.2 * growth if name == "start" else 1.5
            ms = times[name, scale] * 1000
            print(f"{name:>12} {scale:>4}x {ms:8.1f} {ratio:6.2f} {target:6.2f}")
            if ratio > target:
                failures.append(f"{name} x{scale}: {ratio:.2f} times the smallest department's")
    print()
    print(f"First visit to the start page: {weight / 1024:.1f} KiB in {requests} requests")
    if requests > 3 or weight > 64 * 1024:
        failures.append(f"first visit: {weight / 1024:.1f} KiB in {requests} requests")
    print("\n".join(failures) if failures else "Targets met.")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
