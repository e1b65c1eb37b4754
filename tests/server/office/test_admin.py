"""The administration pages: each area through its forms, as an admin (and a leader where
the services let one), checked through what the pages show and what the services store."""

import json
import re
import uuid

import pytest
from sqlalchemy import select

from server.database import db
from server.models import (
    AccessLogEntry,
    Department,
    Group,
    Organisation,
    SecurityEvent,
    TallyActivity,
    User,
)
from shared.vocab import AccessAction, Country, Role, SecurityEventType
from tests.conftest import PASSWORD
from tests.server.office.conftest import nb

GOOD_PASSWORD = "Lyng-Tavle-Marsj-2291"


def text(response) -> str:
    return response.get_data(as_text=True)


def field_error(page: str, name: str) -> str:
    """The error shown beside a box."""
    found = re.search(rf'id="{name}-error">([^<]*)<', page)
    assert found, f"no error beside {name}"
    return found.group(1)


@pytest.fixture
def admin(signed_in, world):
    return signed_in(world.admin)


# Who may open what


@pytest.mark.parametrize(
    "path",
    [
        "/office/admin/departments",
        "/office/admin/staff",
        "/office/admin/staff/new",
        "/office/admin/activities",
        "/office/admin/access-log",
        "/office/admin/security-log",
    ],
)
def test_admin_pages_are_for_admins_only(signed_in, world, path):
    assert signed_in(world.leader).get(path).status_code == 403
    assert signed_in(world.facilitator).get(path).status_code == 403


def test_the_refusal_is_a_security_event(signed_in, world):
    signed_in(world.facilitator).get("/office/admin/staff")
    events = db.session.scalars(
        select(SecurityEvent).where(
            SecurityEvent.type == SecurityEventType.FORBIDDEN,
            SecurityEvent.user_id == world.facilitator.id,
        )
    ).all()
    assert len(events) == 1


def test_the_menu_leads_an_admin_to_the_index_and_its_sections(admin):
    start = text(admin.get("/office/"))
    assert 'href="/office/admin/"' in start
    index = admin.get("/office/admin/")
    assert index.status_code == 200
    for path in (
        "/office/admin/departments",
        "/office/admin/staff",
        "/office/admin/activities",
        "/office/admin/access-log",
        "/office/admin/security-log",
        "/office/admin/innsyn",
    ):
        assert f'href="{path}"' in text(index)
        assert admin.get(path).status_code == 200, path


def test_the_menu_has_no_administration_for_a_facilitator(signed_in, world):
    assert 'href="/office/admin/"' not in text(signed_in(world.facilitator).get("/office/"))


# The organisation


def test_admin_changes_the_organisations_details(admin, world):
    response = admin.post(
        "/office/admin/organisation",
        {"name": "Org A Vest", "country": "DK", "language": "da", "timezone": "Europe/Copenhagen"},
        token_from="/office/admin/",
    )
    assert response.status_code == 303
    organisation = db.session.get(Organisation, world.org_a.id)
    db.session.refresh(organisation)
    assert (organisation.name, organisation.country, organisation.timezone) == (
        "Org A Vest",
        Country.DENMARK,
        "Europe/Copenhagen",
    )
    assert 'value="Org A Vest"' in text(admin.get("/office/admin/"))


def test_a_refused_organisation_form_keeps_what_was_typed(admin, world):
    response = admin.post(
        "/office/admin/organisation",
        {"name": "", "country": "NO", "language": "nb", "timezone": "Mars/Olympus"},
        token_from="/office/admin/",
    )
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "name")
    assert field_error(page, "timezone")
    assert 'id="error-summary"' in page
    assert db.session.get(Organisation, world.org_a.id).name == "Org A"


# Departments and groups


def test_admin_makes_renames_and_closes_a_department(admin, world):
    made = admin.post(
        "/office/admin/departments/new",
        {"name": "Vennesla", "timezone": ""},
        token_from="/office/admin/departments/new",
    )
    assert made.status_code == 303
    department = db.session.scalar(select(Department).where(Department.name == "Vennesla"))
    assert department.organisation_id == world.org_a.id and department.timezone is None
    assert "Vennesla" in text(admin.get("/office/admin/departments"))

    edit = f"/office/admin/departments/{department.id}"
    renamed = admin.post(
        edit, {"name": "Vennesla sentrum", "timezone": "Europe/Oslo"}, token_from=edit
    )
    assert renamed.status_code == 303
    closed = admin.post(f"{edit}/active", {"active": "false"}, token_from=edit)
    assert closed.status_code == 303
    db.session.refresh(department)
    assert (department.name, department.timezone, department.active) == (
        "Vennesla sentrum",
        "Europe/Oslo",
        False,
    )
    assert nb("Closed") in text(admin.get(edit))


