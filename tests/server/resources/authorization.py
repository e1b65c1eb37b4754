"""Authorisation: who may do what, to which object. What the tests of every endpoint
group share: the scene they play in, and the checks of the matrix and of mass assignment.

The rules of the house:

* Scoping first, role second. An object outside the caller's organisation, or outside their
  departments for a leader or facilitator, answers 404 exactly as if it did not exist. A
  role that may see the object but not do the action answers 403.
* Endpoints that exist for one role only (``/users``, ``/audit``, ``POST /departments``)
  answer 403 to every other role, whatever object they name.
* Every endpoint but the public ones answers 401 without a token.
* Lists never show another organisation's (or, below admin, another department's) data.
* Write bodies are allow-lists: ids, ownership and unknown fields are refused with 422 and
  nothing is stored.

The world (see ``tests.conftest.World``): organisation A with departments A1 ("own": the
leader and facilitator work there) and A2 ("other_dept"), organisation B with B1
("other_org"); one participant with a one-goal plan in each department.

Each group's ``test_authorization.py`` holds, for its endpoints:

* ``ENDPOINTS``: each endpoint as a valid request about the object in ``where`` (for the
  endpoints that name no object, ``where`` is ignored);
* ``MATRIX``: endpoint x where the object lives x role -> status. 404: the caller may not
  see the object; 403: they see it but their role may not do this; 422: the department
  named in the body is one they cannot see. ``where`` is where the object named in the
  path (or query, or body) lives, or ``ANY`` when the endpoint names no object;
* ``MASS_ASSIGNMENT``: write -> (as whom, {field: a value that would do harm if it were
  stored}), and ``READ_BACK``: what to re-read (as the caller) to show that a refused
  write changed nothing.
"""

import json as jsonlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from server.database import db
from server.models import FollowUp, Goal, WakeupCall, WakeupSchedule
from shared.vocab import FollowUpKind
from tests.conftest import Api, login, table_counts
from tests.factories import ParticipantFactory

ROLES = ("admin", "leader", "facilitator")
PLACES = ("own", "other_dept", "other_org")
NOWHERE = "nowhere"
ANY = "-"  # the endpoint names no object: the role alone decides


# --------------------------------------------------------------------------------------
# The scene: the world plus what a test needs to build valid requests against it.


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: dict | None = None
    headers: dict | None = None


