"""The command line: db upgrade, create-user, seed-demo."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from server.database import db
from server.demo import denmark
from server.models import (
    Attendance,
    Department,
    Organisation,
    Participant,
    Plan,
    Tally,
    User,
    WakeupAttempt,
    WakeupCall,
)
from tests.conftest import Api, expect, login

MONDAY = date(2026, 6, 15)


def test_create_user_from_environment_password(runner, client, monkeypatch):
    monkeypatch.setenv("SPIRE_PASSWORD", "Lang-Og-Trygg-Frase-8")
    result = runner.invoke(
        args=[
            "create-user",
            "Kari",
            "--role",
            "leader",
            "--department",
            "Songdalen",
            "--department",
            "Arendal",
            "--full-name",
            "Kari Nordmann",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User).where(User.username == "kari")).one()
    assert sorted(d.name for d in user.departments) == ["Arendal", "Songdalen"]
    assert user.password_hash.startswith("$argon2id$")
    assert login(client, "kari", "Lang-Og-Trygg-Frase-8")["user"]["role"] == "leader"


def test_create_user_refuses_a_common_password(runner, monkeypatch):
    monkeypatch.setenv("SPIRE_PASSWORD", "password123")
    result = runner.invoke(args=["create-user", "ola", "--role", "admin"])
    assert result.exit_code != 0
    assert "password" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_prompts_for_password(runner, client, monkeypatch):
    monkeypatch.delenv("SPIRE_PASSWORD", raising=False)
    result = runner.invoke(
        args=["create-user", "ola", "--role", "admin"],
        input="Lang-Og-Trygg-Frase-8\nLang-Og-Trygg-Frase-8\n",
    )
    assert result.exit_code == 0, result.output
    assert login(client, "ola", "Lang-Og-Trygg-Frase-8")


def test_seed_demo_is_idempotent_and_its_logins_work(runner, client):
    from server.demo import DEMO_LOGINS

    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Demo data created." in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "already present" in second.output
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 2
    assert sorted(db.session.scalars(select(Department.name))) == [
        "Arendal",
        "Køkken og café",
        "Songdalen",
        "Træværkstedet",
    ]
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 12 + 38
    assert db.session.scalar(select(func.count(func.distinct(Plan.participant_id)))) == 50
    for username, password, role, _ in DEMO_LOGINS:
        assert f"{username}" in first.output and password in first.output
        assert login(client, username, password)["user"]["role"] == role


def test_seed_demo_refuses_production(app, runner):
    app.config["SPIRE_ENV"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0


def test_create_user_needs_a_department_for_staff_other_than_admins(runner, monkeypatch):
    monkeypatch.setenv("SPIRE_PASSWORD", "Lang-Og-Trygg-Frase-8")
    result = runner.invoke(args=["create-user", "kari", "--role", "facilitator"])
    assert result.exit_code == 1
    assert "at least one department" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    created = runner.invoke(
        args=["create-user", "kari", "--role", "facilitator", "--department", "Songdalen"]
    )
    assert created.exit_code == 0, created.output


def test_seed_demo_makes_a_danish_workshop_in_groups(runner, client):
    from server.demo import denmark

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    forstander = Api(client, login(client, "forstander", denmark.LOGINS[0][1])["access_token"])
    departments = {d["name"]: d["id"] for d in forstander.get("/departments").json}
    assert set(departments) == {"Træværkstedet", "Køkken og café"}
    borgere = forstander.get("/participants?page_size=100")
    assert len(borgere.json) == 38
    assert {b["enrolment_type"] for b in borgere.json} == {"dk_103", "dk_104"}
    assert {b["participation"] for b in borgere.json} == {"full_time", "part_time"}
    assert all(b["phone"].startswith("+45") for b in borgere.json)
    sizes = []
    for department_id in departments.values():
        groups = forstander.get(f"/departments/{department_id}/groups").json
        assert len(groups) == 4 and all(g["responsible_user_id"] for g in groups)
        for group in groups:
            sizes.append(sum(b["group_id"] == group["id"] for b in borgere.json))
    assert sorted(sizes) == [4, 4, 5, 5, 5, 5, 5, 5]
    # Some changed group along the way: their history has two spans, the open one first.
    histories = [forstander.get(f"/participants/{b['id']}/groups").json for b in borgere.json]
    moved = [h for h in histories if len(h) == 2]
    assert moved and all(h[0]["left_at"] is None and h[1]["left_at"] for h in moved)
    # A pædagog sees their own group first on the day's list.
    password = dict((u, p) for u, p, *_ in denmark.LOGINS)["paedagog1"]
    pedagogue = Api(client, login(client, "paedagog1", password)["access_token"])
    day = pedagogue.get("/today", query_string={"department_id": departments["Træværkstedet"]})
    assert day.status_code == 200, day.json
    assert day.json["participants"][0]["group"]["name"] == "Egen"
    # A month of history, in Danish.
    some = borgere.json[1]
    plan = forstander.get(f"/participants/{some['id']}/plan")
    assert plan.status_code == 200
    titles = {goal["title"] for goal in plan.json["goals"]}
    assert titles <= {title for title, _ in denmark.GOALS}
    assert db.session.scalar(select(func.count()).select_from(WakeupCall)) > 0


# This morning in the demo: a working Monday at ten in Oslo (nine in UTC), a Saturday and a
# public holiday in both countries (Ascension Day 2026), and a demo made before dawn.
MONDAY_MORNING = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))


def demo_departments(client):
    """Each demo department's name, with a leader's (or the forstander's) Api to read it."""
    from server.demo import denmark, norway

    logins = {u: p for u, p, *_ in norway.LOGINS + denmark.LOGINS}
    seen = {}
    for username in ("leder", "vaerkstedsleder"):
        api = Api(client, login(client, username, logins[username])["access_token"])
        for department in api.get("/departments").json:
            seen[department["name"]] = (api, department["id"])
    return seen


def this_morning(api, department_id):
    day = expect(api.get("/today", query_string={"department_id": department_id}), 200)
    calls = expect(api.get("/wakeups", query_string={"department_id": department_id}), 200)
    return day["participants"], calls


def test_the_demo_morning_has_a_mix_of_states_in_every_department(runner, client):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
        departments = demo_departments(client)
        assert set(departments) == {"Songdalen", "Arendal", "Træværkstedet", "Køkken og café"}
        states = {}
        for name, (api, department_id) in departments.items():
            rows, calls = this_morning(api, department_id)
            records = [row["attendance"] for row in rows if row["attendance"]]
            present = [r for r in records if r["status"] == "present"]
            absent = [r for r in records if r["status"] == "absent"]
            waiting = [row for row in rows if row["expected"] and not row["attendance"]]
            assert len(present) >= 2, name
            checked_in = [datetime.fromisoformat(r["check_in_at"]) for r in present]
            assert all(moment <= MONDAY_MORNING for moment in checked_in), name
            assert len([r for r in present if r["check_out_at"]]) == 1, name
            assert [r["absence_reason"] for r in absent] == ["sick"], name
            assert waiting, name
            states[name] = {
                (c["status"], c["outcome"], c["unanswered"], c["home_visit"]) for c in calls
            }
    assert states["Songdalen"] == set(), "Songdalen wakes no one"
    for name in ("Arendal", "Træværkstedet", "Køkken og café"):
        assert ("done", "answered_coming", 0, False) in states[name], name
        assert any(status == "pending" for status, *_ in states[name]), name
    # Flagged for a home visit after three tries nobody answered: in Arendal and the
    # kitchen, never in the wood workshop.
    flagged = {name for name, found in states.items() if ("pending", "no_answer", 3, True) in found}
    assert flagged == {"Arendal", "Køkken og café"}
    # Due again after one try, answered on the second try, and still to be made.
    danish = states["Træværkstedet"] | states["Køkken og café"]
    assert {("pending", "no_answer", 1, False), ("done", "answered_coming", 1, False)} <= danish
    assert ("pending", None, 0, False) in states["Træværkstedet"]
    # In Arendal, where nearly everyone is woken, the one off sick said so when called: the
    # answer recorded the absence, by the id the wake-up rule gives it.
    from server.services.wakeups import absence_write_id

    [answer] = db.session.scalars(
        select(WakeupAttempt).where(WakeupAttempt.outcome == "answered_not_coming")
    ).all()
    record = db.session.get(Attendance, absence_write_id(answer))
    assert (record.date, record.absence_reason) == (MONDAY, "sick")


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 6, 13, 10, tzinfo=ZoneInfo("Europe/Oslo")),  # a Saturday
        datetime(2026, 5, 14, 10, tzinfo=ZoneInfo("Europe/Oslo")),  # Ascension Day
    ],
    ids=["saturday", "public-holiday"],
)
def test_no_one_is_expected_or_woken_on_a_day_off(runner, moment):
    with time_machine.travel(moment, tick=False):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    day = moment.date()
    assert db.session.scalar(select(func.count()).where(Attendance.date == day)) == 0
    assert db.session.scalar(select(func.count()).where(WakeupCall.date == day)) == 0


