"""Bad input on every write endpoint: each is refused with a 4xx in the one error envelope,
and leaves the database exactly as it was. What the tests of every endpoint group share.

Every request here is made as organisation A's admin, or, where only the staff of the
participant's department may write (follow-ups, meeting minutes), as the leader of A1, so
authorisation never decides the answer. Each group's ``test_bad_input.py`` describes each of
its endpoints once in ``ENDPOINTS`` (a body it accepts, and how to read back the object it
targets); its case tables change that body in one place and name the field the error must
point at. ``refused`` proves nothing was written: the row count of every table and the
target object, read back through the API, are unchanged.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from sqlalchemy import select

from server.database import db
from server.models import Goal
from shared.vocab import ParticipantStatus
from tests.conftest import Api, World, table_counts
from tests.factories import ParticipantFactory

JSON = "application/json"
DROP = object()  # a case value: leave the field out of the body
NOT_UUID = "not-a-uuid"


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


def assert_envelope(response, status: int, fields=None) -> dict:
    """The one error envelope: ``{code, status, message, errors?: {json: {field: [...]}}}``.

    ``status`` is the one status the contract names for the case. ``fields`` are the fields
    the errors must name, exactly; a dotted name (``schedule.1.end``) names a nested error.
    """
    assert response.status_code == status, (response.status_code, response.get_data(True))
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


def read(ctx: Ctx, path: str, api: Api | None = None):
    """A target read back: the status and the body."""
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


def send(ctx: Ctx, endpoint: Endpoint, *, path: str | None = None, headers=None, **kwargs):
    api = ctx.anonymous if endpoint.anonymous else ctx.leader if endpoint.as_leader else ctx.admin
    return api.request(endpoint.method, path or endpoint.path(ctx), headers=headers or {}, **kwargs)


def refused(
    ctx: Ctx, endpoint: Endpoint, status: int, fields=None, *, path=None, state=None, **kwargs
):
    """Send a request that must be refused; prove it wrote nothing; check the envelope.

    ``state`` reads the target back when it is not the endpoint's usual one.
    """
    state = state or endpoint.state
    headers = dict(kwargs.pop("headers", {}))
    if endpoint.if_match:
        headers.setdefault("If-Match", endpoint.if_match(ctx))
    path = path or endpoint.path(ctx)
    before = state(ctx)
    counts = table_counts()
    try:
        response = send(ctx, endpoint, path=path, headers=headers, **kwargs)
    except Exception:
        db.session.rollback()  # the app re-raises under TESTING; keep the next case usable
        raise
    body = assert_envelope(response, status, fields)
    assert table_counts() == counts, f"a refused request wrote rows: {body}"
    assert state(ctx) == before, f"a refused request changed the target: {body}"
    return body


def body_with(ctx: Ctx, endpoint: Endpoint, changes: dict) -> dict:
    """The endpoint's accepted body with some fields changed (a callable gets the ctx)."""
    body = endpoint.body(ctx)
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
    status: int = 422


def case(case_id: str, changes: dict, *fields: str, status=422) -> Case:
    return Case(case_id, changes, fields, status)


def run_cases(ctx: Ctx, subtests, endpoint: Endpoint, cases: list[Case]) -> None:
    """One subtest per case, all against the same world: each must be refused."""
    for c in cases:
        with subtests.test(c.id):
            refused(ctx, endpoint, c.status, c.fields, json=body_with(ctx, endpoint, c.changes))


def accepts_its_body(ctx: Ctx, endpoint: Endpoint) -> None:
    """The control for every case: the endpoint's own body is accepted, so each refusal is
    down to the one change the case makes."""
    headers = {"If-Match": endpoint.if_match(ctx)} if endpoint.if_match else {}
    response = send(ctx, endpoint, json=endpoint.body(ctx), headers=headers)
    assert response.status_code == endpoint.ok, response.get_data(True)
    assert response.headers["Cache-Control"] == "no-store"


def future_moment() -> str:
    return (datetime.now(UTC) + timedelta(days=2)).isoformat()


def member(**extra) -> dict:
    return {"name": "Kari Veileder", "organisation": "NAV Songdalen", **extra}


OTHER_ORG_DEPARTMENT = lambda c: str(c.world.dept_b1.id)  # noqa: E731
