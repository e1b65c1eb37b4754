"""Bad input on every write endpoint: each is refused with a 4xx in the one error envelope,
and leaves the database exactly as it was.

Every request here is made as organisation A's admin, so authorisation never decides the
answer. Each endpoint is described once in ``ENDPOINTS`` (a body it accepts, and how to
read back the object it targets); the case tables below change that body in one place and
name the field the error must point at. ``refused`` proves nothing was written: the row
count of every table and the target object, read back through the API, are unchanged.
"""

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import Goal
from tests.conftest import Api, World, table_counts
from tests.factories import PASSWORD, DepartmentFactory

MAX_BODY = 2 * 1024 * 1024
JSON = "application/json"
DROP = object()  # a case value: leave the field out of the body


# --- the envelope -------------------------------------------------------------------------


def assert_error_leaves(value, where: str) -> None:
    """Field errors are lists of messages, or (nested schemas, list items) dicts of them."""
    if isinstance(value, dict):
        assert value, f"empty error object at {where}"
        for key, inner in value.items():
            assert isinstance(key, str), f"non-string key {key!r} at {where}"
            assert_error_leaves(inner, f"{where}.{key}")
    else:
        assert isinstance(value, list) and value, f"{where}: expected messages, got {value!r}"
        assert all(isinstance(m, str) and m for m in value), f"{where}: {value!r}"


def assert_envelope(response, status, fields=None) -> dict:
    """The one error envelope: ``{code, status, message, errors?: {json: {field: [...]}}}``.

    ``status`` is a status code or a tuple of acceptable ones. ``fields`` are the fields the
    errors must name, exactly; a dotted name (``schedule.1.end``) names a nested error.
    """
    allowed = status if isinstance(status, tuple) else (status,)
    assert response.status_code in allowed, (response.status_code, response.get_data(True))
    assert response.mimetype == JSON, response.get_data(True)
    body = response.get_json()
    assert isinstance(body, dict), body
    assert type(body.get("code")) is int and body["code"] == response.status_code, body
    assert isinstance(body.get("status"), str) and body["status"], body
    assert isinstance(body.get("message"), str) and body["message"], body
    assert set(body) <= {"code", "status", "message", "errors"}, body
    if "errors" in body:
        errors = body["errors"]
        assert isinstance(errors, dict) and set(errors) == {"json"}, body
        assert isinstance(errors["json"], dict), f"errors.json must map fields: {body}"
        assert_error_leaves(errors["json"], "errors.json")
    if fields is not None:
        field_errors = body.get("errors", {}).get("json", {})
        assert set(field_errors) == {f.split(".")[0] for f in fields}, body
        for dotted in fields:
            node = field_errors
            for part in dotted.split("."):
                assert isinstance(node, dict) and part in node, f"no error at {dotted}: {body}"
                node = node[part]
    if response.request.path.startswith("/api/v1/"):
        assert response.headers.get("Cache-Control") == "no-store"
    return body


# --- the endpoints ------------------------------------------------------------------------


class Ctx:
    """The world, the admin's client, and the ids the endpoints need."""

    def __init__(self, world: World, admin: Api, anonymous: Api, as_user):
        self.world = world
        self.admin = admin
        self.anonymous = anonymous
        self._as_user = as_user

    @cached_property
    def facilitator(self) -> Api:
        return self._as_user(self.world.facilitator)

    @property
    def participant_id(self) -> str:
        return str(self.world.participant_a1.id)

    def goal_ids(self, participant) -> list[str]:
        stmt = select(Goal.id).where(Goal.participant_id == participant.id)
        return [str(goal_id) for goal_id in db.session.scalars(stmt)]

    @cached_property
    def goal_id(self) -> str:
        return self.goal_ids(self.world.participant_a1)[0]

    @cached_property
    def other_participants_goal_id(self) -> str:
        return self.goal_ids(self.world.participant_a2)[0]

    def participant_state(self):
        response = self.admin.get(f"/participants/{self.participant_id}")
        assert response.status_code == 200
        return response.json, response.headers["ETag"]

    def etag(self) -> str:
        return self.participant_state()[1]


def _get(ctx: Ctx, path: str):
    response = ctx.admin.get(path)
    return response.status_code, response.json


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: Callable[[Ctx], str]
    body: Callable[[Ctx], dict]  # a body the endpoint accepts
    state: Callable[[Ctx], object]  # the target object, read back
    ok: int
    required: tuple[str, ...] = ()
    if_match: bool = False
    anonymous: bool = False


