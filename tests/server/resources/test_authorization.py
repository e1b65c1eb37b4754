"""Authorisation: who may do what, to which object.

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
"""

import json as jsonlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import jwt as pyjwt
import pytest
from sqlalchemy import select

from server.database import db
from server.models import FollowUp, Goal, WakeupCall, WakeupSchedule
from shared.vocab import FollowUpKind
from tests.conftest import Api, login, table_counts
from tests.factories import PASSWORD, ParticipantFactory, UserFactory

ROLES = ("admin", "leader", "facilitator")
PLACES = ("own", "other_dept", "other_org")
NOWHERE = "nowhere"


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


@pytest.fixture
def scene(app, client, world) -> Scene:
    return Scene(app, client, world)


# --------------------------------------------------------------------------------------
# Every protected endpoint, as a valid request about the object in ``where`` (for the
# endpoints that name no object, ``where`` is ignored; for POST /participants it is the
# department the new participant is registered in).


def participant_path(scene: Scene, where: str, suffix: str = "") -> str:
    return f"/participants/{scene.participant_id(where)}{suffix}"


NEW_USER = {
    "username": "kari.nordmann",
    "full_name": "Kari Nordmann",
    "role": "facilitator",
    "password": PASSWORD,
}
NEW_PLAN = {
    "valid_from": "2026-02-02",
    "goals": [{"title": "Møte presis tre dager i uka"}],
    "work_areas": ["vedproduksjon"],
    "schedule": [{"weekday": 1, "start": "09:00", "end": "14:00"}],
}


def new_participant(department_id: str) -> dict:
    return {
        "first_name": "Ola",
        "last_name": "Nordmann",
        "department_id": department_id,
        "gender": "male",
        "start_date": "2026-03-02",
        "consent_nav_reporting": True,
    }


PERIOD = "from=2026-01-01&to=2026-06-30"


def new_leave(day: str) -> dict:
    return {"first_day": day, "last_day": day, "note": "Ferie"}


def new_attendance(participant_id: str, day: str) -> dict:
    return {"participant_id": participant_id, "date": day, "status": "present"}


def sync_operation(participant_id: str, day: str) -> dict:
    return {
        "op_id": "op-1",
        "method": "PUT",
        "path": f"/attendance/{uuid.uuid4()}",
        "body": new_attendance(participant_id, day),
    }


def new_followup(participant_id: str, day: str) -> dict:
    return {
        "participant_id": participant_id,
        "kind": "conversation",
        "occurred_at": f"{day}T10:00:00+01:00",
        "duration_minutes": 30,
        "note": "Snakket om søvn og oppmøte.",
    }


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