def test_a_taken_department_name_is_shown_beside_the_box(admin, world):
    response = admin.post(
        "/office/admin/departments/new",
        {"name": "songdalen", "timezone": ""},
        token_from="/office/admin/departments/new",
    )
    assert response.status_code == 409
    assert field_error(text(response), "name") == nb("Taken.")
    assert 'value="songdalen"' in text(response)


def test_a_department_of_another_organisation_is_not_found(admin, world):
    assert admin.get(f"/office/admin/departments/{world.dept_b1.id}").status_code == 404
    assert admin.get(f"/office/admin/departments/{world.dept_b1.id}/groups").status_code == 404


def test_a_leader_makes_and_changes_a_group_in_their_department(signed_in, world):
    leader = signed_in(world.leader)
    new = f"/office/admin/departments/{world.dept_a1.id}/groups/new"
    page = text(leader.get(new))
    # The staff of the department to choose from, and nobody else.
    assert world.facilitator.full_name in page
    assert world.facilitator_a2.full_name not in page
    made = leader.post(
        new,
        {"name": "Snekkerverkstedet", "responsible_user_id": str(world.facilitator.id)},
        token_from=new,
    )
    assert made.status_code == 303
    group = db.session.scalar(select(Group).where(Group.name == "Snekkerverkstedet"))
    assert group.department_id == world.dept_a1.id
    assert group.responsible_user_id == world.facilitator.id
    listing = text(leader.get(f"/office/admin/departments/{world.dept_a1.id}/groups"))
    assert "Snekkerverkstedet" in listing and world.facilitator.full_name in listing

    edit = f"/office/admin/groups/{group.id}"
    changed = leader.post(edit, {"name": "Snekkeriet", "responsible_user_id": ""}, token_from=edit)
    assert changed.status_code == 303
    closed = leader.post(f"{edit}/active", {"active": "false"}, token_from=edit)
    assert closed.status_code == 303
    db.session.refresh(group)
    assert (group.name, group.responsible_user_id, group.active) == ("Snekkeriet", None, False)


def test_a_leader_sees_no_group_of_another_department(signed_in, world):
    leader = signed_in(world.leader)
    assert leader.get(f"/office/admin/departments/{world.dept_a2.id}/groups").status_code == 404
    other = Group(
        organisation_id=world.org_a.id, department_id=world.dept_a2.id, name="Arendals gruppe"
    )
    db.session.add(other)
    db.session.commit()
    assert leader.get(f"/office/admin/groups/{other.id}").status_code == 404
    edit = f"/office/admin/groups/{other.id}"
    refused = leader.post(edit, {"name": "Tatt"}, token_from="/office/")
    assert refused.status_code == 404


def test_a_facilitator_may_not_make_groups(signed_in, world):
    facilitator = signed_in(world.facilitator)
    assert (
        facilitator.get(f"/office/admin/departments/{world.dept_a1.id}/groups").status_code == 403
    )


def test_a_responsible_from_another_department_is_refused_beside_the_box(admin, world):
    new = f"/office/admin/departments/{world.dept_a1.id}/groups/new"
    response = admin.post(
        new,
        {"name": "Kjøkkenet", "responsible_user_id": str(world.facilitator_a2.id)},
        token_from=new,
    )
    assert response.status_code == 422
    assert field_error(text(response), "responsible_user_id")
    assert 'value="Kjøkkenet"' in text(response)
    assert db.session.scalar(select(Group).where(Group.name == "Kjøkkenet")) is None


# Staff accounts


def new_account(**changes) -> dict:
    return {
        "username": "kari.nord",
        "full_name": "Kari Nordmann",
        "role": "facilitator",
        "department_ids": [""],
        "language": "",
        "password": GOOD_PASSWORD,
        **changes,
    }


