"""The office's meeting pages: the department's list, planning, writing up (with a stale
edit), action items, cancelling and the summary PDF, over the same services as the API."""

import re
import uuid
from datetime import UTC, datetime, timedelta

from server.database import db
from server.models import GroupMember, Meeting, MeetingAction, MeetingMember
from shared.vocab import MeetingStatus
from tests import factories as f
from tests.conftest import expect

NEW = "/office/meetings/new"


def in_a_week() -> str:
    """A time a week from now as the date-and-time box sends it (Oslo's clocks)."""
    return (datetime.now(UTC) + timedelta(days=7)).strftime("%Y-%m-%dT10:00")


def plan(browser, participant, **fields):
    path = f"{NEW}?participant={participant.id}"
    page = browser.get(path).get_data(as_text=True)
    meeting_id = re.search(r'name="id" value="([^"]+)"', page).group(1)
    data = {"id": meeting_id, "scheduled_at": in_a_week(), **fields}
    return browser.post(path, data, token_from=path), meeting_id


def group_member(participant, name="Kari Nav", organisation="NAV Songdalen"):
    member = GroupMember(
        id=uuid.uuid4(), participant_id=participant.id, name=name, organisation=organisation
    )
    member.active = True
    db.session.add(member)
    db.session.commit()
    return member


def held_meeting(world, **fields):
    meeting = f.MeetingFactory(
        id=uuid.uuid4(), participant=world.participant_a1, author=world.leader, **fields
    )
    db.session.commit()
    return meeting


