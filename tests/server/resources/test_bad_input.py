"""Bad input on every write endpoint: each is refused with a 4xx in the one error envelope,
and leaves the database exactly as it was.

Every request here is made as organisation A's admin, or, where only the staff of the
participant's department may write (follow-ups, meeting minutes), as the leader of A1, so
authorisation never decides the answer. Each endpoint is described once in ``ENDPOINTS`` (a
body it accepts, and how to read back the object it targets); the case tables below change
that body in one place and name the field the error must point at. ``refused`` proves
nothing was written: the row count of every table and the target object, read back through
the API, are unchanged.
"""

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

import pytest
from sqlalchemy import select

from server.database import db
from server.models import Goal
from shared.vocab import ParticipantStatus
from tests.conftest import Api, World, table_counts
from tests.factories import PASSWORD, DepartmentFactory, ParticipantFactory

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
        # Logged in up front, so no login is counted as a write of a refused request.
        self.leader = as_user(world.leader)

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

    @cached_property
    def ended_participant_id(self) -> str:
        """A participant of A1 who was in the programme from 5 January to 1 March 2026."""
        participant = ParticipantFactory(
            department=self.world.dept_a1,
            status=ParticipantStatus.ENDED,
            end_date=date(2026, 3, 1),
        )
        return str(participant.id)

    @cached_property
    def followup_id(self) -> str:
        """The client's id for a new follow-up."""
        return str(uuid.uuid4())

    def new_meeting(self, participant_id: str) -> dict:
        response = self.admin.post(
            f"/participants/{participant_id}/meetings",
            json={
                "scheduled_at": "2026-02-10T10:00:00+01:00",
                "members": [{"name": "Kari Veileder", "organisation": "NAV Songdalen"}],
            },
        )
        assert response.status_code == 201, response.json
        return response.json

    def new_action(self, meeting_id: str) -> str:
        response = self.admin.post(
            f"/meetings/{meeting_id}/actions",
            json={"description": "Søke om arbeidstrening", "responsible": "Kari Veileder"},
        )
        assert response.status_code == 201, response.json
        return response.json["id"]

    @cached_property
    def meeting(self) -> dict:
        """A planned meeting of the participant, with a group of one."""
        return self.new_meeting(self.participant_id)

    @property
    def meeting_id(self) -> str:
        return self.meeting["id"]

    @cached_property
    def action_id(self) -> str:
        return self.new_action(self.meeting_id)

    @cached_property
    def other_meeting(self) -> dict:
        """A meeting of the participant in A2, with a group of its own."""
        return self.new_meeting(str(self.world.participant_a2.id))

    @cached_property
    def other_meetings_action_id(self) -> str:
        return self.new_action(self.other_meeting["id"])

    def meeting_state(self):
        """The meeting, minutes and all, as the leader reads it."""
        response = self.leader.get(f"/meetings/{self.meeting_id}")
        assert response.status_code == 200
        return response.json, response.headers["ETag"]

    def meeting_etag(self) -> str:
        return self.meeting_state()[1]


