"""The plan pages: the plan in force, the editor that makes a new version, a goal's
progress, two versions side by side."""

import html
import re
from datetime import time

import pytest
from sqlalchemy import select

from server.database import db
from server.models import AccessLogEntry, Plan
from shared.vocab import GoalStatus
from tests import factories
from tests.server.office.conftest import nb


def plan_path(participant, tail: str = "") -> str:
    return f"/office/participants/{participant.id}/plan{tail}"


def versions_of(participant) -> list[Plan]:
    """The participant's stored plan versions, newest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Plan).where(Plan.participant_id == participant.id).order_by(Plan.version.desc())
        )
    )


def editor_form(page: str) -> dict:
    """The editor's boxes as the browser would send them untouched: every text box,
    hidden box and chosen option, and the ticked checkboxes."""
    fields: dict = {}

    def add(name, value):
        fields.setdefault(name, []).append(html.unescape(value))

    form = page[page.index('class="plan-editor"') :]
    for tag in re.finditer(r"<input[^>]*>", form):
        text = tag.group(0)
        name = re.search(r'name="([^"]+)"', text)
        if not name or name.group(1) == "csrf_token":
            continue
        value = re.search(r'value="([^"]*)"', text)
        kind = re.search(r'type="([^"]+)"', text).group(1)
        if kind == "checkbox" and " checked" not in text:
            continue
        add(name.group(1), value.group(1) if value else "")
    for box in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', box.group(2))
        first = re.search(r'<option value="([^"]*)"', box.group(2))
        add(box.group(1), (chosen or first).group(1))
    for area in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        add(area.group(1), area.group(2))
    return fields


@pytest.fixture
def leader(signed_in, world):
    return signed_in(world.leader)


def test_the_plan_in_force_shows_goals_areas_schedule_and_who_made_it(leader, world):
    page = leader.get(plan_path(world.participant_a1))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.count("<h1") == 1
    assert "Mål 1" in text
    assert "kjøkken" in text
    assert "09:00" in text and "14:00" in text
    assert world.admin.full_name in text
    assert f'href="{plan_path(world.participant_a1, "/edit")}"' in text
    assert f'href="{plan_path(world.participant_a1, "/versions")}"' in text


def test_a_participant_of_another_department_or_organisation_is_not_found(leader, world):
    for participant in (world.participant_a2, world.participant_b1):
        for tail in ("", "/edit", "/versions"):
            assert leader.get(plan_path(participant, tail)).status_code == 404


def test_a_facilitator_reads_the_plan_but_may_not_open_the_editor(signed_in, world):
    facilitator = signed_in(world.facilitator)
    page = facilitator.get(plan_path(world.participant_a1))
    assert page.status_code == 200
    assert plan_path(world.participant_a1, "/edit") not in page.get_data(as_text=True)
    assert facilitator.get(plan_path(world.participant_a1, "/edit")).status_code == 403


def test_the_editor_makes_a_new_version_with_goals_areas_and_schedule(leader, world):
    participant = world.participant_a1
    editor = leader.get(plan_path(participant, "/edit"))
    assert editor.status_code == 200
    form = editor_form(editor.get_data(as_text=True))
    first_goal = versions_of(participant)[0].plan_goals[0]
    assert form["goals-0-id"] == [str(first_goal.goal_id)]
    form["goals-0-title"] = ["Møte presis"]
    form["goals-0-status"] = ["in_progress"]
    form["goals-1-title"] = ["Lage lunsj"]
    form["goals-1-description"] = ["To ganger i uka"]
    form["work_areas"] = ["kjøkken", "", "vaskeri", ""]
    # Monday 08:30-12:00, Wednesday emptied, the rest as they were.
    form["schedule-0-start"], form["schedule-0-end"] = ["08:30"], ["12:00"]
    form["schedule-2-start"], form["schedule-2-end"] = [""], [""]
    form["review_date"] = ["2027-06-01"]
    answer = leader.post(
        plan_path(participant, "/edit"), form, token_from=plan_path(participant, "/edit")
    )
    assert answer.status_code == 303
    assert answer.headers["Location"] == plan_path(participant)

    latest = versions_of(participant)[0]
    assert latest.version == 2
    assert [(g.title, g.goal.status) for g in latest.plan_goals] == [
        ("Møte presis", GoalStatus.IN_PROGRESS),
        ("Lage lunsj", GoalStatus.NOT_STARTED),
    ]
    assert latest.plan_goals[0].goal_id == first_goal.goal_id
    assert latest.plan_goals[1].description == "To ganger i uka"
    assert latest.work_areas == ["kjøkken", "vaskeri"]
    assert [(s.weekday, s.start_time, s.end_time) for s in latest.schedule] == [
        (1, time(8, 30), time(12)),
        (2, time(9), time(14)),
        (4, time(9), time(14)),
        (5, time(9), time(14)),
    ]
    shown = leader.get(plan_path(participant)).get_data(as_text=True)
    assert "Møte presis" in shown and "Lage lunsj" in shown and "vaskeri" in shown
    assert "08:30" in shown


def test_a_goal_left_out_is_not_in_the_new_version(leader, world):
    participant = world.participant_a1
    form = editor_form(leader.get(plan_path(participant, "/edit")).get_data(as_text=True))
    form["goals-0-remove"] = ["true"]
    form["goals-1-title"] = ["Et nytt mål"]
    answer = leader.post(
        plan_path(participant, "/edit"), form, token_from=plan_path(participant, "/edit")
    )
    assert answer.status_code == 303
    assert [g.title for g in versions_of(participant)[0].plan_goals] == ["Et nytt mål"]


def test_a_refused_plan_keeps_everything_typed_and_puts_errors_beside_the_boxes(leader, world):
    participant = world.participant_a1
    before = len(versions_of(participant))
    form = editor_form(leader.get(plan_path(participant, "/edit")).get_data(as_text=True))
    form["goals-0-title"] = [""]  # an existing goal emptied: its title is required
    form["goals-2-title"] = ["Skrive CV"]
    form["goals-2-due_date"] = ["not a date"]
    form["schedule-3-start"], form["schedule-3-end"] = ["10:00"], [""]
    form["work_areas"] = ["kjøkken", "snekkerverksted"]
    answer = leader.post(
        plan_path(participant, "/edit"), form, token_from=plan_path(participant, "/edit")
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert len(versions_of(participant)) == before
    assert 'id="error-summary"' in page
    assert 'id="goals-0-title-error"' in page
    assert 'id="goals-2-due_date-error"' in page
    assert 'id="schedule-3-end-error"' in page
    # Typed values kept.
    assert 'value="Skrive CV"' in page
    assert 'value="not a date"' in page
    assert 'name="work_areas" value="snekkerverksted" checked' in page
    assert 'id="schedule-3-start" name="schedule-3-start" value="10:00"' in page


def test_the_service_s_schedule_rules_land_beside_the_row(leader, world):
    participant = world.participant_a1
    form = editor_form(leader.get(plan_path(participant, "/edit")).get_data(as_text=True))
    form["schedule-0-start"], form["schedule-0-end"] = ["12:00"], ["10:00"]
    answer = leader.post(
        plan_path(participant, "/edit"), form, token_from=plan_path(participant, "/edit")
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="schedule-0-end-error"' in page
    assert 'value="12:00"' in page


def test_a_version_saved_meanwhile_is_not_overwritten(leader, signed_in, world):
    participant = world.participant_a1
    mine = editor_form(leader.get(plan_path(participant, "/edit")).get_data(as_text=True))
    other = signed_in(world.admin)
    theirs = editor_form(other.get(plan_path(participant, "/edit")).get_data(as_text=True))
    theirs["goals-1-title"] = ["Admin's goal"]
    saved = other.post(
        plan_path(participant, "/edit"), theirs, token_from=plan_path(participant, "/edit")
    )
    assert saved.status_code == 303

    mine["goals-1-title"] = ["Leader's goal"]
    answer = leader.post(
        plan_path(participant, "/edit"), mine, token_from=plan_path(participant, "/edit")
    )
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert 'value="Leader&#39;s goal"' in page or 'value="Leader\'s goal"' in page
    assert 'name="based_on" value="2"' in page
    assert [p.version for p in versions_of(participant)] == [2, 1]

    # Saved again from the form shown, on purpose: a version on top of the other.
    again = editor_form(page)
    answer = leader.post(
        plan_path(participant, "/edit"), again, token_from=plan_path(participant, "/edit")
    )
    assert answer.status_code == 303
    assert [g.title for g in versions_of(participant)[0].plan_goals][-1] == "Leader's goal"


def test_a_first_plan_is_written_in_the_editor(leader, world):
    participant = factories.ParticipantFactory(department=world.dept_a1)
    assert nb("The participant has no plan yet.") in leader.get(plan_path(participant)).get_data(
        as_text=True
    )
    form = editor_form(leader.get(plan_path(participant, "/edit")).get_data(as_text=True))
    assert form["based_on"] == ["0"]
    form["goals-0-title"] = ["Første mål"]
    form["schedule-4-start"], form["schedule-4-end"] = ["10:00"], ["13:00"]
    answer = leader.post(
        plan_path(participant, "/edit"), form, token_from=plan_path(participant, "/edit")
    )
    assert answer.status_code == 303
    plan = versions_of(participant)[0]
    assert plan.version == 1
    assert [(s.weekday, s.start_time) for s in plan.schedule] == [(5, time(10))]


def test_a_goal_s_progress_is_kept_as_its_history(signed_in, world):
    facilitator = signed_in(world.facilitator)
    participant = world.participant_a1
    goal_id = versions_of(participant)[0].plan_goals[0].goal_id
    path = plan_path(participant, f"/goals/{goal_id}")
    answer = facilitator.post(
        path,
        {
            "original_status": "not_started",
            "status": "in_progress",
            "progress_note": "Kom presis hele uka",
        },
        token_from=plan_path(participant),
    )
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"#goal-{goal_id}")
    plan = versions_of(participant)[0]
    assert plan.plan_goals[0].goal.status == GoalStatus.IN_PROGRESS
    assert [u.progress_note for u in plan.plan_goals[0].goal.updates] == ["Kom presis hele uka"]
    page = facilitator.get(plan_path(participant)).get_data(as_text=True)
    assert "Kom presis hele uka" in page
    assert world.facilitator.full_name in page


def test_a_refused_goal_update_keeps_the_note(leader, world):
    participant = world.participant_a1
    goal_id = versions_of(participant)[0].plan_goals[0].goal_id
    answer = leader.post(
        plan_path(participant, f"/goals/{goal_id}"),
        {"original_status": "not_started", "status": "nonsense", "progress_note": "Skrevet notat"},
        token_from=plan_path(participant),
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Skrevet notat" in page
    assert f'href="#goal-{goal_id}-status"' in page
    assert [u.progress_note for u in versions_of(participant)[0].plan_goals[0].goal.updates] == []


def goal_form(page: str, goal_id) -> dict:
    """A goal's form as the browser would send it untouched."""
    start = page.index(f'id="goal-{goal_id}"')
    form = page[page.index('class="goal-update"', start) : page.index("</form>", start)]
    original = re.search(r'name="original_status" value="([^"]*)"', form).group(1)
    status = re.search(r'<option value="([^"]*)" selected', form).group(1)
    note = re.search(r"<textarea[^>]*>(.*?)</textarea>", form, re.S).group(1)
    return {"original_status": original, "status": status, "progress_note": html.unescape(note)}