def meeting_patch(s: Scene, w: str) -> Call:
    """A change to a new meeting, with its ETag (not the minutes: only the department's
    staff write those, and the admin is a member of no department)."""
    meeting_id = s.meeting_id(w)
    return Call(
        "PATCH",
        f"/meetings/{meeting_id}",
        {"location": "Songdalen kommune, møterom 2"},
        {"If-Match": s.meeting_etag(w, meeting_id)},
    )


ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /departments": lambda s, w: Call("GET", "/departments"),
    "POST /departments": lambda s, w: Call("POST", "/departments", {"name": "Lillesand"}),
    "GET /departments/{id}": lambda s, w: Call("GET", f"/departments/{s.department_id(w)}"),
    "PATCH /departments/{id}": lambda s, w: Call(
        "PATCH", f"/departments/{s.department_id(w)}", {"timezone": "Europe/Oslo"}
    ),
    "GET /users": lambda s, w: Call("GET", "/users"),
    "POST /users": lambda s, w: Call(
        "POST", "/users", {**NEW_USER, "department_ids": [s.department_id("own")]}
    ),
    "GET /users/{id}": lambda s, w: Call("GET", f"/users/{s.user_id(w)}"),
    "PATCH /users/{id}": lambda s, w: Call(
        "PATCH", f"/users/{s.user_id(w)}", {"full_name": "Nytt Navn"}
    ),
    "GET /participants": lambda s, w: Call("GET", "/participants"),
    "POST /participants": lambda s, w: Call(
        "POST", "/participants", new_participant(s.department_id(w))
    ),
    "GET /participants/{id}": lambda s, w: Call("GET", participant_path(s, w)),
    "PATCH /participants/{id}": lambda s, w: Call(
        "PATCH",
        participant_path(s, w),
        {"nav_office": "NAV Vennesla"},
        {"If-Match": s.etag(w)},
    ),
    # Ending happens once: each call ends a participant of its own in that department.
    "POST /participants/{id}/end": lambda s, w: Call(
        "POST",
        f"/participants/{s.fresh_participant_id(w)}/end",
        {"end_date": "2026-06-30", "outcome": "ordinary_work"},
    ),
    "GET /participants/{id}/export": lambda s, w: Call(
        "GET", participant_path(s, w, "/export?reason=Innsyn")
    ),
    "GET /participants/{id}/access-log": lambda s, w: Call(
        "GET", participant_path(s, w, "/access-log")
    ),
    "GET /participants/{id}/plan": lambda s, w: Call("GET", participant_path(s, w, "/plan")),
    "PUT /participants/{id}/plan": lambda s, w: Call(
        "PUT", participant_path(s, w, "/plan"), NEW_PLAN
    ),
    "GET /participants/{id}/plan/versions": lambda s, w: Call(
        "GET", participant_path(s, w, "/plan/versions")
    ),
    "PATCH /participants/{id}/plan/goals/{goal_id}": lambda s, w: Call(
        "PATCH",
        participant_path(s, w, f"/plan/goals/{s.goal_id(w)}"),
        {"status": "in_progress", "progress_note": "Godt i gang."},
    ),
    "GET /participants/{id}/attendance-summary": lambda s, w: Call(
        "GET", participant_path(s, w, f"/attendance-summary?{PERIOD}")
    ),
    "GET /participants/{id}/leaves": lambda s, w: Call("GET", participant_path(s, w, "/leaves")),
    "POST /participants/{id}/leaves": lambda s, w: Call(
        "POST", participant_path(s, w, "/leaves"), new_leave(s.next_day())
    ),
    "DELETE /participants/{id}/leaves/{leave_id}": lambda s, w: Call(
        "DELETE", participant_path(s, w, f"/leaves/{s.leave_id(w)}")
    ),
    "GET /attendance": lambda s, w: Call(
        "GET", f"/attendance?participant_id={s.participant_id(w)}&{PERIOD}"
    ),
    "PUT /attendance/{id}": lambda s, w: Call(
        "PUT", f"/attendance/{uuid.uuid4()}", new_attendance(s.participant_id(w), s.next_day())
    ),
    "GET /attendance/{id}": lambda s, w: Call("GET", f"/attendance/{s.attendance_id(w)}"),
    "GET /attendance/rates": lambda s, w: Call(
        "GET", f"/attendance/rates?department_id={s.department_id(w)}&{PERIOD}"
    ),
    "GET /today": lambda s, w: Call("GET", f"/today?department_id={s.department_id(w)}"),
    "GET /participants/{id}/wakeup-schedule": lambda s, w: Call(
        "GET", f"/participants/{s.wakeup_schedule_of(w)}/wakeup-schedule"
    ),
    "PUT /participants/{id}/wakeup-schedule": lambda s, w: Call(
        "PUT",
        f"/participants/{s.fresh_participant_id(w)}/wakeup-schedule",
        {"weekdays": [1, 2, 3, 4, 5], "time": "07:30"},
    ),
    "GET /wakeups": lambda s, w: Call("GET", f"/wakeups?department_id={s.department_id(w)}"),
    "PUT /wakeups/{id}/attempts/{attempt_id}": lambda s, w: Call(
        "PUT",
        f"/wakeups/{s.wakeup_call_id(w)}/attempts/{uuid.uuid4()}",
        {"outcome": "no_answer", "at": "2026-01-05T06:30:00+00:00"},
    ),
    "GET /notifications": lambda s, w: Call("GET", "/notifications"),
    # A new follow-up by a new id, of the participant in ``where`` on a day not used before.
    "PUT /followups/{id}": lambda s, w: Call(
        "PUT", f"/followups/{uuid.uuid4()}", new_followup(s.participant_id(w), s.next_day())
    ),
    "GET /followups": lambda s, w: Call("GET", f"/followups?participant_id={s.participant_id(w)}"),
    "GET /followups/{id}": lambda s, w: Call("GET", f"/followups/{s.followup_id(w)}"),
    "GET /followups/counts": lambda s, w: Call(
        "GET", f"/followups/counts?department_id={s.department_id(w)}&{PERIOD}"
    ),
    "GET /participants/{id}/meetings": lambda s, w: Call(
        "GET", participant_path(s, w, "/meetings")
    ),
    "POST /participants/{id}/meetings": lambda s, w: Call(
        "POST", participant_path(s, w, "/meetings"), NEW_MEETING
    ),
    "GET /participants/{id}/group-members": lambda s, w: Call(
        "GET", participant_path(s, w, "/group-members")
    ),
    "GET /meetings/{id}": lambda s, w: Call("GET", f"/meetings/{s.meeting_id(w)}"),
    "PATCH /meetings/{id}": meeting_patch,
    "GET /meetings/{id}/summary.pdf": lambda s, w: Call(
        "GET", f"/meetings/{s.meeting_id(w)}/summary.pdf"
    ),
    "POST /meetings/{id}/actions": lambda s, w: Call(
        "POST", f"/meetings/{s.meeting_id(w)}/actions", NEW_ACTION
    ),
    "PATCH /meetings/{id}/actions/{action_id}": lambda s, w: Call(
        "PATCH", s.action_path(w), {"done": True}
    ),
    "GET /worklists/upcoming-meetings": lambda s, w: Call("GET", "/worklists/upcoming-meetings"),
    "GET /worklists/overdue-actions": lambda s, w: Call("GET", "/worklists/overdue-actions"),
    "GET /worklists/no-recent-followup": lambda s, w: Call("GET", "/worklists/no-recent-followup"),
    # One queued attendance write for the caller's own participant.
    "POST /sync": lambda s, w: Call(
        "POST", "/sync", {"operations": [sync_operation(s.participant_id("own"), s.next_day())]}
    ),
    "GET /audit": lambda s, w: Call("GET", "/audit"),
    "GET /security-events": lambda s, w: Call("GET", "/security-events"),
    "GET /me": lambda s, w: Call("GET", "/me"),
    "POST /auth/logout": lambda s, w: Call(
        "POST", "/auth/logout", {"refresh_token": s.refresh_token}
    ),
    "POST /auth/refresh": lambda s, w: Call(
        "POST", "/auth/refresh", headers={"Authorization": f"Bearer {s.refresh_token}"}
    ),
}

# Answer without a token.
PUBLIC = {
    "GET /health",
    "GET /api/openapi.json",
    "GET /docs",
    "GET /docs/assets/{id}",
    "GET /static/{id}",
    "GET /favicon.ico",
    "POST /auth/login",
}


# --------------------------------------------------------------------------------------
# 1. The matrix: endpoint x where the object lives x role -> status.
#
# 404: the caller may not see the object; 403: they see it but their role may not do this;
# 422: the department named in the body is one they cannot see. ``where`` is where the
# object named in the path (or query, or body) lives.