def test_admin_creates_a_facilitator_who_can_then_log_in(admin, world, office):
    form = "/office/admin/staff/new"
    response = admin.post(
        form, new_account(department_ids=["", str(world.dept_a1.id)]), token_from=form
    )
    assert response.status_code == 303
    user = db.session.scalar(select(User).where(User.username == "kari.nord"))
    assert response.headers["Location"] == f"/office/admin/staff/{user.id}"
    assert (user.role, [d.id for d in user.departments]) == (Role.FACILITATOR, [world.dept_a1.id])
    assert "Kari Nordmann" in text(admin.get("/office/admin/staff"))
    office.sign_in(user, GOOD_PASSWORD)
    assert office.get("/office/").status_code == 200


def test_a_common_password_is_refused_beside_the_box(admin, world):
    form = "/office/admin/staff/new"
    response = admin.post(
        form,
        new_account(password="password123", department_ids=["", str(world.dept_a1.id)]),
        token_from=form,
    )
    assert response.status_code == 422
    page = text(response)
    assert nb("Too common or too easy to guess.") in field_error(page, "password")
    # What was typed stays, the refused password does not.
    assert 'value="kari.nord"' in page and 'value="Kari Nordmann"' in page
    assert "password123" not in page
    assert re.search(rf'value="{world.dept_a1.id}"\s+checked', page)
    assert db.session.scalar(select(User).where(User.username == "kari.nord")) is None


def test_a_short_password_and_no_department_are_refused_together(admin, world):
    form = "/office/admin/staff/new"
    response = admin.post(form, new_account(password="kort"), token_from=form)
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "password")
    assert field_error(page, "department_ids")


def test_admin_changes_role_and_departments(admin, world):
    edit = f"/office/admin/staff/{world.facilitator.id}"
    assert world.facilitator.username in text(admin.get(edit))
    response = admin.post(
        edit,
        {
            "full_name": "Fasilitator Fredriksen",
            "role": "leader",
            "department_ids": ["", str(world.dept_a1.id), str(world.dept_a2.id)],
            "language": "da",
        },
        token_from=edit,
    )
    assert response.status_code == 303
    user = db.session.get(User, world.facilitator.id)
    db.session.refresh(user)
    assert user.role == Role.LEADER
    assert {d.id for d in user.departments} == {world.dept_a1.id, world.dept_a2.id}
    assert (user.full_name, user.language) == ("Fasilitator Fredriksen", "da")


def test_taking_away_every_department_is_refused(admin, world):
    edit = f"/office/admin/staff/{world.facilitator.id}"
    response = admin.post(
        edit,
        {"full_name": "X Y", "role": "facilitator", "department_ids": [""], "language": ""},
        token_from=edit,
    )
    assert response.status_code == 422
    assert field_error(text(response), "department_ids")
    assert [d.id for d in db.session.get(User, world.facilitator.id).departments] == [
        world.dept_a1.id
    ]


def test_deactivating_ends_the_users_office_session_and_reactivating_lets_them_in(
    admin, signed_in, world
):
    facilitator = signed_in(world.facilitator)
    assert facilitator.get("/office/").status_code == 200
    edit = f"/office/admin/staff/{world.facilitator.id}"
    assert "data-confirm" in text(admin.get(edit))
    assert admin.post(f"{edit}/active", {"active": "false"}, token_from=edit).status_code == 303
    assert facilitator.get("/office/").status_code == 303
    assert nb("Deactivated") in text(admin.get(edit))
    listed = text(admin.get("/office/admin/staff?active=false"))
    assert world.facilitator.full_name in listed
    assert admin.post(f"{edit}/active", {"active": "true"}, token_from=edit).status_code == 303
    assert signed_in(world.facilitator).get("/office/").status_code == 200


def test_admin_cannot_deactivate_themselves(admin, world):
    edit = f"/office/admin/staff/{world.admin.id}"
    response = admin.post(f"{edit}/active", {"active": "false"}, token_from=edit)
    assert response.status_code == 303
    assert nb("You cannot deactivate yourself or take away your own admin role.") in text(
        admin.get(edit)
    )
    assert db.session.get(User, world.admin.id).active


