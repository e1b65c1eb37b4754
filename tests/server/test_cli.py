"""The command line: db upgrade, create-user, seed-demo."""

from sqlalchemy import func, select

from server.database import db
from server.models import Department, Organisation, Participant, Plan, User, WakeupCall
from tests.conftest import Api, login


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