def test_a_leader_plans_a_meeting_with_the_group_and_a_new_member(world, signed_in, as_user):
    kari = group_member(world.participant_a1)
    leader = signed_in(world.leader)
    page = leader.get(f"{NEW}?participant={world.participant_a1.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'value="{kari.id}" checked' in html

    response, meeting_id = plan(
        leader,
        world.participant_a1,
        location="Kontoret",
        agenda="Veien videre",
        member=str(kari.id),
        new_name=["Ola Lege", ""],
        new_organisation=["Fastlegen", ""],
        new_role=["GP", ""],
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/office/meetings/{meeting_id}")

    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting_id}"), 200)
    assert stored["location"] == "Kontoret"
    assert stored["agenda"] == "Veien videre"
    assert sorted(m["name"] for m in stored["members"]) == ["Kari Nav", "Ola Lege"]
    shown = leader.get(f"/office/meetings/{meeting_id}").get_data(as_text=True)
    assert "Ola Lege" in shown and "Fastlegen" in shown and "Veien videre" in shown


def test_sending_the_plan_twice_makes_one_meeting(world, signed_in):
    leader = signed_in(world.leader)
    response, meeting_id = plan(leader, world.participant_a1)
    assert response.status_code == 303
    path = f"{NEW}?participant={world.participant_a1.id}"
    again = leader.post(path, {"id": meeting_id, "scheduled_at": in_a_week()}, token_from=path)
    assert again.status_code == 303
    assert db.session.query(Meeting).filter_by(participant_id=world.participant_a1.id).count() == 1


def test_a_refused_plan_keeps_what_was_typed(world, signed_in):
    leader = signed_in(world.leader)
    response, _ = plan(
        leader,
        world.participant_a1,
        scheduled_at="",
        agenda="Mitt utkast",
        new_name=["Ola Lege"],
        new_organisation=[""],
        new_role=[""],
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Mitt utkast" in html
    assert 'value="Ola Lege"' in html
    assert 'id="error-summary"' in html
    assert 'id="scheduled_at-error"' in html
    assert 'id="new-member-0-error"' in html
    assert db.session.query(Meeting).count() == 0


def test_planning_before_the_participant_started_is_refused_beside_the_time(world, signed_in):
    leader = signed_in(world.leader)
    response, _ = plan(leader, world.participant_a1, scheduled_at="2025-06-01T10:00")
    assert response.status_code == 422
    assert 'id="scheduled_at-error"' in response.get_data(as_text=True)


def test_without_a_participant_the_page_offers_the_departments_participants(world, signed_in):
    page = signed_in(world.leader).get(NEW)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert str(world.participant_a1.id) in html
    assert str(world.participant_a2.id) not in html


def test_a_facilitator_may_not_plan_and_nobody_plans_outside_their_scope(world, signed_in):
    assert signed_in(world.facilitator).get(NEW).status_code == 403
    leader = signed_in(world.leader)
    assert leader.get(f"{NEW}?participant={world.participant_a2.id}").status_code == 404
    assert leader.get(f"{NEW}?participant={world.participant_b1.id}").status_code == 404


def test_the_list_shows_coming_meetings_first_and_filters_by_status(world, signed_in):
    now = datetime.now(UTC)
    past = held_meeting(world, scheduled_at=now - timedelta(days=30))
    soon = held_meeting(world, scheduled_at=now + timedelta(days=2), status=MeetingStatus.PLANNED)
    later = held_meeting(world, scheduled_at=now + timedelta(days=20), status=MeetingStatus.PLANNED)
    f.MeetingFactory(
        id=uuid.uuid4(), participant=world.participant_a2, author=world.admin, scheduled_at=now
    )
    db.session.commit()
    leader = signed_in(world.leader)
    html = leader.get(f"/office/meetings/?department={world.dept_a1.id}").get_data(as_text=True)
    order = [html.index(f"/office/meetings/{m.id}") for m in (soon, later, past)]
    assert order == sorted(order)
    assert "PersonA2" not in html

    planned = leader.get(f"/office/meetings/?department={world.dept_a1.id}&status=held")
    text = planned.get_data(as_text=True)
    assert f"/office/meetings/{past.id}" in text
    assert f"/office/meetings/{soon.id}" not in text


def test_writing_up_marks_the_meeting_held(world, signed_in, as_user):
    meeting = held_meeting(
        world,
        scheduled_at=datetime.now(UTC) - timedelta(hours=2),
        status=MeetingStatus.PLANNED,
    )
    leader = signed_in(world.leader)
    path = f"/office/meetings/{meeting.id}/edit"
    form = leader.get(path).get_data(as_text=True)
    version = re.search(r'name="version" value="([^"]+)"', form).group(1)
    scheduled = re.search(r'name="scheduled_at" value="([^"]+)"', form).group(1)
    response = leader.post(
        path,
        {
            "version": version,
            "scheduled_at": scheduled,
            "status": "held",
            "minutes": "Vi snakket om arbeid.",
            "decisions": "Starter i praksis.",
            "location": "",
            "agenda": "",
            "next_meeting_at": "",
        },
        token_from=path,
    )
    assert response.status_code == 303
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["status"] == "held"
    assert stored["minutes"] == "Vi snakket om arbeid."
    assert stored["decisions"] == "Starter i praksis."
    page = leader.get(f"/office/meetings/{meeting.id}").get_data(as_text=True)
    assert "Vi snakket om arbeid." in page and "Starter i praksis." in page


def test_a_stale_write_up_keeps_the_text_and_shows_theirs(world, signed_in, as_user):
    meeting = held_meeting(world, scheduled_at=datetime.now(UTC) - timedelta(hours=2))
    leader = signed_in(world.leader)
    path = f"/office/meetings/{meeting.id}/edit"
    form = leader.get(path).get_data(as_text=True)
    version = re.search(r'name="version" value="([^"]+)"', form).group(1)
    scheduled = re.search(r'name="scheduled_at" value="([^"]+)"', form).group(1)
    # Someone else saves in between (through the API, with the version they read).
    api = as_user(world.admin)
    etag = api.get(f"/api/v1/meetings/{meeting.id}").headers["ETag"]
    expect(
        api.patch(
            f"/api/v1/meetings/{meeting.id}",
            {"decisions": "Deres vedtak"},
            headers={"If-Match": etag},
        ),
        200,
    )
    data = {
        "version": version,
        "scheduled_at": scheduled,
        "status": "held",
        "minutes": "Mine notater",
        "decisions": "Mitt vedtak",
    }
    response = leader.post(path, data, token_from=path)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Mine notater" in html and "Mitt vedtak" in html
    assert "Deres vedtak" in html
    assert 'id="error-summary"' in html
    new_version = re.search(r'name="version" value="([^"]+)"', html).group(1)
    assert new_version != version
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["decisions"] == "Deres vedtak"

    # Saved again from the merged form, it goes through.
    again = leader.post(path, {**data, "version": new_version}, token_from=path)
    assert again.status_code == 303
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["decisions"] == "Mitt vedtak"


def test_action_items_are_added_ticked_and_changed(world, signed_in, as_user):
    meeting = held_meeting(world)
    leader = signed_in(world.leader)
    show = f"/office/meetings/{meeting.id}"
    page = leader.get(show).get_data(as_text=True)
    action_id = re.search(r'class="add-action".*?name="id" value="([^"]+)"', page, re.S).group(1)
    added = leader.post(
        f"{show}/actions",
        {
            "id": action_id,
            "description": "Ringe NAV",
            "responsible": "Kari",
            "due_date": "2026-12-15",
        },
        token_from=show,
    )
    assert added.status_code == 303
    action = db.session.get(MeetingAction, uuid.UUID(action_id))
    assert action.description == "Ringe NAV"

    # A facilitator of the department ticks it off.
    facilitator = signed_in(world.facilitator)
    ticked = facilitator.post(f"{show}/actions/{action_id}", {"done": "true"}, token_from=show)
    assert ticked.status_code == 303
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["actions"][0]["done"] is True

    changed = leader.post(
        f"{show}/actions/{action_id}",
        {"description": "Ringe NAV og legen", "responsible": "Ola", "due_date": ""},
        token_from=show,
    )
    assert changed.status_code == 303
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["actions"][0]["description"] == "Ringe NAV og legen"
    assert stored["actions"][0]["due_date"] is None

    # A facilitator may tick, not change.
    refused = facilitator.post(
        f"{show}/actions/{action_id}", {"responsible": "Meg"}, token_from=show
    )
    assert refused.status_code == 403


def test_a_refused_action_item_keeps_what_was_typed(world, signed_in):
    meeting = held_meeting(world)
    leader = signed_in(world.leader)
    show = f"/office/meetings/{meeting.id}"
    response = leader.post(
        f"{show}/actions",
        {"id": str(uuid.uuid4()), "description": "Skrive søknad", "responsible": ""},
        token_from=show,
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="Skrive søknad"' in html
    assert 'id="responsible-error"' in html
    assert db.session.query(MeetingAction).count() == 0


def test_cancelling_a_planned_meeting(world, signed_in, as_user):
    meeting = held_meeting(
        world, scheduled_at=datetime.now(UTC) + timedelta(days=3), status=MeetingStatus.PLANNED
    )
    leader = signed_in(world.leader)
    show = f"/office/meetings/{meeting.id}"
    version = re.search(
        r'name="version" value="([^"]+)"', leader.get(show).get_data(as_text=True)
    ).group(1)
    response = leader.post(f"{show}/cancel", {"version": version}, token_from=show)
    assert response.status_code == 303
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["status"] == "cancelled"


def test_the_summary_pdf_downloads(world, signed_in):
    meeting = held_meeting(world, decisions="Starter i praksis.")
    member = group_member(world.participant_a1)
    db.session.add(MeetingMember(meeting_id=meeting.id, member_id=member.id))
    db.session.commit()
    response = signed_in(world.leader).get(f"/office/meetings/{meeting.id}/summary.pdf")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]


def test_another_departments_meeting_is_not_found(world, signed_in):
    meeting = f.MeetingFactory(
        id=uuid.uuid4(), participant=world.participant_a2, author=world.admin
    )
    db.session.commit()
    leader = signed_in(world.leader)
    for path in ("", "/edit", "/summary.pdf"):
        assert leader.get(f"/office/meetings/{meeting.id}{path}").status_code == 404


def test_a_facilitator_reads_the_meeting_without_the_leaders_buttons(world, signed_in):
    meeting = held_meeting(world, minutes="Internt referat")
    page = signed_in(world.facilitator).get(f"/office/meetings/{meeting.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Internt referat" in html
    assert f"/office/meetings/{meeting.id}/edit" not in html
    assert 'class="add-action"' not in html
    assert (
        signed_in(world.facilitator).get(f"/office/meetings/{meeting.id}/edit").status_code == 403
    )


def test_an_admin_outside_the_department_writes_up_without_the_minutes(world, signed_in, as_user):
    meeting = held_meeting(world, minutes="Internt referat")
    admin = signed_in(world.admin)
    path = f"/office/meetings/{meeting.id}/edit"
    form = admin.get(path).get_data(as_text=True)
    assert "Internt referat" not in form
    assert 'name="minutes"' not in form
    version = re.search(r'name="version" value="([^"]+)"', form).group(1)
    scheduled = re.search(r'name="scheduled_at" value="([^"]+)"', form).group(1)
    response = admin.post(
        path,
        {"version": version, "scheduled_at": scheduled, "status": "held", "decisions": "Ny plan"},
        token_from=path,
    )
    assert response.status_code == 303
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["decisions"] == "Ny plan"
    assert stored["minutes"] == "Internt referat"


def test_cancelling_a_meeting_changed_since_is_refused(world, signed_in, as_user):
    meeting = held_meeting(
        world, scheduled_at=datetime.now(UTC) + timedelta(days=3), status=MeetingStatus.PLANNED
    )
    leader = signed_in(world.leader)
    show = f"/office/meetings/{meeting.id}"
    version = re.search(
        r'name="version" value="([^"]+)"', leader.get(show).get_data(as_text=True)
    ).group(1)
    api = as_user(world.admin)
    etag = api.get(f"/api/v1/meetings/{meeting.id}").headers["ETag"]
    expect(
        api.patch(
            f"/api/v1/meetings/{meeting.id}",
            {"location": "Biblioteket"},
            headers={"If-Match": etag},
        ),
        200,
    )
    response = leader.post(f"{show}/cancel", {"version": version}, token_from=show)
    assert response.status_code == 409
    assert "Biblioteket" in response.get_data(as_text=True)
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["status"] == "planned"