ANY = "-"  # the endpoint names no object: the role alone decides

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /departments",                              ANY,          200,  200,    200),
    ("POST /departments",                             ANY,          201,  403,    403),
    ("GET /departments/{id}",                         "own",        200,  200,    200),
    ("GET /departments/{id}",                         "other_dept", 200,  404,    404),
    ("GET /departments/{id}",                         "other_org",  404,  404,    404),
    ("PATCH /departments/{id}",                       "own",        200,  403,    403),
    ("PATCH /departments/{id}",                       "other_dept", 200,  404,    404),
    ("PATCH /departments/{id}",                       "other_org",  404,  404,    404),

    ("GET /users",                                    ANY,          200,  403,    403),
    ("POST /users",                                   ANY,          201,  403,    403),
    # where = a colleague in A1, a staff member of A2, the admin of organisation B
    ("GET /users/{id}",                               "own",        200,  403,    403),
    ("GET /users/{id}",                               "other_dept", 200,  403,    403),
    ("GET /users/{id}",                               "other_org",  404,  403,    403),
    ("PATCH /users/{id}",                             "own",        200,  403,    403),
    ("PATCH /users/{id}",                             "other_dept", 200,  403,    403),
    ("PATCH /users/{id}",                             "other_org",  404,  403,    403),

    ("GET /participants",                             ANY,          200,  200,    200),
    # where = the department in the body; one the caller cannot see is an unknown one
    ("POST /participants",                            "own",        201,  201,    201),
    ("POST /participants",                            "other_dept", 201,  422,    422),
    ("POST /participants",                            "other_org",  422,  422,    422),
    ("GET /participants/{id}",                        "own",        200,  200,    200),
    ("GET /participants/{id}",                        "other_dept", 200,  404,    404),
    ("GET /participants/{id}",                        "other_org",  404,  404,    404),
    ("PATCH /participants/{id}",                      "own",        200,  200,    200),
    ("PATCH /participants/{id}",                      "other_dept", 200,  404,    404),
    ("PATCH /participants/{id}",                      "other_org",  404,  404,    404),
    ("POST /participants/{id}/end",                   "own",        200,  200,    200),
    ("POST /participants/{id}/end",                   "other_dept", 200,  404,    404),
    ("POST /participants/{id}/end",                   "other_org",  404,  404,    404),
    ("GET /participants/{id}/export",                 "own",        200,  200,    403),
    ("GET /participants/{id}/export",                 "other_dept", 200,  404,    404),
    ("GET /participants/{id}/export",                 "other_org",  404,  404,    404),
    ("GET /participants/{id}/access-log",             "own",        200,  200,    403),
    ("GET /participants/{id}/access-log",             "other_dept", 200,  404,    404),
    ("GET /participants/{id}/access-log",             "other_org",  404,  404,    404),

    ("GET /participants/{id}/plan",                   "own",        200,  200,    200),
    ("GET /participants/{id}/plan",                   "other_dept", 200,  404,    404),
    ("GET /participants/{id}/plan",                   "other_org",  404,  404,    404),
    ("PUT /participants/{id}/plan",                   "own",        201,  201,    403),
    ("PUT /participants/{id}/plan",                   "other_dept", 201,  404,    404),
    ("PUT /participants/{id}/plan",                   "other_org",  404,  404,    404),
    ("GET /participants/{id}/plan/versions",          "own",        200,  200,    200),
    ("GET /participants/{id}/plan/versions",          "other_dept", 200,  404,    404),
    ("GET /participants/{id}/plan/versions",          "other_org",  404,  404,    404),
    ("PATCH /participants/{id}/plan/goals/{goal_id}", "own",        200,  200,    200),
    ("PATCH /participants/{id}/plan/goals/{goal_id}", "other_dept", 200,  404,    404),
    ("PATCH /participants/{id}/plan/goals/{goal_id}", "other_org",  404,  404,    404),

    ("GET /participants/{id}/attendance-summary",     "own",        200,  200,    200),
    ("GET /participants/{id}/attendance-summary",     "other_dept", 200,  404,    404),
    ("GET /participants/{id}/attendance-summary",     "other_org",  404,  404,    404),
    ("GET /participants/{id}/leaves",                 "own",        200,  200,    200),
    ("GET /participants/{id}/leaves",                 "other_dept", 200,  404,    404),
    ("GET /participants/{id}/leaves",                 "other_org",  404,  404,    404),
    ("POST /participants/{id}/leaves",                "own",        201,  201,    201),
    ("POST /participants/{id}/leaves",                "other_dept", 201,  404,    404),
    ("POST /participants/{id}/leaves",                "other_org",  404,  404,    404),
    ("DELETE /participants/{id}/leaves/{leave_id}",   "own",        204,  204,    204),
    ("DELETE /participants/{id}/leaves/{leave_id}",   "other_dept", 204,  404,    404),
    ("DELETE /participants/{id}/leaves/{leave_id}",   "other_org",  404,  404,    404),

    # GET /attendance filters by participant_id; /attendance/rates and /today name the
    # department in ``where``
    ("GET /attendance",                               "own",        200,  200,    200),
    ("GET /attendance",                               "other_dept", 200,  404,    404),
    ("GET /attendance",                               "other_org",  404,  404,    404),
    ("PUT /attendance/{id}",                          "own",        201,  201,    201),
    ("PUT /attendance/{id}",                          "other_dept", 201,  404,    404),
    ("PUT /attendance/{id}",                          "other_org",  404,  404,    404),
    ("GET /attendance/{id}",                          "own",        200,  200,    200),
    ("GET /attendance/{id}",                          "other_dept", 200,  404,    404),
    ("GET /attendance/{id}",                          "other_org",  404,  404,    404),
    ("GET /attendance/rates",                         "own",        200,  200,    200),
    ("GET /attendance/rates",                         "other_dept", 200,  404,    404),
    ("GET /attendance/rates",                         "other_org",  404,  404,    404),
    ("GET /today",                                    "own",        200,  200,    200),
    ("GET /today",                                    "other_dept", 200,  404,    404),
    ("GET /today",                                    "other_org",  404,  404,    404),
    ("POST /sync",                                    ANY,          200,  200,    200),
    ("GET /participants/{id}/wakeup-schedule",        "own",        200,  200,    200),
    ("GET /participants/{id}/wakeup-schedule",        "other_dept", 200,  404,    404),
    ("GET /participants/{id}/wakeup-schedule",        "other_org",  404,  404,    404),
    ("PUT /participants/{id}/wakeup-schedule",        "own",        201,  201,    201),
    ("PUT /participants/{id}/wakeup-schedule",        "other_dept", 201,  404,    404),
    ("PUT /participants/{id}/wakeup-schedule",        "other_org",  404,  404,    404),
    ("GET /wakeups",                                  "own",        200,  200,    200),
    ("GET /wakeups",                                  "other_dept", 200,  404,    404),
    ("GET /wakeups",                                  "other_org",  404,  404,    404),
    ("PUT /wakeups/{id}/attempts/{attempt_id}",       "own",        201,  201,    201),
    ("PUT /wakeups/{id}/attempts/{attempt_id}",       "other_dept", 201,  404,    404),
    ("PUT /wakeups/{id}/attempts/{attempt_id}",       "other_org",  404,  404,    404),
    ("GET /notifications",                            ANY,          200,  200,    200),

    # Only the staff of the participant's department log follow-ups: the admin, a member of
    # no department, sees the participant but may not.
    ("PUT /followups/{id}",                           "own",        403,  201,    201),
    ("PUT /followups/{id}",                           "other_dept", 403,  404,    404),
    ("PUT /followups/{id}",                           "other_org",  404,  404,    404),
    # GET /followups filters by participant_id; /followups/counts names the department
    ("GET /followups",                                "own",        200,  200,    200),
    ("GET /followups",                                "other_dept", 200,  404,    404),
    ("GET /followups",                                "other_org",  404,  404,    404),
    ("GET /followups/{id}",                           "own",        200,  200,    200),
    ("GET /followups/{id}",                           "other_dept", 200,  404,    404),
    ("GET /followups/{id}",                           "other_org",  404,  404,    404),
    ("GET /followups/counts",                         "own",        200,  200,    200),
    ("GET /followups/counts",                         "other_dept", 200,  404,    404),
    ("GET /followups/counts",                         "other_org",  404,  404,    404),

    ("GET /participants/{id}/meetings",               "own",        200,  200,    200),
    ("GET /participants/{id}/meetings",               "other_dept", 200,  404,    404),
    ("GET /participants/{id}/meetings",               "other_org",  404,  404,    404),
    ("POST /participants/{id}/meetings",              "own",        201,  201,    403),
    ("POST /participants/{id}/meetings",              "other_dept", 201,  404,    404),
    ("POST /participants/{id}/meetings",              "other_org",  404,  404,    404),
    ("GET /participants/{id}/group-members",          "own",        200,  200,    200),
    ("GET /participants/{id}/group-members",          "other_dept", 200,  404,    404),
    ("GET /participants/{id}/group-members",          "other_org",  404,  404,    404),
    ("GET /meetings/{id}",                            "own",        200,  200,    200),
    ("GET /meetings/{id}",                            "other_dept", 200,  404,    404),
    ("GET /meetings/{id}",                            "other_org",  404,  404,    404),
    ("PATCH /meetings/{id}",                          "own",        200,  200,    403),
    ("PATCH /meetings/{id}",                          "other_dept", 200,  404,    404),
    ("PATCH /meetings/{id}",                          "other_org",  404,  404,    404),
    ("GET /meetings/{id}/summary.pdf",                "own",        200,  200,    200),
    ("GET /meetings/{id}/summary.pdf",                "other_dept", 200,  404,    404),
    ("GET /meetings/{id}/summary.pdf",                "other_org",  404,  404,    404),
    ("POST /meetings/{id}/actions",                   "own",        201,  201,    403),
    ("POST /meetings/{id}/actions",                   "other_dept", 201,  404,    404),
    ("POST /meetings/{id}/actions",                   "other_org",  404,  404,    404),
    # Ticking an item off is for all staff; changing it is for leaders
    ("PATCH /meetings/{id}/actions/{action_id}",      "own",        200,  200,    200),
    ("PATCH /meetings/{id}/actions/{action_id}",      "other_dept", 200,  404,    404),
    ("PATCH /meetings/{id}/actions/{action_id}",      "other_org",  404,  404,    404),
    # The work lists take only optional filters, and list the caller's departments
    ("GET /worklists/upcoming-meetings",              ANY,          200,  200,    200),
    ("GET /worklists/overdue-actions",                ANY,          200,  200,    200),
    ("GET /worklists/no-recent-followup",             ANY,          200,  200,    200),

    ("GET /audit",                                    ANY,          200,  403,    403),
    ("GET /security-events",                          ANY,          200,  403,    403),
    ("GET /me",                                       ANY,          200,  200,    200),
    ("POST /auth/logout",                             ANY,          204,  204,    204),
    ("POST /auth/refresh",                            ANY,          200,  200,    200),
]
# fmt: on