class Scene:
    def __init__(self, app, client, world):
        self.app = app
        self.client = client
        self.world = world
        self.refresh_token: str | None = None
        self._admins: dict[str, Api] = {}
        self._callers: dict[str, tuple[Api, str]] = {}
        self._days = 0

    def as_role(self, role: str) -> Api:
        """The caller under test, logged in once per test; keeps their refresh token for
        ``POST /auth/refresh``."""
        if role not in self._callers:
            api = self.as_user(self.world.user(role))
            self._callers[role] = (api, self.refresh_token)
        api, self.refresh_token = self._callers[role]
        return api

    def as_user(self, user) -> Api:
        tokens = login(self.client, user.username)
        self.refresh_token = tokens["refresh_token"]
        return Api(self.client, tokens["access_token"])

    def org_admin(self, where: str) -> Api:
        """The admin of the organisation ``where`` lies in, on a client of their own, so
        their reads do not mix with the caller's."""
        admin = self.world.admin_b if where == "other_org" else self.world.admin
        if admin.username not in self._admins:
            client = self.app.test_client()
            token = login(client, admin.username)["access_token"]
            self._admins[admin.username] = Api(client, token)
        return self._admins[admin.username]

    # ``where`` is "own", "other_dept", "other_org", or "nowhere": an id nobody has.

    def participant_id(self, where: str) -> str:
        if where == NOWHERE:
            return str(uuid.uuid4())
        return str(self.world.participant(where).id)

    def department_id(self, where: str) -> str:
        if where == NOWHERE:
            return str(uuid.uuid4())
        return str(self.world.department(where).id)

    def user_id(self, where: str) -> str:
        """A staff member in A1, one in A2 and one in organisation B."""
        users = {
            "own": self.world.facilitator,
            "other_dept": self.world.facilitator_a2,
            "other_org": self.world.admin_b,
        }
        return str(uuid.uuid4()) if where == NOWHERE else str(users[where].id)

    def fresh_participant_id(self, where: str) -> str:
        if where == NOWHERE:
            return str(uuid.uuid4())
        return str(ParticipantFactory(department=self.world.department(where)).id)

    def goal_id(self, where: str) -> str:
        if where == NOWHERE:
            return str(uuid.uuid4())
        participant = self.world.participant(where)
        return str(db.session.scalar(select(Goal.id).where(Goal.participant_id == participant.id)))

    def next_day(self) -> str:
        """A past day not used before in this test (for attendance and leave)."""
        self._days += 1
        return (date(2026, 1, 5) + timedelta(days=self._days)).isoformat()

    def attendance_id(self, where: str) -> str:
        """A new attendance record of the participant in ``where``."""
        if where == NOWHERE:
            return str(uuid.uuid4())
        record_id = str(uuid.uuid4())
        body = {"participant_id": self.participant_id(where), "date": self.next_day()}
        response = self.org_admin(where).put(
            f"/attendance/{record_id}", json={**body, "status": "present"}
        )
        assert response.status_code == 201, response.get_json()
        return record_id

    def leave_id(self, where: str) -> str:
        """A new planned leave of the participant in ``where``."""
        if where == NOWHERE:
            return str(uuid.uuid4())
        day = self.next_day()
        response = self.org_admin(where).post(
            f"/participants/{self.participant_id(where)}/leaves",
            json={"first_day": day, "last_day": day},
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def wakeup_call_id(self, where: str) -> str:
        """A new wake-up call (on a past day) of the participant in ``where``."""
        if where == NOWHERE:
            return str(uuid.uuid4())
        participant = self.world.participant(where)
        day = date.fromisoformat(self.next_day())
        due = datetime.combine(day, time(7), UTC)
        call = WakeupCall(
            organisation_id=participant.organisation_id,
            participant_id=participant.id,
            department_id=participant.department_id,
            date=day,
            due_at=due,
            next_due_at=due,
        )
        db.session.add(call)
        db.session.commit()
        return str(call.id)

    def wakeup_schedule_of(self, where: str) -> str:
        """The participant in ``where``, with a wake-up schedule."""
        participant_id = self.fresh_participant_id(where)
        if where != NOWHERE:
            db.session.add(
                WakeupSchedule(
                    participant_id=uuid.UUID(participant_id),
                    weekdays=[1, 2, 3],
                    time=time(7, 30),
                    updated_by_id=self.world.admin.id,
                )
            )
            db.session.commit()
        return participant_id

    def etag(self, where: str) -> str:
        """The participant's ETag, as their organisation's admin reads it."""
        if where == NOWHERE:
            return '"0"'
        response = self.org_admin(where).get(f"/participants/{self.participant_id(where)}")
        assert response.status_code == 200, response.get_json()
        return response.headers["ETag"]

    def followup_id(self, where: str) -> str:
        """A new follow-up (on a past day) of the participant in ``where``, logged by a staff
        member of their department (the admins are members of none)."""
        if where == NOWHERE:
            return str(uuid.uuid4())
        participant = self.world.participant(where)
        author_id = uuid.UUID(self.user_id(where))
        day = date.fromisoformat(self.next_day())
        followup = FollowUp(
            id=uuid.uuid4(),
            participant_id=participant.id,
            kind=FollowUpKind.CONVERSATION,
            occurred_at=datetime.combine(day, time(10), UTC),
            duration_minutes=30,
            note="Snakket om oppmøte.",
            author_id=author_id,
            updated_by_id=author_id,
        )
        db.session.add(followup)
        db.session.commit()
        return str(followup.id)

    def meeting_id(self, where: str) -> str:
        """A new planned meeting of the participant in ``where``."""
        if where == NOWHERE:
            return str(uuid.uuid4())
        response = self.org_admin(where).post(
            participant_path(self, where, "/meetings"), json=NEW_MEETING
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def group_member_id(self, where: str) -> str:
        """A member of the responsibility group of the participant in ``where``."""
        if where == NOWHERE:
            return str(uuid.uuid4())
        self.meeting_id(where)
        response = self.org_admin(where).get(participant_path(self, where, "/group-members"))
        assert response.status_code == 200, response.get_json()
        return response.get_json()[0]["id"]

    def meeting_etag(self, where: str, meeting_id: str) -> str:
        """The meeting's ETag, as its organisation's admin reads it."""
        if where == NOWHERE:
            return '"0"'
        response = self.org_admin(where).get(f"/meetings/{meeting_id}")
        assert response.status_code == 200, response.get_json()
        return response.headers["ETag"]

    def action_path(self, where: str) -> str:
        """A new action item, on a new meeting of the participant in ``where``."""
        meeting_id = self.meeting_id(where)
        if where == NOWHERE:
            return f"/meetings/{meeting_id}/actions/{uuid.uuid4()}"
        response = self.org_admin(where).post(f"/meetings/{meeting_id}/actions", json=NEW_ACTION)
        assert response.status_code == 201, response.get_json()
        return f"/meetings/{meeting_id}/actions/{response.get_json()['id']}"


def participant_path(scene: Scene, where: str, suffix: str = "") -> str:
    return f"/participants/{scene.participant_id(where)}{suffix}"


# --------------------------------------------------------------------------------------
# Bodies and requests more than one group sends.

PERIOD = "from=2026-01-01&to=2026-06-30"
NEW_MEETING = {
    "scheduled_at": "2026-02-10T10:00:00+01:00",
    "location": "NAV Songdalen",
    "agenda": "Status og veien videre",
    "members": [{"name": "Kari Veileder", "organisation": "NAV Songdalen", "role": "Veileder"}],
}
NEW_ACTION = {
    "description": "Søke om arbeidstrening",
    "responsible": "Kari Veileder",
    "due_date": "2026-03-01",
}


def new_attendance(participant_id: str, day: str) -> dict:
    return {"participant_id": participant_id, "date": day, "status": "present"}


def attendance_of(scene: Scene, where: str) -> Call:
    """The attendance of the participant in ``where`` over the period."""
    return Call("GET", f"/attendance?participant_id={scene.participant_id(where)}&{PERIOD}")


# --------------------------------------------------------------------------------------
# The matrix.


def rows_of(matrix: list[tuple], endpoint: str) -> list[tuple[str, list[int]]]:
    """The endpoint's rows of a matrix: (where, [status as admin, leader, facilitator])."""
    return [(where, statuses) for e, where, *statuses in matrix if e == endpoint]


def check_rows(scene: Scene, subtests, call: Callable[[Scene, str], Call], rows) -> None:
    """An endpoint's rows of the matrix, each cell a subtest, on one world: no request
    changes what a later one may do (objects that change for good, such as an ended
    participant, are made afresh for each call). A 404, or the 422 for an unseen
    department, must read exactly like the answer about an id nobody has."""
    for where, statuses in rows:
        for role, expected in zip(ROLES, statuses, strict=True):
            place = "" if where == ANY else f"{where} "
            with subtests.test(f"{place}as {role} -> {expected}"):
                check_cell(scene, call, where, role, expected)


def send(api: Api, call: Call):
    return api.request(call.method, call.path, json=call.json, headers=call.headers)


def check_cell(scene: Scene, call, where: str, role: str, expected: int) -> None:
    api = scene.as_role(role)

    response = send(api, call(scene, where))

    assert response.status_code == expected, response.get_json()
    if expected < 400:
        return
    body = response.get_json()
    assert body["code"] == expected
    assert body["message"]
    if expected == 422:
        assert "department_id" in body["errors"]["json"]
    if expected in (404, 422):
        # Hidden is indistinguishable from missing: same status, same body.
        missing = send(api, call(scene, NOWHERE))
        assert (missing.status_code, missing.get_json()) == (expected, body)


# --------------------------------------------------------------------------------------
# Answers without a token, and lists.


def assert_unauthorised(response) -> None:
    assert response.status_code == 401, response.get_json()
    body = response.get_json()
    assert set(body) == {"code", "status", "message"}
    assert body["code"] == 401
    assert body["status"] == "Unauthorized"
    assert isinstance(body["message"], str) and body["message"]
    assert response.headers["WWW-Authenticate"] == "Bearer"


def listed(response, key: str) -> set:
    """The ``key`` of every item, after checking the page's total tells no more."""
    assert response.status_code == 200, response.get_json()
    items = response.get_json()
    assert jsonlib.loads(response.headers["X-Pagination"])["total"] == len(items)
    return {item[key] for item in items}


ORG_A_STAFF = {"admin-a", "leader-a1", "facilitator-a1", "facilitator-a2"}


# --------------------------------------------------------------------------------------
# Mass assignment: what a body may not set is refused, and nothing is stored.

# Placeholders resolved against the world: values that would do harm if stored.
ORG_B = "<org_b>"
DEPT_A2 = "<dept_a2>"
DEPT_B1 = "<dept_b1>"
PARTICIPANT_B1 = "<participant_b1>"
ADMIN_B = "<admin_b>"
NEW_ID = "<new_id>"


def resolve(scene: Scene, value):
    world = scene.world
    placeholders = {
        ORG_B: lambda: str(world.org_b.id),
        DEPT_A2: lambda: scene.department_id("other_dept"),
        DEPT_B1: lambda: scene.department_id("other_org"),
        PARTICIPANT_B1: lambda: scene.participant_id("other_org"),
        ADMIN_B: lambda: str(world.admin_b.id),
        NEW_ID: lambda: str(uuid.uuid4()),
    }
    if isinstance(value, str) and value in placeholders:
        return placeholders[value]()
    return value


def read_back(scene: Scene, api: Api, path: Callable[[Scene, Call], str] | None, call: Call):
    """What the write would have changed, as the caller reads it."""
    if path is None:
        return None
    response = api.get(path(scene, call))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def check_mass_assignment(scene: Scene, subtests, call, read_back_path, role, fields) -> None:
    """Each field in turn, on one world: each is refused with 422 on that field, stores
    nothing, and the object reads back unchanged."""
    api = scene.as_role(role)
    request = call(scene, "own")

    for field, value in fields.items():
        with subtests.test(f"with {field}"):
            assert field not in request.json
            before = read_back(scene, api, read_back_path, request)
            counts = table_counts()

            response = api.request(
                request.method,
                request.path,
                json={**request.json, field: resolve(scene, value)},
                headers=request.headers,
            )

            assert response.status_code == 422, response.get_json()
            assert field in response.get_json()["errors"]["json"], response.get_json()
            assert table_counts() == counts
            assert read_back(scene, api, read_back_path, request) == before