def test_a_progress_note_leaves_a_status_changed_meanwhile_alone(leader, signed_in, world):
    participant = world.participant_a1
    goal_id = versions_of(participant)[0].plan_goals[0].goal_id
    path = plan_path(participant, f"/goals/{goal_id}")
    admin = signed_in(world.admin)
    mine = goal_form(leader.get(plan_path(participant)).get_data(as_text=True), goal_id)
    assert mine["status"] == mine["original_status"] == "not_started"
    theirs = goal_form(admin.get(plan_path(participant)).get_data(as_text=True), goal_id)
    answer = admin.post(path, {**theirs, "status": "achieved"}, token_from=plan_path(participant))
    assert answer.status_code == 303

    # The leader writes a note in the form opened before, the status untouched.
    answer = leader.post(
        path, {**mine, "progress_note": "Godt møte i dag"}, token_from=plan_path(participant)
    )
    assert answer.status_code == 303
    goal = versions_of(participant)[0].plan_goals[0].goal
    assert goal.status == GoalStatus.ACHIEVED
    assert [(u.status, u.progress_note) for u in goal.updates] == [
        (GoalStatus.ACHIEVED, None),
        (GoalStatus.ACHIEVED, "Godt møte i dag"),
    ]


def test_a_status_changed_meanwhile_is_not_overwritten(leader, signed_in, world):
    participant = world.participant_a1
    goal_id = versions_of(participant)[0].plan_goals[0].goal_id
    path = plan_path(participant, f"/goals/{goal_id}")
    admin = signed_in(world.admin)
    mine = goal_form(leader.get(plan_path(participant)).get_data(as_text=True), goal_id)
    theirs = goal_form(admin.get(plan_path(participant)).get_data(as_text=True), goal_id)
    answer = admin.post(path, {**theirs, "status": "achieved"}, token_from=plan_path(participant))
    assert answer.status_code == 303

    typed = {**mine, "status": "in_progress", "progress_note": "Trenger mer tid"}
    answer = leader.post(path, typed, token_from=plan_path(participant))
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    summary = page[
        page.index('id="error-summary"') : page.index("</div>", page.index('id="error-summary"'))
    ]
    assert nb("Achieved") in summary
    assert f'href="#goal-{goal_id}-status"' in summary
    # What the leader typed is kept; the form now starts from the status stored now.
    again = goal_form(page, goal_id)
    assert again == {**typed, "original_status": "achieved"}
    goal = versions_of(participant)[0].plan_goals[0].goal
    assert goal.status == GoalStatus.ACHIEVED
    assert [u.progress_note for u in goal.updates] == [None]

    # Saved again from the form shown, on purpose.
    answer = leader.post(path, again, token_from=plan_path(participant))
    assert answer.status_code == 303
    goal = versions_of(participant)[0].plan_goals[0].goal
    assert goal.status == GoalStatus.IN_PROGRESS
    assert [u.progress_note for u in goal.updates] == [None, "Trenger mer tid"]