ENDPOINTS = {
    "login": Endpoint(
        "POST",
        lambda c: "/auth/login",
        lambda c: {"username": "admin-a", "password": PASSWORD},
        lambda c: _get(c, f"/users/{c.world.admin.id}"),
        200,
        required=("username", "password"),
        anonymous=True,
    ),
    "logout": Endpoint(
        "POST",
        lambda c: "/auth/logout",
        lambda c: {"refresh_token": "not-a-token-of-this-login"},
        # Still logged in: a refused logout ends nothing.
        lambda c: _get(c, "/me"),
        204,
    ),
    "create-department": Endpoint(
        "POST",
        lambda c: "/departments",
        lambda c: {"name": "Kristiansand", "timezone": "Europe/Oslo"},
        lambda c: _get(c, "/departments?page_size=100"),
        201,
        required=("name",),
    ),
    "update-department": Endpoint(
        "PATCH",
        lambda c: f"/departments/{c.world.dept_a1.id}",
        lambda c: {"name": "Songdalen Vest", "timezone": "Europe/Oslo"},
        lambda c: _get(c, f"/departments/{c.world.dept_a1.id}"),
        200,
    ),
    "create-user": Endpoint(
        "POST",
        lambda c: "/users",
        lambda c: {
            "username": "new.user",
            "full_name": "Kari Nordmann",
            "role": "facilitator",
            "department_ids": [str(c.world.dept_a1.id)],
            "active": True,
            "password": "Lang-Og-Sikker-Frase-7",
        },
        lambda c: _get(c, "/users?page_size=100"),
        201,
        required=("username", "full_name", "role", "password"),
    ),
    "update-user": Endpoint(
        "PATCH",
        lambda c: f"/users/{c.world.facilitator.id}",
        lambda c: {
            "full_name": "Ansatt Omdøpt",
            "role": "leader",
            "department_ids": [str(c.world.dept_a2.id)],
            "active": False,
            "password": "Et-Nytt-Passord-42",
        },
        # The account, and whether its login still works (a password change ends it).
        lambda c: (
            _get(c, f"/users/{c.world.facilitator.id}"),
            c.facilitator.get("/me").status_code,
        ),
        200,
    ),
    "create-participant": Endpoint(
        "POST",
        lambda c: "/participants",
        lambda c: {
            "first_name": "Ola",
            "last_name": "Nordmann",
            "department_id": str(c.world.dept_a1.id),
            "phone": "+47 912 34 567",
            "gender": "male",
            "birth_year": 1985,
            "start_date": "2026-02-02",
            "planned_end_date": "2026-08-02",
            "nav_office": "NAV Kristiansand",
            "nav_contact": "Kari Veileder",
            "consent_nav_reporting": True,
        },
        lambda c: _get(c, "/participants?page_size=100"),
        201,
        required=(
            "first_name",
            "last_name",
            "department_id",
            "gender",
            "start_date",
            "consent_nav_reporting",
        ),
    ),
    "update-participant": Endpoint(
        "PATCH",
        lambda c: f"/participants/{c.participant_id}",
        lambda c: {
            "first_name": "Per",
            "department_id": str(c.world.dept_a2.id),
            "phone": "91234567",
            "gender": "other",
            "birth_year": 1979,
            "start_date": "2026-01-12",
            "planned_end_date": "2026-12-31",
            "consent_nav_reporting": False,
            "status": "paused",
        },
        lambda c: c.participant_state(),
        200,
        if_match=True,
    ),
    "end-participant": Endpoint(
        "POST",
        lambda c: f"/participants/{c.participant_id}/end",
        lambda c: {
            "end_date": c.world.participant_a1.start_date.isoformat(),
            "outcome": "ordinary_work",
        },
        lambda c: c.participant_state(),
        200,
        required=("end_date", "outcome"),
    ),
    "put-plan": Endpoint(
        "PUT",
        lambda c: f"/participants/{c.participant_id}/plan",
        lambda c: {
            "valid_from": "2026-02-01",
            "review_date": "2026-05-01",
            "goals": [
                {
                    "id": c.goal_id,
                    "title": "Møte presis",
                    "description": "Tre dager i uka",
                    "status": "in_progress",
                    "due_date": "2026-04-01",
                },
                {"title": "Lære kassa"},
            ],
            "work_areas": ["kjøkken", "lager"],
            "schedule": [
                {"weekday": 1, "start": "09:00", "end": "14:00"},
                {"weekday": 3, "start": "09:00", "end": "12:00"},
            ],
            "notes": "Trives best om morgenen.",
        },
        lambda c: _get(c, f"/participants/{c.participant_id}/plan/versions"),
        201,
        required=("valid_from",),
    ),
    "update-goal": Endpoint(
        "PATCH",
        lambda c: f"/participants/{c.participant_id}/plan/goals/{c.goal_id}",
        lambda c: {"status": "achieved", "progress_note": "Har møtt presis i tre uker."},
        lambda c: _get(c, f"/participants/{c.participant_id}/plan/versions"),
        200,
        required=("status",),
    ),
}


@pytest.fixture
def ctx(world, as_user, anonymous) -> Ctx:
    return Ctx(world, as_user(world.admin), anonymous, as_user)


def send(ctx: Ctx, name: str, *, path: str | None = None, headers=None, **kwargs):
    endpoint = ENDPOINTS[name]
    api = ctx.anonymous if endpoint.anonymous else ctx.admin
    return api.request(endpoint.method, path or endpoint.path(ctx), headers=headers or {}, **kwargs)