def test_a_demo_made_before_dawn_has_nothing_in_the_future(runner):
    early = datetime(2026, 6, 15, 5, 30, tzinfo=ZoneInfo("Europe/Oslo"))
    with time_machine.travel(early, tick=False):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    records = db.session.scalars(select(Attendance).where(Attendance.date == MONDAY)).all()
    assert len(records) == 2 * 2 + 2 * 3 + 4  # checked in in each department, and one sick
    for record in records:
        for moment in (record.check_in_at, record.check_out_at, record.status_recorded_at):
            assert moment is None or moment <= early
        assert record.check_out_at is None or record.check_out_at >= record.check_in_at
    tries = db.session.scalars(select(WakeupAttempt.at)).all()
    assert max(tries) <= early


@time_machine.travel(datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Europe/Oslo")), tick=False)
def test_seed_demo_tallies_cover_this_year_and_last_in_every_department(runner, client):
    """A few anonymous tallies on each working day of fourteen months, the same every time."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts: dict[tuple[str, int], int] = {}
    for name, day in db.session.execute(
        select(Department.name, Tally.date).join(Department, Department.id == Tally.department_id)
    ):
        counts[(name, day.year)] = counts.get((name, day.year), 0) + 1
    for department in ("Songdalen", "Arendal", "Træværkstedet", "Køkken og café"):
        assert counts[(department, 2025)] > 100, counts
        assert counts[(department, 2026)] > 500, counts
    days = db.session.execute(select(func.min(Tally.date), func.max(Tally.date))).one()
    assert days == (date(2025, 10, 1), date(2026, 11, 27))  # up to the last working day
    kinds = db.session.execute(
        select(func.count(func.distinct(Tally.activity_id)), func.count(func.distinct(Tally.who)))
    ).one()
    assert kinds == (16, 5)  # every default activity of both organisations, every who
    assert db.session.scalar(select(func.count()).where(Tally.first_contact)) > 100
    leader = Api(client, login(client, "leder", "Bjork-Kanel-7301")["access_token"])
    listed = leader.get("/tallies?from=2026-11-27&to=2026-11-27").json
    assert listed and {t["date"] for t in listed} == {"2026-11-27"}


def test_seed_demo_surveys_have_a_closed_round_and_an_open_one_beside_it(runner, client):
    """Songdalen's and the Danish kitchen's spring round and this autumn's copy of it, each
    past its threshold, so the results compare the two."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    danish = next(row[1] for row in denmark.LOGINS if row[0] == "vaerkstedsleder")
    for username, password in (("leder", "Bjork-Kanel-7301"), ("vaerkstedsleder", danish)):
        leader = Api(client, login(client, username, password)["access_token"])
        autumn, spring = leader.get("/surveys").json
        assert (autumn["status"], spring["status"]) == ("open", "closed")
        assert autumn["previous_id"] == spring["id"]
        results = leader.get(f"/surveys/{autumn['id']}/results").json
        assert results["suppressed"] is False and results["previous_responses"] == 11
        assert results["questions"][0]["previous_mean"] is not None