def test_a_goal_form_with_nothing_changed_saves_nothing(leader, world):
    participant = world.participant_a1
    goal_id = versions_of(participant)[0].plan_goals[0].goal_id
    form = goal_form(leader.get(plan_path(participant)).get_data(as_text=True), goal_id)
    answer = leader.post(
        plan_path(participant, f"/goals/{goal_id}"), form, token_from=plan_path(participant)
    )
    assert answer.status_code == 422
    assert f'href="#goal-{goal_id}-progress_note"' in answer.get_data(as_text=True)
    assert versions_of(participant)[0].plan_goals[0].goal.updates == []


def test_versions_side_by_side_mark_what_changed(leader, world):
    participant = world.participant_a1
    form = editor_form(leader.get(plan_path(participant, "/edit")).get_data(as_text=True))
    form["goals-1-title"] = ["Nytt mål"]
    form["work_areas"] = ["vaskeri"]
    form["schedule-0-start"] = ["10:00"]
    leader.post(plan_path(participant, "/edit"), form, token_from=plan_path(participant, "/edit"))

    page = leader.get(plan_path(participant, "/versions")).get_data(as_text=True)
    assert 'class="side-by-side"' in page
    assert '<option value="1" selected>' in page and '<option value="2" selected>' in page
    assert "<ins>Nytt mål</ins>" in page
    assert "<del>kjøkken</del>" in page and "<ins>vaskeri</ins>" in page
    assert "<del>09:00–14:00</del>" in page and "<ins>10:00–14:00</ins>" in page

    same = leader.get(plan_path(participant, "/versions?a=2&b=2")).get_data(as_text=True)
    assert "<ins>" not in same and "<del>" not in same