def refused(ctx: Ctx, name: str, status, fields=None, *, path=None, state=None, **kwargs):
    """Send a request that must be refused; prove it wrote nothing; check the envelope.

    ``state`` reads the target back when it is not the endpoint's usual one.
    """
    endpoint = ENDPOINTS[name]
    state = state or endpoint.state
    headers = dict(kwargs.pop("headers", {}))
    if endpoint.if_match:
        headers.setdefault("If-Match", ctx.etag())
    path = path or endpoint.path(ctx)
    before = state(ctx)
    counts = table_counts()
    try:
        response = send(ctx, name, path=path, headers=headers, **kwargs)
    except Exception:
        db.session.rollback()  # the app re-raises under TESTING; keep the next case usable
        raise
    body = assert_envelope(response, status, fields)
    assert table_counts() == counts, f"a refused request wrote rows: {body}"
    assert state(ctx) == before, f"a refused request changed the target: {body}"
    return body


def body_with(ctx: Ctx, name: str, changes: dict) -> dict:
    """The endpoint's accepted body with some fields changed (a callable gets the ctx)."""
    body = ENDPOINTS[name].body(ctx)
    for field, value in changes.items():
        if value is DROP:
            body.pop(field, None)
        else:
            body[field] = value(ctx) if callable(value) else value
    return body


@dataclass(frozen=True)
class Case:
    id: str
    changes: dict
    fields: tuple[str, ...]
    status: int | tuple[int, ...] = 422


def case(case_id: str, changes: dict, *fields: str, status=422) -> Case:
    return Case(case_id, changes, fields, status)


def run_cases(ctx: Ctx, subtests, name: str, cases: list[Case]) -> None:
    """One subtest per case, all against the same world: each must be refused."""
    for c in cases:
        with subtests.test(c.id):
            refused(ctx, name, c.status, c.fields, json=body_with(ctx, name, c.changes))


def slot(weekday=1, start="09:00", end="14:00", **extra) -> dict:
    return {"weekday": weekday, "start": start, "end": end, **extra}


def future() -> str:
    return (date.today() + timedelta(days=2)).isoformat()


# --- the accepted bodies (so each refusal below is down to the one change) ----------------


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    endpoint = ENDPOINTS[name]
    headers = {"If-Match": ctx.etag()} if endpoint.if_match else {}
    response = send(ctx, name, json=endpoint.body(ctx), headers=headers)
    assert response.status_code == endpoint.ok, response.get_data(True)
    assert response.headers["Cache-Control"] == "no-store"


# --- bodies that are not a JSON object ----------------------------------------------------

OVERSIZED = b'{"pad": "' + b"x" * (MAX_BODY + 1) + b'"}'


def raw(data: bytes, content_type: str | None = JSON):
    return lambda: {"data": data, "content_type": content_type}


# (id, request keyword arguments (made fresh: a file can be read once), status)
NOT_A_JSON_OBJECT = [
    ("text-plain", raw(b'{"name": "x"}', "text/plain"), 415),
    ("form-urlencoded", lambda: {"data": {"name": "x", "password": "y"}}, 415),
    ("multipart-form", lambda: {"data": {"name": "x", "file": (io.BytesIO(b"x"), "x.txt")}}, 415),
    ("xml", raw(b"<name>x</name>", "application/xml"), 415),
    ("no-content-type", raw(b'{"name": "x"}', None), 415),
    ("oversized", raw(OVERSIZED), 413),
    ("malformed-json", raw(b'{"a": '), 400),
    ("single-quoted-json", raw(b"{'a': 1}"), 400),
    ("trailing-garbage", raw(b'{"a": 1} x'), 400),
    ("invalid-utf8", raw(b'{"name": "\xff\xfe"}'), 400),
    ("json-array", lambda: {"json": []}, (400, 422)),
    ("json-array-of-objects", lambda: {"json": [{"name": "x"}]}, (400, 422)),
    ("json-string", lambda: {"json": "name"}, (400, 422)),
    ("json-number", lambda: {"json": 42}, (400, 422)),
    ("json-null", raw(b"null"), (400, 422)),
]


# Logout last: were it to succeed by mistake, the cases after it would all answer 401.
LOGOUT_LAST = sorted(ENDPOINTS, key=lambda name: name == "logout")


def test_body_that_is_not_a_json_object_is_refused(ctx, subtests):
    for name in LOGOUT_LAST:
        for case_id, request_kwargs, status in NOT_A_JSON_OBJECT:
            with subtests.test(f"{name}: {case_id}"):
                refused(ctx, name, status, **request_kwargs())


def test_deeply_nested_json_is_400(ctx, subtests):
    """10,000 nested arrays hit the parser's recursion limit: bad input, not a server error."""
    for name in ["login", "put-plan"]:
        with subtests.test(name):
            refused(ctx, name, 400, data=b"[" * 10_000 + b"]" * 10_000, content_type=JSON)


# --- missing required fields --------------------------------------------------------------


def test_missing_body_names_every_required_field(ctx, subtests):
    for name, endpoint in ENDPOINTS.items():
        if not endpoint.required:
            continue  # logout and the PATCHes: every field is optional
        with subtests.test(f"{name}: empty-object"):
            refused(ctx, name, 422, endpoint.required, json={})
        with subtests.test(f"{name}: no-body"):
            refused(ctx, name, 422, endpoint.required, data=b"", content_type=JSON)


# --- wrong types and values the schema refuses ---------------------------------------------