def test_a_new_password_ends_the_users_sessions(admin, signed_in, office, world):
    facilitator = signed_in(world.facilitator)
    form = f"/office/admin/staff/{world.facilitator.id}/password"
    refused = admin.post(form, {"password": "qwerty1234"}, token_from=form)
    assert refused.status_code == 422
    assert field_error(text(refused), "password")
    assert facilitator.get("/office/").status_code == 200
    assert admin.post(form, {"password": GOOD_PASSWORD}, token_from=form).status_code == 303
    assert facilitator.get("/office/").status_code == 303
    wrong = office.post(
        "/office/login", {"username": world.facilitator.username, "password": PASSWORD}
    )
    assert wrong.status_code == 401
    office.sign_in(world.facilitator, GOOD_PASSWORD)
    assert office.get("/office/").status_code == 200


def test_the_staff_list_filters_by_role_and_department(admin, world):
    leaders = text(admin.get("/office/admin/staff?role=leader"))
    assert world.leader.full_name in leaders
    assert world.facilitator.full_name not in leaders
    a2 = text(admin.get(f"/office/admin/staff?department_id={world.dept_a2.id}&role=&active="))
    assert world.facilitator_a2.full_name in a2
    assert world.facilitator.full_name not in a2
    assert world.admin_b.full_name not in text(admin.get("/office/admin/staff"))


def test_a_user_of_another_organisation_is_not_found(admin, world):
    assert admin.get(f"/office/admin/staff/{world.admin_b.id}").status_code == 404
    assert admin.get(f"/office/admin/staff/{uuid.uuid4()}").status_code == 404


# The tally's activities


def activity_names(organisation_id, active_only=False):
    stmt = select(TallyActivity).where(TallyActivity.organisation_id == organisation_id)
    if active_only:
        stmt = stmt.where(TallyActivity.active)
    stmt = stmt.order_by(TallyActivity.position, TallyActivity.name_key)
    return [activity.name for activity in db.session.scalars(stmt)]


def test_admin_adds_renames_deactivates_and_moves_activities(admin, world):
    page = "/office/admin/activities"
    added = admin.post(page, {"name": "Fotballtrening"}, token_from=page)
    assert added.status_code == 303
    assert activity_names(world.org_a.id)[-1] == "Fotballtrening"
    activity = db.session.scalar(
        select(TallyActivity).where(TallyActivity.name == "Fotballtrening")
    )

    moved = admin.post(f"{page}/{activity.id}/move", {"direction": "up"}, token_from=page)
    assert moved.status_code == 303
    assert activity_names(world.org_a.id)[-2] == "Fotballtrening"

    edit = f"{page}/{activity.id}"
    saved = admin.post(edit, {"name": "Fotball", "active": ["false"]}, token_from=edit)
    assert saved.status_code == 303
    assert "Fotball" not in activity_names(world.org_a.id, active_only=True)
    assert "Fotball" in activity_names(world.org_a.id)
    assert "Fotball" in text(admin.get(page))


def test_a_taken_activity_name_is_refused_beside_the_box(admin, world):
    page = "/office/admin/activities"
    first = activity_names(world.org_a.id, active_only=True)[0]
    response = admin.post(page, {"name": first.upper()}, token_from=page)
    assert response.status_code == 409
    assert field_error(text(response), "name")
    assert f'value="{first.upper()}"' in text(response)


def test_the_first_activity_does_not_move_up(admin, world):
    page = "/office/admin/activities"
    before = activity_names(world.org_a.id)
    first = db.session.scalar(
        select(TallyActivity)
        .where(TallyActivity.organisation_id == world.org_a.id)
        .order_by(TallyActivity.position)
    )
    admin.post(f"{page}/{first.id}/move", {"direction": "up"}, token_from=page)
    assert activity_names(world.org_a.id) == before
    admin.post(f"{page}/{first.id}/move", {"direction": "down"}, token_from=page)
    assert activity_names(world.org_a.id)[:2] == [before[1], before[0]]


# The logs


def test_the_access_log_filters_by_participant_user_and_action(admin, signed_in, world):
    signed_in(world.facilitator).get("/office/")  # lists the department's day
    pid = world.participant_a1.id
    export = "/office/admin/innsyn"
    admin.post(
        export,
        {"participant": str(pid), "reason": "Innsyn request of 2 November"},
        token_from=export,
    )
    log = text(
        admin.get(f"/office/admin/access-log?participant_id={pid}&action=export&user_id=&from=&to=")
    )
    assert "Innsyn request of 2 November" in log
    assert nb("%(num)d entry", "%(num)d entries", 1) % {"num": 1} in log
    facilitators = text(admin.get(f"/office/admin/access-log?user_id={world.facilitator.id}"))
    assert "Innsyn request" not in facilitators


