"""The command line: db upgrade, create-user, seed-demo."""

from sqlalchemy import func, select

from server.database import db
from server.models import Department, Organisation, Participant, Plan, User
from tests.conftest import login


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
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1
    assert sorted(db.session.scalars(select(Department.name))) == ["Arendal", "Songdalen"]
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 12
    assert db.session.scalar(select(func.count(func.distinct(Plan.participant_id)))) == 12
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