NOT_UUID = "not-a-uuid"
CONSENT = "consent_nav_reporting"

SCHEMA_CASES = {
    "login": [
        case("username-number", {"username": 123}, "username"),
        case("username-null", {"username": None}, "username"),
        case("username-object", {"username": {"name": "admin-a"}}, "username"),
        case("username-too-long", {"username": "a" * 65}, "username"),
        case("password-list", {"password": [PASSWORD]}, "password"),
        case("password-null", {"password": None}, "password"),
        case("password-empty", {"password": ""}, "password"),
        case("password-too-long", {"password": "x" * 257}, "password"),
        case("password-missing", {"password": DROP}, "password"),
        case("unknown-field", {"remember_me": True}, "remember_me"),
    ],
    "logout": [
        case("refresh-token-number", {"refresh_token": 123}, "refresh_token"),
        case("refresh-token-null", {"refresh_token": None}, "refresh_token"),
        case("refresh-token-list", {"refresh_token": ["a"]}, "refresh_token"),
        case("refresh-token-too-long", {"refresh_token": "x" * 4097}, "refresh_token"),
        case("unknown-field", {"everywhere": True}, "everywhere"),
    ],
    "create-department": [
        case("name-number", {"name": 42}, "name"),
        case("name-null", {"name": None}, "name"),
        case("name-list", {"name": ["Kristiansand"]}, "name"),
        case("name-empty", {"name": ""}, "name"),
        case("name-blank", {"name": "   "}, "name"),
        case("name-too-long", {"name": "x" * 121}, "name"),
        case("timezone-number", {"timezone": 1}, "timezone"),
        case("timezone-object", {"timezone": {"name": "UTC"}}, "timezone"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("unknown-field", {"organisation_id": NOT_UUID}, "organisation_id"),
    ],
    "update-department": [
        case("name-null", {"name": None}, "name"),
        case("name-number", {"name": 7}, "name"),
        case("name-blank", {"name": " "}, "name"),
        case("timezone-bool", {"timezone": True}, "timezone"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
    ],
    "create-user": [
        case("username-number", {"username": 12345}, "username"),
        case("username-null", {"username": None}, "username"),
        case("username-too-short", {"username": "ab"}, "username"),
        case("username-with-space", {"username": "kari nordmann"}, "username"),
        case("username-leading-dot", {"username": ".kari"}, "username"),
        case("full-name-number", {"full_name": 5}, "full_name"),
        case("full-name-blank", {"full_name": "  "}, "full_name"),
        case("role-invalid", {"role": "superuser"}, "role"),
        case("role-upper-case", {"role": "ADMIN"}, "role"),
        case("role-null", {"role": None}, "role"),
        case("department-ids-string", {"department_ids": NOT_UUID}, "department_ids"),
        case("department-ids-object", {"department_ids": {}}, "department_ids"),
        case("department-id-invalid", {"department_ids": [NOT_UUID]}, "department_ids.0"),
        case("department-id-number", {"department_ids": [1]}, "department_ids.0"),
        case("active-string", {"active": "maybe"}, "active"),
        case("active-null", {"active": None}, "active"),
        case("password-number", {"password": 12345678901}, "password"),
        case("password-null", {"password": None}, "password"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-created-at", {"created_at": "2026-01-01T00:00:00Z"}, "created_at"),
        case("unknown-field", {"is_superuser": True}, "is_superuser"),
    ],
    "update-user": [
        case("full-name-null", {"full_name": None}, "full_name"),
        case("full-name-list", {"full_name": ["Kari"]}, "full_name"),
        case("role-invalid", {"role": "king"}, "role"),
        case("department-ids-string", {"department_ids": "a1"}, "department_ids"),
        case("department-id-invalid", {"department_ids": [NOT_UUID]}, "department_ids.0"),
        case("active-string", {"active": "maybe"}, "active"),
        case("password-number", {"password": 1234567890123}, "password"),
        case("username-is-read-only", {"username": "renamed"}, "username"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
    ],
    "create-participant": [
        case("first-name-number", {"first_name": 42}, "first_name"),
        case("first-name-null", {"first_name": None}, "first_name"),
        case("first-name-blank", {"first_name": "  "}, "first_name"),
        case("first-name-too-long", {"first_name": "x" * 81}, "first_name"),
        case("last-name-list", {"last_name": ["Nordmann"]}, "last_name"),
        case("department-id-invalid", {"department_id": NOT_UUID}, "department_id"),
        case("department-id-number", {"department_id": 1}, "department_id"),
        case("department-id-null", {"department_id": None}, "department_id"),
        case("phone-number", {"phone": 91234567}, "phone"),
        case("gender-invalid", {"gender": "f"}, "gender"),
        case("gender-upper-case", {"gender": "FEMALE"}, "gender"),
        case("gender-null", {"gender": None}, "gender"),
        case("birth-year-word", {"birth_year": "nineteen"}, "birth_year"),
        case("birth-year-fraction", {"birth_year": 1990.5}, "birth_year"),
        case("birth-year-bool", {"birth_year": True}, "birth_year"),
        case("birth-year-list", {"birth_year": [1990]}, "birth_year"),
        case("start-date-month-13", {"start_date": "2026-13-01"}, "start_date"),
        case("start-date-feb-30", {"start_date": "2026-02-30"}, "start_date"),
        case("start-date-norwegian-format", {"start_date": "02.02.2026"}, "start_date"),
        case("start-date-number", {"start_date": 20260202}, "start_date"),
        case("start-date-null", {"start_date": None}, "start_date"),
        case("start-date-empty", {"start_date": ""}, "start_date"),
        case("planned-end-month-13", {"planned_end_date": "2026-13-01"}, "planned_end_date"),
        case("consent-string", {CONSENT: "maybe"}, CONSENT),
        case("consent-null", {CONSENT: None}, CONSENT),
        case("nav-office-number", {"nav_office": 5}, "nav_office"),
        case("nav-contact-too-long", {"nav_contact": "x" * 121}, "nav_contact"),
        case("read-only-status", {"status": "active"}, "status"),
        case("read-only-outcome", {"outcome": "education"}, "outcome"),
        case("read-only-end-date", {"end_date": "2026-03-01"}, "end_date"),
        case("unknown-field", {"national_id": "01019012345"}, "national_id"),
    ],
    "update-participant": [
        case("first-name-null", {"first_name": None}, "first_name"),
        case("first-name-empty", {"first_name": ""}, "first_name"),
        case("department-id-invalid", {"department_id": NOT_UUID}, "department_id"),
        case("gender-invalid", {"gender": "unknown"}, "gender"),
        case("birth-year-string", {"birth_year": "1980s"}, "birth_year"),
        case("start-date-null", {"start_date": None}, "start_date"),
        case("start-date-month-13", {"start_date": "2026-13-01"}, "start_date"),
        case("consent-null", {CONSENT: None}, CONSENT),
        case("status-ended", {"status": "ended"}, "status"),
        case("status-invalid", {"status": "finished"}, "status"),
        case("status-null", {"status": None}, "status"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-end-date", {"end_date": "2026-03-01"}, "end_date"),
        case("read-only-outcome", {"outcome": "education"}, "outcome"),
        case("read-only-version", {"version": 99}, "version"),
        case("unknown-field", {"organisation_id": NOT_UUID}, "organisation_id"),
    ],
    "end-participant": [
        case("end-date-month-13", {"end_date": "2026-13-01"}, "end_date"),
        case("end-date-number", {"end_date": 5}, "end_date"),
        case("end-date-null", {"end_date": None}, "end_date"),
        case("end-date-with-time", {"end_date": "2026-03-01T10:00:00"}, "end_date"),
        case("outcome-invalid", {"outcome": "fired"}, "outcome"),
        case("outcome-number", {"outcome": 1}, "outcome"),
        case("outcome-null", {"outcome": None}, "outcome"),
        case("outcome-missing", {"outcome": DROP}, "outcome"),
        case("unknown-field", {"status": "ended"}, "status"),
    ],
    "put-plan": [
        case("valid-from-month-13", {"valid_from": "2026-13-01"}, "valid_from"),
        case("valid-from-null", {"valid_from": None}, "valid_from"),
        case("valid-from-number", {"valid_from": 1}, "valid_from"),
        case("review-date-words", {"review_date": "next spring"}, "review_date"),
        case("goals-object", {"goals": {"title": "x"}}, "goals"),
        case("goals-of-strings", {"goals": ["Møte presis"]}, "goals.0"),
        case("goal-title-number", {"goals": [{"title": 5}]}, "goals.0.title"),
        case("goal-title-blank", {"goals": [{"title": " "}]}, "goals.0.title"),
        case("goal-title-missing", {"goals": [{"description": "x"}]}, "goals.0.title"),
        case("goal-id-invalid", {"goals": [{"id": NOT_UUID, "title": "x"}]}, "goals.0.id"),
        case(
            "goal-status-invalid", {"goals": [{"title": "x", "status": "done"}]}, "goals.0.status"
        ),
        case(
            "goal-due-date-feb-30",
            {"goals": [{"title": "x", "due_date": "2026-02-30"}]},
            "goals.0.due_date",
        ),
        case("goal-unknown-field", {"goals": [{"title": "x", "owner": "me"}]}, "goals.0.owner"),
        case("goals-too-many", {"goals": [{"title": f"Mål {i}"} for i in range(51)]}, "goals"),
        case("work-areas-string", {"work_areas": "kjøkken"}, "work_areas"),
        case("work-areas-of-numbers", {"work_areas": [5]}, "work_areas.0"),
        case("work-areas-blank", {"work_areas": [""]}, "work_areas.0"),
        case("work-areas-too-many", {"work_areas": [f"sted {i}" for i in range(21)]}, "work_areas"),
        case("schedule-object", {"schedule": slot()}, "schedule"),
        case("slot-as-list", {"schedule": [[1, "09:00", "14:00"]]}, "schedule.0"),
        case("weekday-0", {"schedule": [slot(weekday=0)]}, "schedule.0.weekday"),
        case("weekday-8", {"schedule": [slot(weekday=8)]}, "schedule.0.weekday"),
        case("weekday-name", {"schedule": [slot(weekday="monday")]}, "schedule.0.weekday"),
        case("weekday-null", {"schedule": [slot(weekday=None)]}, "schedule.0.weekday"),
        case("weekday-fraction", {"schedule": [slot(weekday=1.5)]}, "schedule.0.weekday"),
        case("start-25-00", {"schedule": [slot(start="25:00")]}, "schedule.0.start"),
        case("start-09-60", {"schedule": [slot(start="09:60")]}, "schedule.0.start"),
        case("start-with-seconds", {"schedule": [slot(start="09:00:00")]}, "schedule.0.start"),
        case("start-am-pm", {"schedule": [slot(start="9am")]}, "schedule.0.start"),
        case("start-number", {"schedule": [slot(start=900)]}, "schedule.0.start"),
        case("end-24-00", {"schedule": [slot(end="24:00")]}, "schedule.0.end"),
        case("end-missing", {"schedule": [{"weekday": 1, "start": "09:00"}]}, "schedule.0.end"),
        case("slot-unknown-field", {"schedule": [slot(room="A")]}, "schedule.0.room"),
        case(
            "schedule-too-many",
            {
                "schedule": [
                    slot(d, f"{h:02}:00", f"{h:02}:30")
                    for d in range(1, 8)
                    for h in (8, 10, 12, 14)
                ]
            },
            "schedule",
        ),
        case("notes-number", {"notes": 5}, "notes"),
        case("notes-too-long", {"notes": "x" * 10_001}, "notes"),
        case("read-only-version", {"version": 7}, "version"),
    ],
    "update-goal": [
        case("status-invalid", {"status": "done"}, "status"),
        case("status-null", {"status": None}, "status"),
        case("status-number", {"status": 2}, "status"),
        case("status-missing", {"status": DROP}, "status"),
        case("progress-note-number", {"progress_note": 5}, "progress_note"),
        case("progress-note-object", {"progress_note": {"text": "x"}}, "progress_note"),
        case("progress-note-too-long", {"progress_note": "x" * 4001}, "progress_note"),
        case("unknown-field", {"title": "Nytt navn"}, "title"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, name, SCHEMA_CASES[name])


# --- input that passes the schema but breaks a rule -----------------------------------------

OTHER_ORG_DEPARTMENT = lambda c: str(c.world.dept_b1.id)  # noqa: E731

RULE_CASES = {
    "create-department": [
        case("unknown-timezone", {"timezone": "Mars/Olympus_Mons"}, "timezone"),
        case("timezone-path", {"timezone": "../../etc/passwd"}, "timezone"),
    ],
    "update-department": [
        case("unknown-timezone", {"timezone": "Europe/Kristiansand"}, "timezone"),
    ],
    "create-user": [
        case(
            "department-of-other-organisation",
            {"department_ids": lambda c: [OTHER_ORG_DEPARTMENT(c)]},
            "department_ids",
        ),
        case("department-unknown", {"department_ids": [str(uuid.uuid4())]}, "department_ids"),
        case("password-9-characters", {"password": "Kort-Pw-1"}, "password"),
        case("password-common-password123", {"password": "password123"}, "password"),
        case("password-common-qwertyuiop1", {"password": "qwertyuiop1"}, "password"),
        case("password-common-passord123", {"password": "passord123"}, "password"),
        case("password-common-upper-case", {"password": "PASSWORD123"}, "password"),
        case("password-one-letter-repeated", {"password": "aaaaaaaaaaaa"}, "password"),
        case("password-has-username", {"password": "New.User-Sikker-77"}, "password"),
        case("password-has-name", {"password": "Nordmann-Sikker-77"}, "password"),
        case("password-too-long", {"password": "Ab1-" * 65}, "password"),
    ],
    "update-user": [
        case(
            "department-of-other-organisation",
            {"department_ids": lambda c: [OTHER_ORG_DEPARTMENT(c)]},
            "department_ids",
        ),
        case("password-9-characters", {"password": "Kort-Pw-1"}, "password"),
        case("password-common-password123", {"password": "password123"}, "password"),
        case("password-common-qwertyuiop1", {"password": "qwertyuiop1"}, "password"),
        case("password-has-username", {"password": "facilitator-a1-2026"}, "password"),
    ],
    "create-participant": [
        case(
            "planned-end-before-start",
            {"start_date": "2026-02-02", "planned_end_date": "2026-02-01"},
            "planned_end_date",
        ),
        case(
            "department-of-other-organisation",
            {"department_id": OTHER_ORG_DEPARTMENT},
            "department_id",
        ),
        case("department-unknown", {"department_id": str(uuid.uuid4())}, "department_id"),
        case("phone-too-short", {"phone": "12345"}, "phone"),
        case("phone-letters", {"phone": "ring meg"}, "phone"),
        case("phone-norwegian-7-digits", {"phone": "+47 123 4567"}, "phone"),
        case("phone-empty", {"phone": ""}, "phone"),
        case("birth-year-1800", {"birth_year": 1800}, "birth_year"),
        case("birth-year-next-year", {"birth_year": date.today().year + 1}, "birth_year"),
        case("birth-year-huge", {"birth_year": 10**30}, "birth_year"),
    ],
    "update-participant": [
        case(
            "planned-end-before-start",
            {"planned_end_date": "2025-12-31", "start_date": DROP},
            "planned_end_date",
        ),
        case(
            "start-after-planned-end",
            {"start_date": "2027-01-01", "planned_end_date": "2026-06-30"},
            "planned_end_date",
        ),
        case(
            "department-of-other-organisation",
            {"department_id": OTHER_ORG_DEPARTMENT},
            "department_id",
        ),
        case("phone-bad", {"phone": "0047-abc"}, "phone"),
        case("birth-year-1800", {"birth_year": 1800}, "birth_year"),
    ],
    "end-participant": [
        case("end-before-start", {"end_date": "2026-01-04"}, "end_date"),
        case("end-in-the-future", {"end_date": lambda c: future()}, "end_date"),
    ],
    "put-plan": [
        case(
            "slot-end-before-start",
            {"schedule": [slot(1, "09:00", "14:00"), slot(2, "14:00", "09:00")]},
            "schedule.1.end",
        ),
        case("slot-end-equals-start", {"schedule": [slot(3, "09:00", "09:00")]}, "schedule.0.end"),
        case(
            "slots-overlap-same-weekday",
            {"schedule": [slot(1, "09:00", "12:00"), slot(1, "11:00", "14:00")]},
            "schedule.0.start",
            "schedule.1.start",
        ),
        case(
            "slots-identical",
            {"schedule": [slot(5, "09:00", "12:00"), slot(5, "09:00", "12:00")]},
            "schedule.0.start",
            "schedule.1.start",
        ),
        case(
            "review-date-before-valid-from",
            {"valid_from": "2026-02-01", "review_date": "2026-01-31"},
            "review_date",
        ),
        case("unknown-goal-id", {"goals": [{"id": str(uuid.uuid4()), "title": "x"}]}, "goals"),
        case(
            "goal-id-of-another-participant",
            {"goals": lambda c: [{"id": c.other_participants_goal_id, "title": "x"}]},
            "goals",
        ),
        case(
            "same-goal-id-twice",
            {"goals": lambda c: [{"id": c.goal_id, "title": "A"}, {"id": c.goal_id, "title": "B"}]},
            "goals",
        ),
    ],
}


@pytest.mark.parametrize("name", RULE_CASES)
def test_rule_violation_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, name, RULE_CASES[name])


def test_adjacent_schedule_slots_do_not_overlap(ctx):
    """The control for the overlap rule: 09-12 and 12-14 on one day touch, not overlap."""
    schedule = [slot(1, "09:00", "12:00"), slot(1, "12:00", "14:00")]
    response = send(ctx, "put-plan", json=body_with(ctx, "put-plan", {"schedule": schedule}))
    assert response.status_code == 201, response.json


# --- text no database should be asked to store ---------------------------------------------

NUL_CASES = [
    ("create-department", case("name", {"name": "Sol\x00dalen"}, "name")),
    ("update-department", case("name", {"name": "Song\x00dalen"}, "name")),
    ("create-user", case("full-name", {"full_name": "Kari\x00 Nordmann"}, "full_name")),
    ("create-participant", case("first-name", {"first_name": "O\x00la"}, "first_name")),
    ("update-participant", case("nav-contact", {"nav_contact": "Kari\x00"}, "nav_contact")),
    ("put-plan", case("notes", {"notes": "Notat\x00"}, "notes")),
    ("update-goal", case("progress-note", {"progress_note": "Bra\x00"}, "progress_note")),
]


def test_nul_character_in_text_is_refused(ctx, subtests):
    """PostgreSQL cannot store U+0000 in text; the API refuses it the same way on any database."""
    for name, c in NUL_CASES:
        with subtests.test(f"{name}: {c.id}"):
            refused(ctx, name, c.status, c.fields, json=body_with(ctx, name, c.changes))


def test_nul_character_in_login_username_is_refused(ctx):
    refused(ctx, "login", (401, 422), json={"username": "admin-a\x00", "password": PASSWORD})


def test_maximum_length_names_that_grow_when_case_folded_are_stored(ctx):
    """Valid input never answers 5xx: 80 letters 'ß' make a valid name, though the
    case-folded search form ('ss' per letter) is twice as long."""
    body = body_with(ctx, "create-participant", {"first_name": "ß" * 80, "last_name": "ß" * 80})
    response = send(ctx, "create-participant", json=body)
    assert response.status_code == 201, response.get_data(True)
    assert response.json["first_name"] == "ß" * 80


# --- duplicates and other conflicts: 409 -----------------------------------------------------

CONFLICT_CASES = [
    ("create-department", case("same-name", {"name": "Songdalen"}, "name", status=409)),
    (
        "create-department",
        case("same-name-other-case", {"name": " songdalen "}, "name", status=409),
    ),
    ("update-department", case("rename-to-sibling", {"name": "ARENDAL"}, "name", status=409)),
    ("create-user", case("same-username", {"username": "leader-a1"}, "username", status=409)),
    (
        "create-user",
        case("same-username-other-case", {"username": "Leader-A1"}, "username", status=409),
    ),
    (
        "create-user",
        case("username-of-other-organisation", {"username": "admin-b"}, "username", status=409),
    ),
]


def test_duplicate_is_a_conflict(ctx, subtests):
    for name, c in CONFLICT_CASES:
        with subtests.test(f"{name}: {c.id}"):
            refused(ctx, name, c.status, c.fields, json=body_with(ctx, name, c.changes))


def test_department_names_clash_regardless_of_case_in_norwegian_letters(ctx):
    DepartmentFactory(organisation=ctx.world.org_a, name="Ålesund")
    refused(ctx, "create-department", 409, ("name",), json={"name": "ÅLESUND"})


def test_admin_cannot_lock_themselves_out(ctx, subtests):
    path = f"/users/{ctx.world.admin.id}"
    for case_id, changes in [("deactivate", {"active": False}), ("demote", {"role": "leader"})]:
        with subtests.test(case_id):
            refused(ctx, "update-user", 409, path=path, state=lambda c: _get(c, path), json=changes)


def test_ending_an_ended_participant_is_a_conflict(ctx):
    body = ENDPOINTS["end-participant"].body(ctx)
    assert send(ctx, "end-participant", json=body).status_code == 200
    refused(ctx, "end-participant", 409, json={**body, "outcome": "education"})


# --- If-Match on PATCH /participants/{id} ----------------------------------------------------


def test_patch_participant_needs_the_current_etag(ctx, subtests):
    body = ENDPOINTS["update-participant"].body(ctx)
    for case_id, if_match, status in [("missing", "", 428), ("stale", '"stale"', 412)]:
        with subtests.test(case_id):
            refused(ctx, "update-participant", status, headers={"If-Match": if_match}, json=body)


# --- paths, methods and headers ------------------------------------------------------------

ITEM_PATHS = {
    "update-department": "/departments/{bad}",
    "update-user": "/users/{bad}",
    "update-participant": "/participants/{bad}",
    "end-participant": "/participants/{bad}/end",
    "put-plan": "/participants/{bad}/plan",
    "update-goal": "/participants/{participant}/plan/goals/{bad}",
}


def test_bad_or_unknown_id_in_path_is_404(ctx, subtests):
    for name, template in ITEM_PATHS.items():
        for case_id, bad in [("word", NOT_UUID), ("number", "12345"), ("unknown", uuid.uuid4())]:
            with subtests.test(f"{name}: {case_id}"):
                path = template.format(bad=bad, participant=ctx.participant_id)
                refused(ctx, name, 404, path=path, json=ENDPOINTS[name].body(ctx))
    with subtests.test("update-goal: goal-of-another-participant"):
        path = f"/participants/{ctx.participant_id}/plan/goals/{ctx.other_participants_goal_id}"
        refused(ctx, "update-goal", 404, path=path, json=ENDPOINTS["update-goal"].body(ctx))


def test_unknown_route_is_404_in_the_envelope(ctx, subtests):
    routes = [
        ("GET", "/api/v1/nowhere"),
        ("POST", f"/api/v1/participants/{ctx.participant_id}/nowhere"),
        ("PUT", f"/api/v1/departments/{ctx.world.dept_a1.id}/users"),
        ("GET", "/api/v2/participants"),
    ]
    for method, path in routes:
        with subtests.test(f"{method} {path}"):
            counts = table_counts()
            assert_envelope(ctx.admin.request(method, path, json={"x": 1}), 404)
            assert table_counts() == counts


def test_wrong_method_is_405_in_the_envelope(ctx, subtests):
    participant = f"/participants/{ctx.participant_id}"
    cases = [
        ("GET", "/auth/login", {"POST"}),
        ("PATCH", "/participants", {"GET", "POST"}),
        ("PUT", f"/departments/{ctx.world.dept_a1.id}", {"GET", "PATCH"}),
        ("DELETE", f"/users/{ctx.world.facilitator.id}", {"GET", "PATCH"}),
        ("DELETE", participant, {"GET", "PATCH"}),
        ("GET", f"{participant}/end", {"POST"}),
        ("POST", f"{participant}/plan", {"GET", "PUT"}),
        ("PUT", f"{participant}/plan/goals/{ctx.goal_id}", {"PATCH"}),
    ]
    for method, path, allowed in cases:
        with subtests.test(f"{method} {path}"):
            counts = table_counts()
            response = ctx.admin.request(method, path, json={})
            assert_envelope(response, 405)
            assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}
            assert table_counts() == counts


def test_responses_under_api_v1_are_not_cached(ctx, subtests):
    participant = f"/participants/{ctx.participant_id}"
    paths = [
        "/me",
        "/departments",
        f"/departments/{ctx.world.dept_a1.id}",
        "/users",
        f"/users/{ctx.world.facilitator.id}",
        "/participants",
        participant,
        f"{participant}/plan",
        f"{participant}/plan/versions",
    ]
    for path in paths:
        with subtests.test(path):
            response = ctx.admin.get(path)
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "no-store"
    with subtests.test("login"):
        response = send(ctx, "login", json=ENDPOINTS["login"].body(ctx))
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"


def test_json_with_charset_parameter_is_accepted(ctx):
    response = send(
        ctx,
        "create-department",
        data=b'{"name": "Grimstad"}',
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 201, response.get_data(True)
