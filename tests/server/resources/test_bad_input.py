"""Bad input that every write endpoint refuses alike: bodies that are not a JSON object,
missing bodies, NUL in text, a client-chosen id used twice, bad ids in the path, and the
envelope of routes and methods that do not exist. Each endpoint group's
``test_bad_input.py`` describes its endpoints; the cases and the checks:
``tests/server/resources/bad_input.py``."""

import io
import uuid

from tests.conftest import table_counts
from tests.server.resources import each_group
from tests.server.resources.bad_input import (
    JSON,
    NOT_UUID,
    assert_envelope,
    body_with,
    case,
    member,
    refused,
    send,
)

ENDPOINTS = {
    name: endpoint
    for module in each_group("test_bad_input").values()
    for name, endpoint in module.ENDPOINTS.items()
}
MAX_BODY = 2 * 1024 * 1024

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
    # Well-formed JSON, but not the object the schema reads: input that breaks a rule.
    ("json-array", lambda: {"json": []}, 422),
    ("json-array-of-objects", lambda: {"json": [{"name": "x"}]}, 422),
    ("json-string", lambda: {"json": "name"}, 422),
    ("json-number", lambda: {"json": 42}, 422),
    ("json-null", raw(b"null"), 422),
]


# Logout last: were it to succeed by mistake, the cases after it would all answer 401.
LOGOUT_LAST = sorted(ENDPOINTS, key=lambda name: name == "logout")


def test_body_that_is_not_a_json_object_is_refused(ctx, subtests):
    for name in LOGOUT_LAST:
        for case_id, request_kwargs, status in NOT_A_JSON_OBJECT:
            with subtests.test(f"{name}: {case_id}"):
                refused(ctx, ENDPOINTS[name], status, **request_kwargs())


def test_deeply_nested_json_is_400(ctx, subtests):
    """10,000 nested arrays hit the parser's recursion limit: bad input, not a server error."""
    for name in ["login", "put-plan"]:
        with subtests.test(name):
            nested = b"[" * 10_000 + b"]" * 10_000
            refused(ctx, ENDPOINTS[name], 400, data=nested, content_type=JSON)


# --- missing required fields --------------------------------------------------------------


def test_missing_body_names_every_required_field(ctx, subtests):
    for name, endpoint in ENDPOINTS.items():
        if not endpoint.required:
            continue  # logout and the PATCHes: every field is optional
        with subtests.test(f"{name}: empty-object"):
            refused(ctx, endpoint, 422, endpoint.required, json={})
        with subtests.test(f"{name}: no-body"):
            refused(ctx, endpoint, 422, endpoint.required, data=b"", content_type=JSON)


# --- text no database should be asked to store ---------------------------------------------

NUL_CASES = [
    ("create-department", case("name", {"name": "Sol\x00dalen"}, "name")),
    ("update-department", case("name", {"name": "Song\x00dalen"}, "name")),
    ("create-group", case("name", {"name": "Kjøk\x00ken"}, "name")),
    ("update-group", case("name", {"name": "Kafé\x00"}, "name")),
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
        endpoint = ENDPOINTS[name]
        with subtests.test(f"{name}: {c.id}"):
            refused(ctx, endpoint, c.status, c.fields, json=body_with(ctx, endpoint, c.changes))


def test_a_client_chosen_id_names_one_thing_only(ctx, subtests):
    """The same id and body again answers 200 and changes nothing; the same id with another
    body is a conflict (a follow-up's author may correct it, but never move it to another
    participant; a meeting or an action item is changed with PATCH)."""
    for name, field, value in [
        ("put-followup", "participant_id", lambda c: c.ended_participant_id),
        ("create-meeting", "location", "Et annet sted"),
        ("add-action", "description", "Noe annet"),
    ]:
        endpoint = ENDPOINTS[name]
        with subtests.test(name):
            body = endpoint.body(ctx)
            first = send(ctx, endpoint, json=body)
            assert first.status_code == endpoint.ok, first.json
            again = send(ctx, endpoint, json=body)
            assert again.status_code == 200, again.json
            assert again.json == first.json
            other = value(ctx) if callable(value) else value
            refused(ctx, endpoint, 409, json={**body, field: other})


# --- paths, methods and headers ------------------------------------------------------------

ITEM_PATHS = {
    "update-department": "/departments/{bad}",
    "create-group": "/departments/{bad}/groups",
    "update-group": "/groups/{bad}",
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
        endpoint = ENDPOINTS[name]
        for case_id, bad in [("word", NOT_UUID), ("number", "12345"), ("unknown", uuid.uuid4())]:
            with subtests.test(f"{name}: {case_id}"):
                path = template.format(
                    bad=bad, participant=ctx.participant_id, meeting=ctx.meeting_id
                )
                refused(ctx, endpoint, 404, path=path, json=endpoint.body(ctx))
    with subtests.test("update-goal: goal-of-another-participant"):
        path = f"/participants/{ctx.participant_id}/plan/goals/{ctx.other_participants_goal_id}"
        goal = ENDPOINTS["update-goal"]
        refused(ctx, goal, 404, path=path, json=goal.body(ctx))
    with subtests.test("update-action: action-of-another-meeting"):
        path = f"/meetings/{ctx.meeting_id}/actions/{ctx.other_meetings_action_id}"
        action = ENDPOINTS["update-action"]
        refused(ctx, action, 404, path=path, json=action.body(ctx))


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
        response = send(ctx, ENDPOINTS["login"], json=ENDPOINTS["login"].body(ctx))
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"


def test_json_with_charset_parameter_is_accepted(ctx):
    response = send(
        ctx,
        ENDPOINTS["create-department"],
        data=b'{"name": "Grimstad"}',
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 201, response.get_data(True)