MATRIX_BY_ENDPOINT: dict[str, list[tuple[str, list[int]]]] = {}
for _endpoint, _where, *_statuses in MATRIX:
    MATRIX_BY_ENDPOINT.setdefault(_endpoint, []).append((_where, _statuses))


def route_name(rule) -> str:
    """``/api/v1/participants/<uuid:participant_id>/plan/goals/<uuid:goal_id>`` ->
    ``/participants/{id}/plan/goals/{goal_id}``: the resource's own id is ``{id}``."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule, count=1)
    path = re.sub(r"{\w+}", "{id}", path, count=1)
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    return path.removeprefix("/api/v1")


def routes(app) -> set[str]:
    return {
        f"{method} {route_name(rule)}"
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_matrix_covers_every_endpoint(app):
    """A new endpoint must be added to ENDPOINTS and MATRIX (or to PUBLIC)."""
    assert routes(app) - PUBLIC == set(ENDPOINTS)
    assert {endpoint for endpoint, *_ in MATRIX} == set(ENDPOINTS)
    rows = [(endpoint, where) for endpoint, where, *_ in MATRIX]
    assert len(rows) == len(set(rows)), "a row is listed twice"
    for endpoint in ENDPOINTS:
        places = sorted(where for e, where, *_ in MATRIX if e == endpoint)
        assert places in ([ANY], sorted(PLACES)), endpoint


@pytest.mark.parametrize("endpoint", list(MATRIX_BY_ENDPOINT))
def test_authorisation_matrix(scene, subtests, endpoint):
    """The endpoint's rows of the matrix, each cell a subtest, on one world: no request
    changes what a later one may do (objects that change for good, such as an ended
    participant, are made afresh for each call). A 404, or the 422 for an unseen
    department, must read exactly like the answer about an id nobody has."""
    for where, statuses in MATRIX_BY_ENDPOINT[endpoint]:
        for role, expected in zip(ROLES, statuses, strict=True):
            place = "" if where == ANY else f"{where} "
            with subtests.test(f"{place}as {role} -> {expected}"):
                check_cell(scene, endpoint, where, role, expected)


def send(api: Api, call: Call):
    return api.request(call.method, call.path, json=call.json, headers=call.headers)


def check_cell(scene: Scene, endpoint: str, where: str, role: str, expected: int) -> None:
    api = scene.as_role(role)

    response = send(api, ENDPOINTS[endpoint](scene, where))

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
        missing = send(api, ENDPOINTS[endpoint](scene, NOWHERE))
        assert (missing.status_code, missing.get_json()) == (expected, body)


# --------------------------------------------------------------------------------------
# 2. No token, no entry.


def assert_unauthorised(response) -> None:
    assert response.status_code == 401, response.get_json()
    body = response.get_json()
    assert set(body) == {"code", "status", "message"}
    assert body["code"] == 401
    assert body["status"] == "Unauthorized"
    assert isinstance(body["message"], str) and body["message"]
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_every_endpoint_needs_a_token(anonymous, subtests):
    """401 comes before everything else: the ids name nothing (no 404) and the body is
    empty (no 422). Nothing is stored."""
    counts = table_counts()
    for endpoint in sorted(ENDPOINTS):
        with subtests.test(endpoint):
            method, template = endpoint.split(" ")
            path = re.sub(r"{\w+}", lambda _: str(uuid.uuid4()), template)
            body = {} if method in ("POST", "PUT", "PATCH") else None

            assert_unauthorised(anonymous.request(method, path, json=body))
    assert table_counts() == counts


def test_a_token_the_server_did_not_sign_is_no_token(client, world, subtests):
    """A real token's claims, re-signed with another key or with no signature at all."""
    claims = pyjwt.decode(
        login(client, world.admin.username)["access_token"], options={"verify_signature": False}
    )
    tokens = {
        "garbage": "not-a-jwt",
        "wrong key": pyjwt.encode(claims, "another-secret-key-that-is-long-enough", "HS256"),
        "alg none": pyjwt.encode(claims, None, algorithm="none"),
    }
    for name, token in tokens.items():
        with subtests.test(name):
            assert_unauthorised(Api(client, token).get("/participants"))


