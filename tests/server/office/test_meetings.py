"""The office's meeting pages: the department's list, planning, writing up (with a stale
edit), action items, cancelling and the summary PDF, over the same services as the API."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

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


class FormReader(HTMLParser):
    """What a browser sends from the write-up form: every named box with its value (a
    select's chosen option, a text area's text), the hidden ones included."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._inside = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "write-up" in (attrs.get("class") or ""):
            self._inside = True
        if not self._inside:
            return
        if tag == "input" and attrs.get("name") and attrs.get("name") != "csrf_token":
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def write_up_form(response) -> dict[str, str]:
    reader = FormReader()
    reader.feed(response.get_data(as_text=True))
    assert "version" in reader.values
    return reader.values


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
    form = write_up_form(leader.get(path))
    response = leader.post(
        path,
        {
            **form,
            "status": "held",
            "minutes": "Vi snakket om arbeid.",
            "decisions": "Starter i praksis.",
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


def differences(response) -> dict[str, str]:
    """The rows of the merge table: field → the row's cells."""
    html = response.get_data(as_text=True)
    return dict(re.findall(r'<tr class="difference" data-field="([a-z_]+)">(.*?)</tr>', html, re.S))


def test_a_stale_write_up_sends_only_what_the_writer_changed(world, signed_in, as_user):
    meeting = held_meeting(
        world,
        scheduled_at=datetime.now(UTC) - timedelta(hours=2),
        status=MeetingStatus.PLANNED,
        location="Kontoret",
        minutes="Referat fra start.",
    )
    path = f"/office/meetings/{meeting.id}/edit"
    writer = signed_in(world.leader)
    opened = write_up_form(writer.get(path))
    assert opened["original_location"] == "Kontoret" and opened["original_status"] == "planned"

    # Someone else moves the meeting to another place and cancels it, from the same page.
    other = signed_in(world.admin)
    theirs = write_up_form(other.get(path))
    moved = other.post(
        path, {**theirs, "location": "Biblioteket", "status": "cancelled"}, token_from=path
    )
    assert moved.status_code == 303

    # The writer, on the form opened before that, writes the minutes only.
    response = writer.post(path, {**opened, "minutes": "Mine notater."}, token_from=path)
    assert response.status_code == 409
    rows = differences(response)
    assert set(rows) == {"location", "status"}
    assert "Kontoret" in rows["location"] and "Biblioteket" in rows["location"]
    assert "<strong>" not in rows["location"]  # not the writer's change
    # The boxes: the writer's minutes as typed, the place and status as stored now; the
    # originals and the version are those stored now.
    merged = write_up_form(response)
    assert merged["minutes"] == "Mine notater."
    assert merged["location"] == "Biblioteket" and merged["original_location"] == "Biblioteket"
    assert merged["status"] == "cancelled" and merged["original_status"] == "cancelled"
    assert merged["original_minutes"] == "Referat fra start."
    assert merged["version"] != opened["version"]
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["location"] == "Biblioteket"
    assert stored["status"] == "cancelled"
    assert stored["minutes"] == "Referat fra start."

    # Saved again from the merged form: the writer's minutes, the other's place and status.
    again = writer.post(path, merged, token_from=path)
    assert again.status_code == 303
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["minutes"] == "Mine notater."
    assert stored["location"] == "Biblioteket"
    assert stored["status"] == "cancelled"


def test_a_box_both_changed_is_shown_with_both_texts(world, signed_in, as_user):
    meeting = held_meeting(
        world,
        scheduled_at=datetime.now(UTC) - timedelta(days=2),
        minutes="Første linje.\nAndre linje.",
    )
    path = f"/office/meetings/{meeting.id}/edit"
    writer = signed_in(world.leader)
    opened = write_up_form(writer.get(path))
    # Someone else changes the decisions and the time (through the API, with the version
    # they read).
    api = as_user(world.admin)
    etag = api.get(f"/api/v1/meetings/{meeting.id}").headers["ETag"]
    moved_to = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    expect(
        api.patch(
            f"/api/v1/meetings/{meeting.id}",
            {"decisions": "Deres vedtak", "scheduled_at": moved_to.isoformat()},
            headers={"If-Match": etag},
        ),
        200,
    )
    # The writer changes the decisions too; the minutes come back as a browser sends a
    # text area's lines, unchanged.
    typed = {**opened, "decisions": "Mitt vedtak", "minutes": "Første linje.\r\nAndre linje."}
    response = writer.post(path, typed, token_from=path)
    assert response.status_code == 409
    rows = differences(response)
    assert set(rows) == {"decisions", "scheduled_at"}
    assert (
        "Deres vedtak" in rows["decisions"] and "<strong>Mitt vedtak</strong>" in rows["decisions"]
    )
    merged = write_up_form(response)
    assert merged["decisions"] == "Mitt vedtak"
    assert merged["original_decisions"] == "Deres vedtak"
    assert merged["scheduled_at"] == merged["original_scheduled_at"] != opened["scheduled_at"]
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["decisions"] == "Deres vedtak"

    # Saved again, having seen theirs: the writer's decisions replace them; the time stays
    # the one the other person set, to the second.
    again = writer.post(path, merged, token_from=path)
    assert again.status_code == 303
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["decisions"] == "Mitt vedtak"
    assert datetime.fromisoformat(stored["scheduled_at"]) == moved_to
    assert stored["minutes"] == "Første linje.\nAndre linje."


def test_a_write_up_sent_back_unchanged_saves_nothing(world, signed_in, as_user):
    meeting = held_meeting(world, location="Kontoret")
    path = f"/office/meetings/{meeting.id}/edit"
    writer = signed_in(world.leader)
    opened = write_up_form(writer.get(path))
    etag = as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}").headers["ETag"]
    response = writer.post(path, opened, token_from=path)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/office/meetings/{meeting.id}")
    assert as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}").headers["ETag"] == etag


def test_a_refused_write_up_keeps_what_was_typed_and_stores_none_of_it(world, signed_in, as_user):
    meeting = held_meeting(world, scheduled_at=datetime.now(UTC) - timedelta(hours=2))
    path = f"/office/meetings/{meeting.id}/edit"
    writer = signed_in(world.leader)
    opened = write_up_form(writer.get(path))
    before = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    response = writer.post(
        path,
        {**opened, "decisions": "Nytt vedtak", "next_meeting_at": before},
        token_from=path,
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="next_meeting_at-error"' in html
    kept = write_up_form(response)
    assert kept["decisions"] == "Nytt vedtak" and kept["next_meeting_at"] == before
    assert kept["version"] == opened["version"]
    assert kept["original_decisions"] == opened["original_decisions"]
    stored = expect(as_user(world.leader).get(f"/api/v1/meetings/{meeting.id}"), 200)
    assert stored["decisions"] is None
    assert stored["next_meeting_at"] is None


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
    page = admin.get(path)
    assert "Internt referat" not in page.get_data(as_text=True)
    form = write_up_form(page)
    assert "minutes" not in form and "original_minutes" not in form
    response = admin.post(path, {**form, "decisions": "Ny plan"}, token_from=path)
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