def _get(ctx: Ctx, path: str, api: Api | None = None):
    response = (api or ctx.admin).get(path)
    return response.status_code, response.json


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: Callable[[Ctx], str]
    body: Callable[[Ctx], dict]  # a body the endpoint accepts
    state: Callable[[Ctx], object]  # the target object, read back
    ok: int
    required: tuple[str, ...] = ()
    if_match: Callable[[Ctx], str] | None = None  # the target's current ETag
    anonymous: bool = False
    as_leader: bool = False  # only the department's staff may: not the admin


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
        if_match=lambda c: c.etag(),
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
    "put-followup": Endpoint(
        "PUT",
        lambda c: f"/followups/{c.followup_id}",
        lambda c: {
            "participant_id": c.participant_id,
            "kind": "home_visit",
            "occurred_at": "2026-02-03T10:00:00+01:00",
            "duration_minutes": 45,
            "note": "Hjemmebesøk; snakket om søvn og oppmøte.",
        },
        lambda c: (
            _get(c, f"/followups/{c.followup_id}", c.leader),
            _get(c, f"/followups?participant_id={c.participant_id}", c.leader),
        ),
        201,
        required=("participant_id", "kind", "occurred_at"),
        as_leader=True,
    ),
    "create-meeting": Endpoint(
        "POST",
        lambda c: f"/participants/{c.participant_id}/meetings",
        lambda c: {
            "id": str(uuid.uuid4()),
            "scheduled_at": "2026-02-10T10:00:00+01:00",
            "location": "NAV Songdalen",
            "agenda": "Status og veien videre",
            "members": [
                {
                    "id": c.meeting["members"][0]["id"],
                    "name": "Kari Veileder",
                    "organisation": "NAV Songdalen",
                    "role": "Veileder",
                    "phone": "+47 912 34 567",
                    "email": "kari.veileder@nav.no",
                },
                {"name": "Per Lege", "organisation": "Songdalen legekontor"},
            ],
        },
        # The participant's meetings, and the group the next meeting starts with.
        lambda c: (
            _get(c, f"/participants/{c.participant_id}/meetings"),
            _get(c, f"/participants/{c.participant_id}/group-members"),
        ),
        201,
        required=("scheduled_at",),
    ),
    "update-meeting": Endpoint(
        "PATCH",
        lambda c: f"/meetings/{c.meeting_id}",
        lambda c: {
            "scheduled_at": "2026-02-10T10:00:00+01:00",
            "location": "Songdalen kommune, møterom 2",
            "agenda": "Status og veien videre",
            "status": "held",
            "minutes": "Deltakeren trives på kjøkkenet og møter presis.",
            "decisions": "Øke til fire dager i uka fra mars.",
            "next_meeting_at": "2026-05-12T10:00:00+02:00",
            "members": [{"name": "Kari Veileder", "organisation": "NAV Songdalen"}],
        },
        lambda c: (
            c.meeting_state(),
            _get(c, f"/participants/{c.participant_id}/meetings"),
            _get(c, f"/participants/{c.participant_id}/group-members"),
        ),
        200,
        if_match=lambda c: c.meeting_etag(),
        as_leader=True,
    ),
    "add-action": Endpoint(
        "POST",
        lambda c: f"/meetings/{c.meeting_id}/actions",
        lambda c: {
            "id": str(uuid.uuid4()),
            "description": "Søke om arbeidstrening hos Coop",
            "responsible": "Kari Veileder (NAV)",
            "due_date": "2026-03-01",
        },
        lambda c: c.meeting_state(),
        201,
        required=("description", "responsible"),
    ),
    "update-action": Endpoint(
        "PATCH",
        lambda c: f"/meetings/{c.meeting_id}/actions/{c.action_id}",
        lambda c: {
            "description": "Søke om arbeidstrening hos Coop",
            "responsible": "Per Lege",
            "due_date": "2026-03-15",
            "done": True,
        },
        lambda c: c.meeting_state(),
        200,
    ),
}


@pytest.fixture
def ctx(world, as_user, anonymous) -> Ctx:
    return Ctx(world, as_user(world.admin), anonymous, as_user)


def send(ctx: Ctx, name: str, *, path: str | None = None, headers=None, **kwargs):
    endpoint = ENDPOINTS[name]
    api = ctx.anonymous if endpoint.anonymous else ctx.leader if endpoint.as_leader else ctx.admin
    return api.request(endpoint.method, path or endpoint.path(ctx), headers=headers or {}, **kwargs)


def refused(ctx: Ctx, name: str, status, fields=None, *, path=None, state=None, **kwargs):
    """Send a request that must be refused; prove it wrote nothing; check the envelope.

    ``state`` reads the target back when it is not the endpoint's usual one.
    """
    endpoint = ENDPOINTS[name]
    state = state or endpoint.state
    headers = dict(kwargs.pop("headers", {}))
    if endpoint.if_match:
        headers.setdefault("If-Match", endpoint.if_match(ctx))
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


def future_moment() -> str:
    return (datetime.now(UTC) + timedelta(days=2)).isoformat()