def test_a_refresh_token_does_not_open_the_api(client, world):
    tokens = login(client, world.admin.username)
    response = Api(client, tokens["refresh_token"]).get("/participants")
    assert_unauthorised(response)
    refresh_with_access = Api(client, tokens["access_token"]).post("/auth/refresh")
    assert_unauthorised(refresh_with_access)


def test_public_endpoints_need_no_token(anonymous, world):
    assert anonymous.get("/health").status_code == 200
    assert anonymous.get("/api/openapi.json").status_code == 200
    assert anonymous.client.get("/docs").status_code == 200
    login = anonymous.post(
        "/auth/login", json={"username": world.admin.username, "password": PASSWORD}
    )
    assert login.status_code == 200


# --------------------------------------------------------------------------------------
# 3. Lists never leak.


def who(world, name: str):
    return world.admin_b if name == "admin_b" else world.user(name)


def listed(response, key: str) -> set:
    """The ``key`` of every item, after checking the page's total tells no more."""
    assert response.status_code == 200, response.get_json()
    items = response.get_json()
    assert jsonlib.loads(response.headers["X-Pagination"])["total"] == len(items)
    return {item[key] for item in items}


# fmt: off
VISIBLE = {
    # caller        participants listed          departments listed
    "admin":       ({"PersonA1", "PersonA2"},    {"Songdalen", "Arendal"}),
    "leader":      ({"PersonA1"},                {"Songdalen"}),
    "facilitator": ({"PersonA1"},                {"Songdalen"}),
    "admin_b":     ({"PersonB1"},                {"Bergen"}),
}
# fmt: on


def test_lists_show_only_the_callers_participants_and_departments(scene, subtests):
    for caller, (participants, departments) in VISIBLE.items():
        with subtests.test(f"as {caller}"):
            api = scene.as_user(who(scene.world, caller))
            assert listed(api.get("/participants"), "first_name") == participants
            assert listed(api.get("/departments"), "name") == departments
            # A name search sees no further than the list: every participant is a "Person".
            assert listed(api.get("/participants?q=person"), "first_name") == participants
            assert listed(api.get("/participants?q=PersonB"), "first_name") <= {"PersonB1"}
            assert listed(api.get("/participants?q=PersonA2"), "first_name") <= participants


# fmt: off
FILTERED_PARTICIPANTS = [
    # caller         department_id= the department ...   visible (None: 404)
    ("admin",        "own",                               {"PersonA1"}),
    ("admin",        "other_dept",                        {"PersonA2"}),
    ("admin",        "other_org",                         None),
    ("leader",       "other_dept",                        None),
    ("leader",       "other_org",                         None),
    ("facilitator",  "own",                               {"PersonA1"}),
    ("facilitator",  "other_dept",                        None),
    ("facilitator",  "other_org",                         None),
]
# fmt: on


def test_department_filter_does_not_reach_past_scope(scene, subtests):
    """A filter on a department the caller cannot see is 404, as the department is
    everywhere else it is named, and never the department's participants or notices."""
    for caller, where, visible in FILTERED_PARTICIPANTS:
        for path in ("/participants", "/notifications"):
            with subtests.test(f"{path} as {caller}, department_id={where}"):
                api = scene.as_role(caller)
                response = api.get(f"{path}?department_id={scene.department_id(where)}")
                if visible is None:
                    assert response.status_code == 404, response.json
                    assert response.json["message"] == "Department not found."
                elif path == "/participants":
                    assert listed(response, "first_name") == visible
                else:
                    assert response.status_code == 200, response.json


ORG_A_STAFF = {"admin-a", "leader-a1", "facilitator-a1", "facilitator-a2"}


def test_user_list_shows_only_the_callers_organisation(scene):
    api = scene.as_role("admin")
    assert listed(api.get("/users"), "username") == ORG_A_STAFF
    assert listed(api.get("/users?role=admin"), "username") == {"admin-a"}
    own = api.get(f"/users?department_id={scene.department_id('own')}")
    assert listed(own, "username") == {"leader-a1", "facilitator-a1"}
    other_org = api.get(f"/users?department_id={scene.department_id('other_org')}")
    assert other_org.status_code == 404, other_org.json

    api_b = scene.as_user(scene.world.admin_b)
    assert listed(api_b.get("/users"), "username") == {"admin-b"}


def test_audit_shows_only_the_callers_organisation(scene):
    world = scene.world
    # Activity in both organisations: each admin and the facilitator read a participant.
    for where in ("own", "other_dept", "other_org"):
        assert scene.org_admin(where).get(participant_path(scene, where)).status_code == 200
    facilitator = scene.as_role("facilitator")
    assert facilitator.get(participant_path(scene, "own")).status_code == 200

    api = scene.as_role("admin")
    response = api.get("/audit?page_size=100")
    entries = response.get_json()
    assert response.status_code == 200
    assert entries, "the organisation's own reads are in the log"
    org_a_participants = {scene.participant_id("own"), scene.participant_id("other_dept")}
    assert {entry["participant_id"] for entry in entries} == org_a_participants
    assert {entry["user"]["username"] for entry in entries} <= ORG_A_STAFF
    assert jsonlib.loads(response.headers["X-Pagination"])["total"] == len(entries)

    by_participant = api.get(f"/audit?participant_id={scene.participant_id('other_org')}")
    assert listed(by_participant, "id") == set()
    by_user = api.get(f"/audit?user_id={world.admin_b.id}")
    assert listed(by_user, "id") == set()