def test_reading_the_plan_is_logged_once_per_page(leader, world):
    participant = world.participant_a1
    before = db.session.query(AccessLogEntry).filter_by(participant_id=participant.id).count()
    leader.get(plan_path(participant))
    after = db.session.query(AccessLogEntry).filter_by(participant_id=participant.id).count()
    assert after == before + 1


def test_a_version_that_starts_later_is_announced_and_edited_from(leader, world):
    participant = world.participant_a1
    form = editor_form(leader.get(plan_path(participant, "/edit")).get_data(as_text=True))
    form["valid_from"] = ["2099-01-01"]
    form["goals-1-title"] = ["Et mål for senere"]
    answer = leader.post(
        plan_path(participant, "/edit"), form, token_from=plan_path(participant, "/edit")
    )
    assert answer.status_code == 303
    page = leader.get(plan_path(participant)).get_data(as_text=True)
    assert nb("Plan, version %(version)d") % {"version": 1} in page
    assert 'class="notice"' in page
    assert f"{plan_path(participant, '/versions')}?a=1&amp;b=2" in page
    editor = leader.get(plan_path(participant, "/edit")).get_data(as_text=True)
    assert 'value="Et mål for senere"' in editor
    assert 'name="based_on" value="2"' in editor


def test_versions_mark_a_changed_due_date(leader, world):
    participant = world.participant_a1
    form = editor_form(leader.get(plan_path(participant, "/edit")).get_data(as_text=True))
    form["goals-0-due_date"] = ["2026-12-21"]
    leader.post(plan_path(participant, "/edit"), form, token_from=plan_path(participant, "/edit"))
    page = leader.get(plan_path(participant, "/versions")).get_data(as_text=True)
    assert re.search(r"<ins>[^<]*2026</ins>", page)
    assert 'class="changed"' in page