def member(**extra) -> dict:
    return {"name": "Kari Veileder", "organisation": "NAV Songdalen", **extra}


# --- the accepted bodies (so each refusal below is down to the one change) ----------------


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    endpoint = ENDPOINTS[name]
    headers = {"If-Match": endpoint.if_match(ctx)} if endpoint.if_match else {}
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
    "put-followup": [
        case("participant-id-invalid", {"participant_id": NOT_UUID}, "participant_id"),
        case("participant-id-null", {"participant_id": None}, "participant_id"),
        case("participant-id-missing", {"participant_id": DROP}, "participant_id"),
        case("kind-invalid", {"kind": "visit"}, "kind"),
        case("kind-upper-case", {"kind": "PHONE"}, "kind"),
        case("kind-null", {"kind": None}, "kind"),
        case("occurred-at-no-offset", {"occurred_at": "2026-02-03T10:00:00"}, "occurred_at"),
        case("occurred-at-date-only", {"occurred_at": "2026-02-03"}, "occurred_at"),
        case("occurred-at-number", {"occurred_at": 1770109200}, "occurred_at"),
        case("occurred-at-null", {"occurred_at": None}, "occurred_at"),
        case("occurred-at-year-2200", {"occurred_at": "2200-01-01T10:00:00Z"}, "occurred_at"),
        case("duration-zero", {"duration_minutes": 0}, "duration_minutes"),
        case("duration-negative", {"duration_minutes": -30}, "duration_minutes"),
        case("duration-over-a-day", {"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        case("duration-fraction", {"duration_minutes": 12.5}, "duration_minutes"),
        case("duration-string", {"duration_minutes": "30"}, "duration_minutes"),
        case("duration-bool", {"duration_minutes": True}, "duration_minutes"),
        case("note-number", {"note": 5}, "note"),
        case("note-list", {"note": ["Notat"]}, "note"),
        case("note-too-long", {"note": "x" * 4001}, "note"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-author-id", {"author_id": str(uuid.uuid4())}, "author_id"),
        case("read-only-has-note", {"has_note": False}, "has_note"),
        case("unknown-field", {"department_id": str(uuid.uuid4())}, "department_id"),
    ],
    "create-meeting": [
        case("id-invalid", {"id": NOT_UUID}, "id"),
        case("id-number", {"id": 7}, "id"),
        case("scheduled-at-no-offset", {"scheduled_at": "2026-02-10T10:00:00"}, "scheduled_at"),
        case("scheduled-at-date-only", {"scheduled_at": "2026-02-10"}, "scheduled_at"),
        case("scheduled-at-words", {"scheduled_at": "neste tirsdag"}, "scheduled_at"),
        case("scheduled-at-null", {"scheduled_at": None}, "scheduled_at"),
        case("scheduled-at-missing", {"scheduled_at": DROP}, "scheduled_at"),
        case("location-number", {"location": 5}, "location"),
        case("location-too-long", {"location": "x" * 201}, "location"),
        case("agenda-too-long", {"agenda": "x" * 4001}, "agenda"),
        case("members-object", {"members": member()}, "members"),
        case("members-of-strings", {"members": ["Kari Veileder"]}, "members.0"),
        case(
            "members-too-many", {"members": [member(name=f"M {i}") for i in range(31)]}, "members"
        ),
        case("member-id-invalid", {"members": [member(id=NOT_UUID)]}, "members.0.id"),
        case("member-name-missing", {"members": [{"organisation": "NAV"}]}, "members.0.name"),
        case("member-name-blank", {"members": [member(name=" ")]}, "members.0.name"),
        case("member-name-too-long", {"members": [member(name="x" * 121)]}, "members.0.name"),
        case(
            "member-organisation-null",
            {"members": [member(organisation=None)]},
            "members.0.organisation",
        ),
        case("member-phone-letters", {"members": [member(phone="ring meg")]}, "members.0.phone"),
        case("member-email-invalid", {"members": [member(email="kari@")]}, "members.0.email"),
        case(
            "member-unknown-field",
            {"members": [member(participant_id=str(uuid.uuid4()))]},
            "members.0.participant_id",
        ),
        case("read-only-status", {"status": "held"}, "status"),
        case("read-only-version", {"version": 1}, "version"),
        case("unknown-field", {"minutes": "Skrevet før møtet."}, "minutes"),
    ],
    "update-meeting": [
        case("scheduled-at-null", {"scheduled_at": None}, "scheduled_at"),
        case("scheduled-at-no-offset", {"scheduled_at": "2026-02-10T10:00:00"}, "scheduled_at"),
        case("status-invalid", {"status": "done"}, "status"),
        case("status-upper-case", {"status": "HELD"}, "status"),
        case("status-null", {"status": None}, "status"),
        case("minutes-number", {"minutes": 5}, "minutes"),
        case("minutes-too-long", {"minutes": "x" * 20_001}, "minutes"),
        case("decisions-list", {"decisions": ["Øke"]}, "decisions"),
        case("decisions-too-long", {"decisions": "x" * 8001}, "decisions"),
        case("next-meeting-at-words", {"next_meeting_at": "til våren"}, "next_meeting_at"),
        case("next-meeting-at-date-only", {"next_meeting_at": "2026-05-12"}, "next_meeting_at"),
        case("members-string", {"members": "Kari Veileder"}, "members"),
        case("member-email-invalid", {"members": [member(email="kari")]}, "members.0.email"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-version", {"version": 7}, "version"),
        case(
            "read-only-next-meeting-id", {"next_meeting_id": str(uuid.uuid4())}, "next_meeting_id"
        ),
        case("read-only-minutes-withheld", {"minutes_withheld": False}, "minutes_withheld"),
        case("unknown-field", {"participant_id": str(uuid.uuid4())}, "participant_id"),
    ],
    "add-action": [
        case("id-invalid", {"id": NOT_UUID}, "id"),
        case("description-number", {"description": 5}, "description"),
        case("description-blank", {"description": "  "}, "description"),
        case("description-too-long", {"description": "x" * 1001}, "description"),
        case("description-missing", {"description": DROP}, "description"),
        case("responsible-null", {"responsible": None}, "responsible"),
        case("responsible-list", {"responsible": ["Kari"]}, "responsible"),
        case("responsible-too-long", {"responsible": "x" * 201}, "responsible"),
        case("due-date-feb-30", {"due_date": "2026-02-30"}, "due_date"),
        case("due-date-with-time", {"due_date": "2026-03-01T10:00:00"}, "due_date"),
        case("due-date-norwegian-format", {"due_date": "01.03.2026"}, "due_date"),
        case("read-only-done", {"done": True}, "done"),
        case("read-only-meeting-id", {"meeting_id": str(uuid.uuid4())}, "meeting_id"),
        case("unknown-field", {"done_by_id": str(uuid.uuid4())}, "done_by_id"),
    ],
    "update-action": [
        case("done-string", {"done": "maybe"}, "done"),
        case("done-null", {"done": None}, "done"),
        case("done-list", {"done": [True]}, "done"),
        case("description-null", {"description": None}, "description"),
        case("description-blank", {"description": ""}, "description"),
        case("responsible-number", {"responsible": 5}, "responsible"),
        case("due-date-month-13", {"due_date": "2026-13-01"}, "due_date"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-done-at", {"done_at": "2026-03-01T10:00:00Z"}, "done_at"),
        case("unknown-field", {"done_by_id": str(uuid.uuid4())}, "done_by_id"),
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
    # The participant started on 5 January 2026; Oslo is an hour ahead of UTC in winter.
    "put-followup": [
        case("occurred-in-the-future", {"occurred_at": lambda c: future_moment()}, "occurred_at"),
        case(
            "occurred-before-the-start", {"occurred_at": "2026-01-04T12:00:00+01:00"}, "occurred_at"
        ),
        case(
            # 5 January in the offset given, 4 January in Oslo: the participant's day counts.
            "occurred-before-the-start-in-local-time",
            {"occurred_at": "2026-01-05T00:30:00+02:00"},
            "occurred_at",
        ),
        case(
            "occurred-after-the-end",
            {
                "participant_id": lambda c: c.ended_participant_id,
                "occurred_at": "2026-03-02T10:00:00+01:00",
            },
            "occurred_at",
        ),
        case(
            "participant-of-other-organisation",
            {"participant_id": lambda c: str(c.world.participant_b1.id)},
            status=404,
        ),
        case("participant-unknown", {"participant_id": str(uuid.uuid4())}, status=404),
    ],
    "create-meeting": [
        case(
            "scheduled-before-the-start",
            {"scheduled_at": "2026-01-04T10:00:00+01:00"},
            "scheduled_at",
        ),
        case(
            "member-id-unknown",
            {"members": [member(id=str(uuid.uuid4()))]},
            "members.0.id",
        ),
        case(
            "member-of-another-participants-group",
            {"members": lambda c: [member(id=c.other_meeting["members"][0]["id"])]},
            "members.0.id",
        ),
    ],
    "update-meeting": [
        case(
            "next-meeting-before-the-meeting",
            {"next_meeting_at": "2026-02-09T10:00:00+01:00"},
            "next_meeting_at",
        ),
        case(
            "next-meeting-at-the-same-moment",
            {"next_meeting_at": "2026-02-10T09:00:00Z"},
            "next_meeting_at",
        ),
        case(
            "held-in-the-future",
            {"scheduled_at": lambda c: future_moment(), "next_meeting_at": DROP},
            "status",
        ),
        case(
            "scheduled-before-the-start",
            {"scheduled_at": "2026-01-04T10:00:00+01:00"},
            "scheduled_at",
        ),
        case("member-id-unknown", {"members": [member(id=str(uuid.uuid4()))]}, "members.0.id"),
        case(
            "member-of-another-participants-group",
            {"members": lambda c: [member(id=c.other_meeting["members"][0]["id"])]},
            "members.0.id",
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
    ("put-followup", case("note", {"note": "Hjemme\x00"}, "note")),
    ("create-meeting", case("location", {"location": "NAV\x00"}, "location")),
    ("create-meeting", case("member-name", {"members": [member(name="Ka\x00ri")]}, "members")),
    ("update-meeting", case("minutes", {"minutes": "Referat\x00"}, "minutes")),
    ("add-action", case("description", {"description": "Søke\x00"}, "description")),
    ("update-action", case("responsible", {"responsible": "Per\x00"}, "responsible")),
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


def test_a_client_chosen_id_names_one_thing_only(ctx, subtests):
    """The same id and body again answers 200 and changes nothing; the same id with another
    body is a conflict (a follow-up's author may correct it, but never move it to another
    participant; a meeting or an action item is changed with PATCH)."""
    for name, field, value in [
        ("put-followup", "participant_id", lambda c: c.ended_participant_id),
        ("create-meeting", "location", "Et annet sted"),
        ("add-action", "description", "Noe annet"),
    ]:
        with subtests.test(name):
            body = ENDPOINTS[name].body(ctx)
            first = send(ctx, name, json=body)
            assert first.status_code == ENDPOINTS[name].ok, first.json
            again = send(ctx, name, json=body)
            assert again.status_code == 200, again.json
            assert again.json == first.json
            refused(ctx, name, 409, json={**body, field: value(ctx) if callable(value) else value})


def test_no_meeting_is_planned_for_an_ended_participant(ctx):
    meeting = ENDPOINTS["create-meeting"].body(ctx)  # names a member of the group as it was
    body = ENDPOINTS["end-participant"].body(ctx)
    assert send(ctx, "end-participant", json=body).status_code == 200
    refused(ctx, "create-meeting", 409, json=meeting)


def test_a_cancelled_meeting_takes_no_action_items(ctx):
    cancel = {"status": "cancelled"}
    response = send(ctx, "update-meeting", json=cancel, headers={"If-Match": ctx.meeting_etag()})
    assert response.status_code == 200, response.json
    refused(ctx, "add-action", 409, json=ENDPOINTS["add-action"].body(ctx))


# --- If-Match on PATCH /participants/{id} ----------------------------------------------------


def test_patch_participant_needs_the_current_etag(ctx, subtests):
    body = ENDPOINTS["update-participant"].body(ctx)
    for case_id, if_match, status in [("missing", "", 428), ("stale", '"stale"', 412)]:
        with subtests.test(case_id):
            refused(ctx, "update-participant", status, headers={"If-Match": if_match}, json=body)


def test_patch_meeting_needs_the_current_etag(ctx, subtests):
    """A stale ETag answers 412 with the meeting as it is now in ``current``, to merge from:
    the one member the envelope has beyond the usual ones."""
    body = ENDPOINTS["update-meeting"].body(ctx)
    with subtests.test("missing"):
        refused(ctx, "update-meeting", 428, headers={"If-Match": ""}, json=body)
    with subtests.test("stale"):
        before = ctx.meeting_state()
        counts = table_counts()
        response = send(ctx, "update-meeting", headers={"If-Match": '"stale"'}, json=body)
        assert response.status_code == 412, response.json
        assert response.mimetype == JSON
        envelope = dict(response.json)
        current = envelope.pop("current")
        assert set(envelope) == {"code", "status", "message"}, envelope
        assert envelope["code"] == 412
        assert (current, response.headers["ETag"]) == before
        after = table_counts()
        # Nothing changed; the meeting shown in the answer is logged as a read.
        assert after.pop("access_log") == counts.pop("access_log") + 1
        assert after == counts
        assert ctx.meeting_state() == before


# --- paths, methods and headers ------------------------------------------------------------

ITEM_PATHS = {
    "update-department": "/departments/{bad}",
    "update-user": "/users/{bad}",
    "update-participant": "/participants/{bad}",
    "end-participant": "/participants/{bad}/end",
    "put-plan": "/participants/{bad}/plan",
    "update-goal": "/participants/{participant}/plan/goals/{bad}",
    "create-meeting": "/participants/{bad}/meetings",
    "update-meeting": "/meetings/{bad}",
    "add-action": "/meetings/{bad}/actions",
    "update-action": "/meetings/{meeting}/actions/{bad}",
}


def test_bad_or_unknown_id_in_path_is_404(ctx, subtests):
    for name, template in ITEM_PATHS.items():
        for case_id, bad in [("word", NOT_UUID), ("number", "12345"), ("unknown", uuid.uuid4())]:
            with subtests.test(f"{name}: {case_id}"):
                path = template.format(
                    bad=bad, participant=ctx.participant_id, meeting=ctx.meeting_id
                )
                refused(ctx, name, 404, path=path, json=ENDPOINTS[name].body(ctx))
    with subtests.test("update-goal: goal-of-another-participant"):
        path = f"/participants/{ctx.participant_id}/plan/goals/{ctx.other_participants_goal_id}"
        refused(ctx, "update-goal", 404, path=path, json=ENDPOINTS["update-goal"].body(ctx))
    with subtests.test("update-action: action-of-another-meeting"):
        path = f"/meetings/{ctx.meeting_id}/actions/{ctx.other_meetings_action_id}"
        refused(ctx, "update-action", 404, path=path, json=ENDPOINTS["update-action"].body(ctx))


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
        ("DELETE", f"/followups/{uuid.uuid4()}", {"GET", "PUT"}),
        ("POST", "/followups", {"GET"}),
        ("PUT", f"{participant}/meetings", {"GET", "POST"}),
        ("PUT", f"/meetings/{ctx.meeting_id}", {"GET", "PATCH"}),
        ("DELETE", f"/meetings/{ctx.meeting_id}", {"GET", "PATCH"}),
        ("GET", f"/meetings/{ctx.meeting_id}/actions", {"POST"}),
        ("DELETE", f"/meetings/{ctx.meeting_id}/actions/{ctx.action_id}", {"PATCH"}),
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
        f"/followups?participant_id={ctx.participant_id}",
        f"{participant}/meetings",
        f"{participant}/group-members",
        f"/meetings/{ctx.meeting_id}",
        f"/meetings/{ctx.meeting_id}/summary.pdf",
        "/worklists/upcoming-meetings",
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