def test_access_log_of_a_participant_shows_only_that_participant(scene):
    for where in PLACES:
        assert scene.org_admin(where).get(participant_path(scene, where)).status_code == 200
    leader = scene.as_role("leader")
    response = leader.get(participant_path(scene, "own", "/access-log"))
    entries = response.get_json()
    assert response.status_code == 200
    assert entries
    assert {entry["participant_id"] for entry in entries} == {scene.participant_id("own")}


# --------------------------------------------------------------------------------------
# 4. Mass assignment: what a body may not set is refused, and nothing is stored.

# Placeholders resolved against the world: values that would do harm if stored.
ORG_B = "<org_b>"
DEPT_A2 = "<dept_a2>"
DEPT_B1 = "<dept_b1>"
PARTICIPANT_B1 = "<participant_b1>"
ADMIN_B = "<admin_b>"
NEW_ID = "<new_id>"

WRITES: dict[str, Callable[[Scene, str], Call]] = {
    **ENDPOINTS,
    "POST /auth/login": lambda s, w: Call(
        "POST", "/auth/login", {"username": s.world.admin.username, "password": PASSWORD}
    ),
}

# What to re-read (as the caller) to show that a refused write changed nothing.
READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "POST /departments": lambda s, c: "/departments",
    "PATCH /departments/{id}": lambda s, c: c.path,
    "POST /users": lambda s, c: "/users",
    "PATCH /users/{id}": lambda s, c: c.path,
    "POST /participants": lambda s, c: "/participants",
    "PATCH /participants/{id}": lambda s, c: c.path,
    "POST /participants/{id}/end": lambda s, c: c.path.removesuffix("/end"),
    "PUT /participants/{id}/plan": lambda s, c: f"{c.path}/versions",
    "PATCH /participants/{id}/plan/goals/{goal_id}": lambda s, c: participant_path(
        s, "own", "/plan/versions"
    ),
    "PUT /attendance/{id}": lambda s, c: ENDPOINTS["GET /attendance"](s, "own").path,
    "POST /participants/{id}/leaves": lambda s, c: c.path,
    "POST /sync": lambda s, c: ENDPOINTS["GET /attendance"](s, "own").path,
    "PUT /participants/{id}/wakeup-schedule": lambda s, c: "/participants",
    "PUT /wakeups/{id}/attempts/{attempt_id}": lambda s, c: "/notifications",
    "PUT /followups/{id}": lambda s, c: ENDPOINTS["GET /followups"](s, "own").path,
    "POST /participants/{id}/meetings": lambda s, c: c.path,
    "PATCH /meetings/{id}": lambda s, c: c.path,
    "POST /meetings/{id}/actions": lambda s, c: c.path.removesuffix("/actions"),
    "PATCH /meetings/{id}/actions/{action_id}": lambda s, c: c.path.split("/actions/")[0],
    "POST /auth/logout": lambda s, c: "/me",  # the token still works
    "POST /auth/login": None,
}

# write -> (as whom, {field: a value that would do harm if it were stored})
MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "POST /departments": (
        "admin",
        {"id": NEW_ID, "organisation_id": ORG_B, "is_public": True},
    ),
    "PATCH /departments/{id}": (
        "admin",
        {"id": NEW_ID, "organisation_id": ORG_B, "is_public": True},
    ),
    "POST /users": (
        "admin",
        {"id": NEW_ID, "organisation_id": ORG_B, "department_id": DEPT_B1, "is_superuser": True},
    ),
    "PATCH /users/{id}": (
        "admin",
        {
            "id": NEW_ID,
            "organisation_id": ORG_B,
            "username": "admin-b",
            "department_id": DEPT_A2,
            "is_superuser": True,
        },
    ),
    "POST /participants": (
        "facilitator",
        {
            "id": NEW_ID,
            "organisation_id": ORG_B,
            "status": "ended",
            "role": "admin",
            "version": 99,
            "national_id": "01019012345",
        },
    ),
    "PATCH /participants/{id}": (
        "facilitator",
        {
            "id": NEW_ID,
            "organisation_id": ORG_B,
            "role": "admin",
            "version": 99,
            "outcome": "education",
            "national_id": "01019012345",
        },
    ),
    "POST /participants/{id}/end": (
        "facilitator",
        {"id": NEW_ID, "status": "active", "department_id": DEPT_A2, "comment": "x"},
    ),
    "PUT /participants/{id}/plan": (
        "leader",
        {
            "id": NEW_ID,
            "participant_id": PARTICIPANT_B1,
            "department_id": DEPT_A2,
            "organisation_id": ORG_B,
            "version": 99,
            "created_by_id": ADMIN_B,
            "approved": True,
        },
    ),
    "PATCH /participants/{id}/plan/goals/{goal_id}": (
        "facilitator",
        {"id": NEW_ID, "participant_id": PARTICIPANT_B1, "user_id": ADMIN_B, "title": "Nytt"},
    ),
    "POST /participants/{id}/leaves": (
        "facilitator",
        {"id": NEW_ID, "participant_id": PARTICIPANT_B1, "created_by_id": ADMIN_B, "paid": True},
    ),
    "PUT /attendance/{id}": (
        "facilitator",
        {
            "id": NEW_ID,
            "organisation_id": ORG_B,
            "department_id": DEPT_A2,
            "created_by_id": ADMIN_B,
            "version": 99,
            "approved": True,
        },
    ),
    "POST /sync": ("facilitator", {"user_id": ADMIN_B, "device": "phone-7"}),
    "PUT /participants/{id}/wakeup-schedule": (
        "facilitator",
        {"id": NEW_ID, "participant_id": PARTICIPANT_B1, "updated_by_id": ADMIN_B},
    ),
    "PUT /wakeups/{id}/attempts/{attempt_id}": (
        "facilitator",
        {"id": NEW_ID, "call_id": NEW_ID, "user_id": ADMIN_B, "status": "done"},
    ),
    "PUT /followups/{id}": (
        "facilitator",
        {
            "id": NEW_ID,
            "author_id": ADMIN_B,
            "updated_by_id": ADMIN_B,
            "organisation_id": ORG_B,
            "department_id": DEPT_A2,
            "note_withheld": True,
        },
    ),
    # A client may choose the meeting's and the action item's id: those are allowed.
    "POST /participants/{id}/meetings": (
        "leader",
        {
            "participant_id": PARTICIPANT_B1,
            "organisation_id": ORG_B,
            "status": "held",
            "minutes": "Skrevet før møtet.",
            "created_by_id": ADMIN_B,
            "next_meeting_id": NEW_ID,
            "version": 99,
        },
    ),
    "PATCH /meetings/{id}": (
        "leader",
        {
            "id": NEW_ID,
            "participant_id": PARTICIPANT_B1,
            "next_meeting_id": NEW_ID,
            "created_by_id": ADMIN_B,
            "updated_by_id": ADMIN_B,
            "version": 99,
        },
    ),
    "POST /meetings/{id}/actions": (
        "leader",
        {
            "meeting_id": NEW_ID,
            "done": True,
            "done_by_id": ADMIN_B,
            "created_by_id": ADMIN_B,
        },
    ),
    "PATCH /meetings/{id}/actions/{action_id}": (
        "facilitator",
        {
            "id": NEW_ID,
            "meeting_id": NEW_ID,
            "done_at": "2026-01-05T12:00:00+00:00",
            "done_by_id": ADMIN_B,
            "created_by_id": ADMIN_B,
        },
    ),
    "POST /auth/logout": ("facilitator", {"user_id": ADMIN_B}),
    "POST /auth/login": ("facilitator", {"role": "admin"}),
}


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


