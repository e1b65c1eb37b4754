"""Fixtures: a migrated database per test (SQLite by default; PostgreSQL when
SPIRE_TEST_DATABASE_URL names one), the app, an HTTP client and a small world of two
organisations to test scoping against."""

import os
import shutil
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from server import create_app
from server.database import db
from server.models import Base
from tests import factories
from tests.factories import PASSWORD

POSTGRES_URL = os.environ.get("SPIRE_TEST_DATABASE_URL")
HOW_TO_RUN_ON_POSTGRES = (
    "SPIRE_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test"
    " python3 manage.py test"
)


def pytest_collection_modifyitems(config, items):
    """Without PostgreSQL, skip the tests marked ``postgres`` (with the marker's reason):
    one marker, so the summary can count them."""
    if POSTGRES_URL:
        return
    for item in items:
        marker = item.get_closest_marker("postgres")
        if marker is not None:
            reason = marker.kwargs.get("reason", "it needs PostgreSQL")
            item.add_marker(pytest.mark.skip(reason=f"{reason}; set SPIRE_TEST_DATABASE_URL"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """A run on SQLite ends by saying what it did not test: the tests that need
    PostgreSQL, and the psycopg driver path, which no statement takes on SQLite. Printed
    after pytest's own summary, so it is the last thing read before the counts."""
    result = yield
    if POSTGRES_URL or config.option.collectonly:
        return result
    skipped = sum(
        1 for report in terminalreporter.stats.get("skipped", ()) if "postgres" in report.keywords
    )
    write = terminalreporter.write_line
    terminalreporter.write_sep("!", "NOT TESTED ON POSTGRESQL", red=True, bold=True)
    write(f"Tests SKIPPED because they need PostgreSQL: {skipped}", red=True, bold=True)
    write("This run used SQLite: nothing in it took the psycopg driver path")
    write("(server/services/storage/autocommit.py) that production takes for the token")
    write("check on every request and for the day's first check-in.")
    write("To test on PostgreSQL, name a database the tests may empty:")
    write(f"    {HOW_TO_RUN_ON_POSTGRES}", bold=True)
    terminalreporter.write_sep("!", red=True, bold=True)
    return result


def base_config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SPIRE_ENV": "testing",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SPIRE_PASSWORD_HASHING": "fast",
        "REDIS_URL": None,
    }


def _migrate(database_url: str, instance_path) -> None:
    app = create_app(base_config(database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """The schema built once by the migrations, as the real upgrade builds it."""
    if POSTGRES_URL:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _migrate(POSTGRES_URL, tmp_path_factory.mktemp("instance"))
        return POSTGRES_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate(f"sqlite:///{path}", tmp_path_factory.mktemp("instance"))
    return path


@pytest.fixture
def database_url(database_template, tmp_path):
    if POSTGRES_URL:
        yield POSTGRES_URL
        # DELETE: a test leaves a few rows, and emptying thirty small tables this way
        # takes a tenth of what TRUNCATE takes (new files for each). As a replica would,
        # so the triggers that keep the logs append-only stand aside (the suite's user
        # is the database's superuser, as the README says).
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
        engine.dispose()
    else:
        path = tmp_path / "spire.db"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def config_overrides():
    """Tests override this to change the app's configuration."""
    return {}


class EnglishClient(FlaskClient):
    """A test client that asks for English (``Accept-Language: en``) unless a request names
    a language itself: the tests assert the API's English messages. The tests of languages
    pass their own header, or use ``app.test_client()`` of a plain FlaskClient."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def app(database_url, config_overrides, tmp_path, monkeypatch):
    monkeypatch.setenv("SPIRE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**base_config(database_url), **config_overrides})
    app.test_client_class = EnglishClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Api:
    """An HTTP client bound to one logged-in user: ``api.get("/participants")``."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def _headers(self, headers):
        merged = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        merged.update(headers or {})
        return merged

    def request(self, method, path, json=None, headers=None, **kwargs):
        url = path if path.startswith("/api/") or path.startswith("/health") else f"/api/v1{path}"
        return self.client.open(
            url, method=method, json=json, headers=self._headers(headers), **kwargs
        )

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def expect(response, status: int):
    """The JSON of an answer that must have ``status``. Every write a test makes to set
    the scene checks its answer this way: a refused one stops the test there, instead of
    letting it pass on something that was never stored."""
    assert response.status_code == status, (response.status_code, response.get_json(silent=True))
    return response.get_json(silent=True)


def login(client, username: str, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def as_user(client):
    """``as_user(user)`` -> an Api logged in as that user."""

    def make(user) -> Api:
        return Api(client, login(client, user.username)["access_token"])

    return make


@pytest.fixture
def anonymous(client):
    return Api(client, None)


@dataclass
class World:
    """Organisation A with departments A1 and A2, organisation B with department B1; an
    admin, a leader and a facilitator whose department is A1, and one participant (with a
    plan) in each department."""

    org_a: object
    org_b: object
    dept_a1: object
    dept_a2: object
    dept_b1: object
    admin: object
    leader: object
    facilitator: object
    facilitator_a2: object
    admin_b: object
    participant_a1: object
    participant_a2: object
    participant_b1: object

    def user(self, role: str):
        return {"admin": self.admin, "leader": self.leader, "facilitator": self.facilitator}[role]

    def participant(self, where: str):
        return {
            "own": self.participant_a1,
            "other_dept": self.participant_a2,
            "other_org": self.participant_b1,
        }[where]

    def department(self, where: str):
        return {"own": self.dept_a1, "other_dept": self.dept_a2, "other_org": self.dept_b1}[where]


@pytest.fixture
def world(app) -> World:
    from shared.vocab import Role

    f = factories
    org_a = f.OrganisationFactory(name="Org A")
    org_b = f.OrganisationFactory(name="Org B")
    dept_a1 = f.DepartmentFactory(organisation=org_a, name="Songdalen")
    dept_a2 = f.DepartmentFactory(organisation=org_a, name="Arendal")
    dept_b1 = f.DepartmentFactory(organisation=org_b, name="Bergen")
    admin = f.UserFactory(organisation=org_a, username="admin-a", role=Role.ADMIN)
    leader = f.UserFactory(
        organisation=org_a, username="leader-a1", role=Role.LEADER, departments=[dept_a1]
    )
    facilitator = f.UserFactory(
        organisation=org_a, username="facilitator-a1", departments=[dept_a1]
    )
    facilitator_a2 = f.UserFactory(
        organisation=org_a, username="facilitator-a2", departments=[dept_a2]
    )
    admin_b = f.UserFactory(organisation=org_b, username="admin-b", role=Role.ADMIN)
    participants = {}
    for key, dept in (("a1", dept_a1), ("a2", dept_a2), ("b1", dept_b1)):
        participant = f.ParticipantFactory(department=dept, first_name=f"Person{key.upper()}")
        f.make_plan(participant, admin if dept is not dept_b1 else admin_b)
        participants[key] = participant
    return World(
        org_a=org_a,
        org_b=org_b,
        dept_a1=dept_a1,
        dept_a2=dept_a2,
        dept_b1=dept_b1,
        admin=admin,
        leader=leader,
        facilitator=facilitator,
        facilitator_a2=facilitator_a2,
        admin_b=admin_b,
        participant_a1=participants["a1"],
        participant_a2=participants["a2"],
        participant_b1=participants["b1"],
    )


def table_counts() -> dict[str, int]:
    """Rows per table: proof that a refused request wrote nothing."""
    counts = {}
    for table in Base.metadata.sorted_tables:
        counts[table.name] = db.session.execute(
            text(f"SELECT COUNT(*) FROM {table.name}")
        ).scalar_one()
    return counts