def test_a_bad_date_filter_is_shown_beside_its_box(admin, world):
    response = admin.get("/office/admin/access-log?from=2026-13-40")
    assert response.status_code == 200
    assert field_error(text(response), "from")


def test_the_security_log_filters_by_type_and_user(admin, signed_in, world):
    signed_in(world.leader)
    logins = text(admin.get(f"/office/admin/security-log?type=login&user_id={world.leader.id}"))
    assert world.leader.username in logins
    assert nb("%(num)d event", "%(num)d events", 1) % {"num": 1} in logins
    none = text(admin.get(f"/office/admin/security-log?type=export&user_id={world.leader.id}"))
    assert nb("%(num)d event", "%(num)d events", 0) % {"num": 0} in none


# Innsyn


def test_innsyn_downloads_everything_with_the_reason_logged(admin, world):
    pid = world.participant_a1.id
    form = f"/office/admin/innsyn?participant={pid}"
    page = text(admin.get(form))
    assert re.search(rf'value="{pid}" selected', page)
    response = admin.post(
        "/office/admin/innsyn",
        {"participant": str(pid), "reason": "Innsyn request of 2 November"},
        token_from=form,
    )
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="spire-innsyn-')
    assert world.participant_a1.first_name not in disposition
    document = json.loads(response.get_data())
    assert document["participant"]["id"] == str(pid)
    assert document["plans"]
    entry = db.session.scalar(
        select(AccessLogEntry).where(
            AccessLogEntry.participant_id == pid, AccessLogEntry.action == AccessAction.EXPORT
        )
    )
    assert entry.reason == "Innsyn request of 2 November"
    event = db.session.scalar(
        select(SecurityEvent).where(SecurityEvent.type == SecurityEventType.EXPORT)
    )
    assert event.detail["reason"] == "Innsyn request of 2 November"


def test_innsyn_without_a_reason_is_refused(admin, world):
    pid = world.participant_a1.id
    response = admin.post(
        "/office/admin/innsyn",
        {"participant": str(pid), "reason": ""},
        token_from="/office/admin/innsyn",
    )
    assert response.status_code == 422
    assert field_error(text(response), "reason")
    assert re.search(rf'value="{pid}" selected', text(response))
    nothing = admin.post(
        "/office/admin/innsyn",
        {"participant": "", "reason": "Why"},
        token_from="/office/admin/innsyn",
    )
    assert nothing.status_code == 422
    assert field_error(text(nothing), "participant")
    assert "Why" in text(nothing)


def test_a_leader_exports_only_their_departments_participants(signed_in, world):
    leader = signed_in(world.leader)
    page = text(leader.get("/office/admin/innsyn"))
    assert str(world.participant_a1.id) in page
    assert str(world.participant_a2.id) not in page
    refused = leader.post(
        "/office/admin/innsyn",
        {"participant": str(world.participant_a2.id), "reason": "Request"},
        token_from="/office/admin/innsyn",
    )
    assert refused.status_code == 404
    facilitator = signed_in(world.facilitator)
    assert facilitator.get("/office/admin/innsyn").status_code == 403


def test_the_reason_never_travels_in_an_address(admin, world):
    page = text(admin.get("/office/admin/innsyn"))
    assert re.search(r'<form method="post"[^>]*action="/office/admin/innsyn"', page)


def test_a_leader_reaches_their_groups_and_the_innsyn_export_from_administration(signed_in, world):
    leader = signed_in(world.leader)
    start = leader.get("/office/").get_data(as_text=True)
    assert 'href="/office/admin/"' in start
    page = leader.get("/office/admin/").get_data(as_text=True)
    assert f"/office/admin/departments/{world.dept_a1.id}/groups" in page
    assert f"/office/admin/departments/{world.dept_a2.id}/groups" not in page
    assert "/office/admin/innsyn" in page
    assert "/office/admin/staff" not in page and 'name="timezone"' not in page
    groups = leader.get(f"/office/admin/departments/{world.dept_a1.id}/groups")
    assert groups.status_code == 200
    assert signed_in(world.facilitator).get("/office/admin/").status_code == 403