def read_back(scene: Scene, api: Api, endpoint: str, call: Call):
    """What the write would have changed, as the caller reads it."""
    path = READ_BACK[endpoint]
    if path is None:
        return None
    response = api.get(path(scene, call))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_mass_assignment_table_covers_every_write():
    writes = {e for e in WRITES if e.split()[0] in {"POST", "PUT", "PATCH"}}
    writes.discard("POST /auth/refresh")  # takes no body
    assert set(MASS_ASSIGNMENT) == writes
    assert set(READ_BACK) == writes


@pytest.mark.parametrize("endpoint", list(MASS_ASSIGNMENT))
def test_mass_assignment_is_refused(scene, subtests, endpoint):
    """Each field of the table in turn, on one world: each is refused with 422 on that
    field, stores nothing, and the object reads back unchanged."""
    role, fields = MASS_ASSIGNMENT[endpoint]
    api = scene.as_role(role)
    call = WRITES[endpoint](scene, "own")

    for field, value in fields.items():
        with subtests.test(f"with {field}"):
            assert field not in call.json
            before = read_back(scene, api, endpoint, call)
            counts = table_counts()

            response = api.request(
                call.method,
                call.path,
                json={**call.json, field: resolve(scene, value)},
                headers=call.headers,
            )

            assert response.status_code == 422, response.get_json()
            assert field in response.get_json()["errors"]["json"], response.get_json()
            assert table_counts() == counts
            assert read_back(scene, api, endpoint, call) == before


@pytest.mark.parametrize(
    ("part", "field", "value"),
    [
        ("goals", "participant_id", PARTICIPANT_B1),
        ("goals", "goal_id", NEW_ID),
        ("schedule", "department_id", DEPT_A2),
    ],
)
def test_mass_assignment_inside_a_plan_is_refused(scene, part, field, value):
    api = scene.as_role("leader")
    path = participant_path(scene, "own", "/plan")
    body = {**NEW_PLAN, part: [{**NEW_PLAN[part][0], field: resolve(scene, value)}]}
    before = api.get(f"{path}/versions").get_json()
    counts = table_counts()

    response = api.put(path, json=body)

    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"][part]["0"]
    assert table_counts() == counts
    assert api.get(f"{path}/versions").get_json() == before


# --------------------------------------------------------------------------------------
# 5. Moving a participant between departments.


def move(scene: Scene, api: Api, department_id: str):
    return api.patch(
        participant_path(scene, "own"),
        json={"department_id": department_id},
        headers={"If-Match": scene.etag("own")},
    )


# fmt: off
REFUSED_MOVES = [  # "nowhere": a department id nobody has
    # caller         moves the A1 participant into
    ("facilitator",  "other_dept"),
    ("facilitator",  "other_org"),
    ("facilitator",  NOWHERE),
    ("leader",       "other_dept"),
    ("leader",       "other_org"),
    ("admin",        "other_org"),
    ("admin",        NOWHERE),
]
# fmt: on


def test_participant_cannot_move_outside_the_callers_departments(scene, subtests):
    """Each refused move: 422 on department_id, worded as for a department nobody has,
    nothing stored, the participant still in A1."""
    path = participant_path(scene, "own")
    for caller, target in REFUSED_MOVES:
        with subtests.test(f"{caller} into {target}"):
            api = scene.as_role(caller)
            before = api.get(path).get_json()
            etag = scene.etag("own")
            counts = table_counts()

            move_to = {"department_id": scene.department_id(target)}

            response = api.patch(path, json=move_to, headers={"If-Match": etag})

            assert response.status_code == 422, response.get_json()
            assert "department_id" in response.get_json()["errors"]["json"]
            assert table_counts() == counts
            after = api.get(path).get_json()
            assert after == before
            assert after["department_id"] == scene.department_id("own")
            nowhere = {"department_id": scene.department_id(NOWHERE)}
            unknown = api.patch(path, json=nowhere, headers={"If-Match": etag})
            assert unknown.get_json() == response.get_json()


def test_admin_moves_a_participant_within_the_organisation(scene):
    admin = scene.as_role("admin")

    response = move(scene, admin, scene.department_id("other_dept"))

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["department_id"] == scene.department_id("other_dept")
    assert admin.get(participant_path(scene, "own")).get_json()["department_id"] == (
        scene.department_id("other_dept")
    )
    # The participant now belongs to A2's staff, and no longer to A1's.
    assert scene.as_role("facilitator").get(participant_path(scene, "own")).status_code == 404
    colleague = scene.as_user(scene.world.facilitator_a2)
    assert colleague.get(participant_path(scene, "own")).status_code == 200


def test_admin_of_another_organisation_cannot_pull_a_participant_in(scene):
    admin_b = scene.as_user(scene.world.admin_b)
    response = admin_b.patch(
        participant_path(scene, "other_org"),
        json={"department_id": scene.department_id("own")},
        headers={"If-Match": scene.etag("other_org")},
    )
    assert response.status_code == 422, response.get_json()
    assert "department_id" in response.get_json()["errors"]["json"]


def test_staff_of_two_departments_may_move_between_them(scene):
    world = scene.world
    both = UserFactory(
        organisation=world.org_a,
        username="facilitator-a1-a2",
        departments=[world.dept_a1, world.dept_a2],
    )
    api = scene.as_user(both)

    response = move(scene, api, scene.department_id("other_dept"))

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["department_id"] == scene.department_id("other_dept")


# --------------------------------------------------------------------------------------
# 6. Ids inside a body are scoped like ids in a path.


@pytest.mark.parametrize("where", ["other_org", NOWHERE])
def test_staff_can_only_be_placed_in_the_organisations_departments(scene, where):
    admin = scene.as_role("admin")
    department_ids = [scene.department_id("own"), scene.department_id(where)]
    user_path = f"/users/{scene.user_id('own')}"
    before = admin.get(user_path).get_json()
    counts = table_counts()

    created = admin.post("/users", json={**NEW_USER, "department_ids": department_ids})
    changed = admin.patch(user_path, json={"department_ids": department_ids})

    for response in (created, changed):
        assert response.status_code == 422, response.get_json()
        assert "department_ids" in response.get_json()["errors"]["json"]
    assert table_counts() == counts
    assert admin.get(user_path).get_json() == before


@pytest.mark.parametrize(
    ("caller", "goal_of"),
    [("leader", "other_dept"), ("admin", "other_dept"), ("admin", "other_org")],
)
def test_a_plan_cannot_take_over_another_participants_goal(scene, caller, goal_of):
    api = scene.as_role(caller)
    versions = participant_path(scene, "own", "/plan/versions")
    before = api.get(versions).get_json()
    goal = {"id": scene.goal_id(goal_of), "title": "Lånt mål"}
    counts = table_counts()

    response = api.put(participant_path(scene, "own", "/plan"), json={**NEW_PLAN, "goals": [goal]})

    assert response.status_code == 422, response.get_json()
    assert "goals" in response.get_json()["errors"]["json"]
    assert table_counts() == counts
    assert api.get(versions).get_json() == before


@pytest.mark.parametrize(
    ("caller", "member_of"),
    [("leader", "other_dept"), ("admin", "other_dept"), ("admin", "other_org")],
)
def test_a_meeting_cannot_take_over_another_participants_group_member(scene, caller, member_of):
    """Worded as for a member id nobody has; nothing stored."""
    api = scene.as_role(caller)
    path = participant_path(scene, "own", "/meetings")
    member = {"name": "Lånt Medlem", "organisation": "NAV"}
    borrowed = {**NEW_MEETING, "members": [{**member, "id": scene.group_member_id(member_of)}]}
    unknown = {**NEW_MEETING, "members": [{**member, "id": scene.group_member_id(NOWHERE)}]}
    before = api.get(path).get_json()
    counts = table_counts()

    response = api.post(path, json=borrowed)

    assert response.status_code == 422, response.get_json()
    assert "id" in response.get_json()["errors"]["json"]["members"]["0"]
    assert api.post(path, json=unknown).get_json() == response.get_json()
    assert table_counts() == counts
    assert api.get(path).get_json() == before


def test_goals_and_leave_are_only_reached_through_their_own_participant(scene, subtests):
    """Own participant in the path, someone else's goal or leave after it: 404."""
    admin = scene.as_role("admin")
    for of in ("other_dept", "other_org"):
        goal_path = participant_path(scene, "own", f"/plan/goals/{scene.goal_id(of)}")
        leave_path = participant_path(scene, "own", f"/leaves/{scene.leave_id(of)}")
        counts = table_counts()
        with subtests.test(f"goal of {of}"):
            response = admin.patch(goal_path, json={"status": "achieved"})
            assert response.status_code == 404, response.get_json()
        with subtests.test(f"leave of {of}"):
            response = admin.request("DELETE", leave_path)
            assert response.status_code == 404, response.get_json()
        assert table_counts() == counts


def test_logout_cannot_end_someone_elses_login(scene):
    leader_tokens = login(scene.client, scene.world.leader.username)
    facilitator = scene.as_role("facilitator")

    response = facilitator.post(
        "/auth/logout", json={"refresh_token": leader_tokens["refresh_token"]}
    )

    assert response.status_code == 204
    assert facilitator.get("/me").status_code == 401
    leader = Api(scene.client, leader_tokens["access_token"])
    assert leader.get("/me").status_code == 200
    refresh = Api(scene.client, leader_tokens["refresh_token"]).post("/auth/refresh")
    assert refresh.status_code == 200, refresh.get_json()


# --------------------------------------------------------------------------------------
# 7. POST /sync answers each write exactly as the write alone would be answered.


def test_sync_cannot_reach_past_the_callers_departments(scene):
    facilitator = scene.as_role("facilitator")
    operations = [
        {**sync_operation(scene.participant_id(where), scene.next_day()), "op_id": where}
        for where in (*PLACES, NOWHERE)
    ]
    attendance_rows = table_counts()["attendance"]

    response = facilitator.post("/sync", json={"operations": operations})

    assert response.status_code == 200, response.get_json()
    results = {result["op_id"]: result for result in response.get_json()["results"]}
    assert {op: result["status"] for op, result in results.items()} == {
        "own": 201,
        "other_dept": 404,
        "other_org": 404,
        NOWHERE: 404,
    }
    assert results["other_dept"]["body"] == results[NOWHERE]["body"]
    assert results["other_org"]["body"] == results[NOWHERE]["body"]
    assert table_counts()["attendance"] == attendance_rows + 1


def test_sync_refuses_what_a_write_alone_refuses(scene):
    facilitator = scene.as_role("facilitator")
    smuggled = sync_operation(scene.participant_id("own"), scene.next_day())
    smuggled["body"]["organisation_id"] = str(scene.world.org_b.id)
    with_headers = {**smuggled, "headers": {"Authorization": "Bearer someone-else"}}
    counts = table_counts()

    inner = facilitator.post("/sync", json={"operations": [smuggled]})
    outer = facilitator.post("/sync", json={"operations": [with_headers]})

    assert inner.status_code == 200, inner.get_json()
    (result,) = inner.get_json()["results"]
    assert result["status"] == 422
    assert "organisation_id" in result["body"]["errors"]["json"]
    assert outer.status_code == 422, outer.get_json()
    assert "headers" in outer.get_json()["errors"]["json"]["operations"]["0"]
    assert table_counts() == counts
