"""A participant's attendance in the office: the month as a calendar with its figures, and
a day with its history and the correction form."""

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from server import clock
from server.database import db
from server.models import Attendance, ChangeRecord, Leave
from shared.vocab import AbsenceReason, AttendanceStatus
from tests import factories
from tests.server.office.conftest import nb


def month_path(participant, month: str | None = None) -> str:
    path = f"/office/participants/{participant.id}/attendance"
    return f"{path}?month={month}" if month else path


def day_path(participant, day: date) -> str:
    return f"/office/participants/{participant.id}/attendance/{day.isoformat()}"


def record_of(participant, day: date) -> Attendance | None:
    db.session.expire_all()
    return db.session.scalars(
        select(Attendance).where(
            Attendance.participant_id == participant.id, Attendance.date == day
        )
    ).first()


def cell(page: str, day: date) -> str:
    found = re.search(rf'<td id="day-{day.isoformat()}"(.*?)</td>', page, re.S)
    assert found, f"no cell for {day}"
    return found.group(0)


def version_on(page: str) -> str:
    """The version of the day's record the correction form was opened on."""
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "no version in the correction form"
    return found.group(1)


def note_box(page: str) -> str:
    found = re.search(r'<textarea id="note" name="note"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, "no note box"
    return html.unescape(found.group(1))


def correct(browser, participant, day: date, fields: dict):
    """The day's form opened and sent with ``fields``, as a browser would."""
    page = browser.get(day_path(participant, day)).get_data(as_text=True)
    return browser.post(
        day_path(participant, day),
        {"version": version_on(page), **fields},
        token_from=day_path(participant, day),
    )


@pytest.fixture
def leader(signed_in, world):
    return signed_in(world.leader)


# The participants' time zone (the factories' departments): Europe/Oslo.
def today() -> date:
    return clock.local_today("Europe/Oslo")


def last_weekday_before(day: date, weekday: int) -> date:
    """The latest ``weekday`` (1 = Monday) before ``day``."""
    back = (day.isoweekday() - weekday) % 7 or 7
    return day - timedelta(days=back)


def test_the_month_shows_each_day_with_code_and_text_and_the_figures(leader, world):
    participant = world.participant_a1
    # March 2026: Monday 2nd present, Tuesday 3rd sick, Wednesday 4th nothing; the plan
    # expects Monday to Friday.
    factories.AttendanceFactory(participant=participant, author=world.leader, date=date(2026, 3, 2))
    factories.AttendanceFactory(
        participant=participant,
        author=world.leader,
        date=date(2026, 3, 3),
        status=AttendanceStatus.ABSENT,
        absence_reason=AbsenceReason.SICK,
    )
    db.session.add(
        Leave(
            participant_id=participant.id,
            first_day=date(2026, 3, 9),
            last_day=date(2026, 3, 9),
            created_by_id=world.leader.id,
        )
    )
    db.session.commit()
    answer = leader.get(month_path(participant, "2026-03"))
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert page.count("<h1") == 1
    assert 'data-entry="present"' in cell(page, date(2026, 3, 2))
    assert 'data-entry="sick"' in cell(page, date(2026, 3, 3))
    assert 'data-entry="unregistered"' in cell(page, date(2026, 3, 4))
    assert 'data-entry="leave"' in cell(page, date(2026, 3, 9))
    saturday = cell(page, date(2026, 3, 7))
    assert "weekend" in saturday and 'data-entry="not_expected"' in saturday
    # Each state as a code and as text.
    present = nb("P")
    assert f'<span class="day-code" aria-hidden="true">{present}</span>' in cell(
        page, date(2026, 3, 2)
    )
    assert f'<span class="day-text">{nb("Sick")}</span>' in cell(page, date(2026, 3, 3))
    # The month's figures: 22 weekdays, one of them on leave.
    figures = page[page.index('id="figures-heading"') : page.index("</section>")]
    numbers = re.findall(r'<span class="figure">([^<]+)</span>', figures)
    assert numbers[:3] == ["21", "1", "19"]
    assert numbers[3].startswith("5")
    # Navigation to the months around.
    assert month_path(participant, "2026-02").replace("?", "?") in page
    assert month_path(participant, "2026-04") in page


def test_holidays_are_marked_and_not_expected(leader, world):
    participant = world.participant_a1
    page = leader.get(month_path(participant, "2026-05")).get_data(as_text=True)
    may_day = cell(page, date(2026, 5, 1))  # a Friday, the Norwegian Labour Day
    assert "holiday" in may_day
    assert 'data-entry="not_expected"' in may_day
    assert "day-holiday" in may_day


def test_without_a_month_the_current_one_shows(leader, world):
    page = leader.get(month_path(world.participant_a1)).get_data(as_text=True)
    assert f'id="day-{today().isoformat()}"' in page


def test_another_department_s_participant_is_not_found(leader, world):
    for participant in (world.participant_a2, world.participant_b1):
        assert leader.get(month_path(participant)).status_code == 404
        assert leader.get(day_path(participant, date(2026, 3, 2))).status_code == 404
        answer = leader.post(
            day_path(participant, date(2026, 3, 2)),
            {"status": "present"},
            token_from=month_path(world.participant_a1),
        )
        assert answer.status_code == 404
    assert record_of(world.participant_a2, date(2026, 3, 2)) is None


def test_a_day_is_marked_absent_and_shows_in_the_month_with_its_history(leader, world):
    participant = world.participant_a1
    day = last_weekday_before(today(), 2)
    # The phone checked the participant in at 09:05.
    factories.AttendanceFactory(
        participant=participant,
        author=world.facilitator,
        date=day,
        check_in_at=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=8, minutes=5),
    )
    page = leader.get(day_path(participant, day)).get_data(as_text=True)
    assert "Nothing is registered" not in page
    answer = leader.post(
        day_path(participant, day),
        {
            "version": version_on(page),
            "status": "absent",
            "absence_reason": "sick",
            "check_in": "",
            "check_out": "",
            "note": "Ringte kl 8",
        },
        token_from=day_path(participant, day),
    )
    assert answer.status_code == 303
    assert answer.headers["Location"] == (
        f"{month_path(participant, day.strftime('%Y-%m'))}#day-{day.isoformat()}"
    )
    record = record_of(participant, day)
    assert record.status == AttendanceStatus.ABSENT
    assert record.absence_reason == AbsenceReason.SICK
    assert "Ringte kl 8" in record.note
    changes = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity_id == record.id)
    ).all()
    assert [change.changes["status"] for change in changes] == [["present", "absent"]]

    month = leader.get(month_path(participant, day.strftime("%Y-%m"))).get_data(as_text=True)
    assert 'data-entry="sick"' in cell(month, day)
    history = leader.get(day_path(participant, day)).get_data(as_text=True)
    section = history[history.index('id="history-heading"') : history.index('id="correct-heading"')]
    assert world.leader.full_name in section
    assert all(nb(word) in section for word in ("Present", "Absent", "Sick"))


def test_a_second_correction_by_the_same_person_replaces_the_first(leader, world):
    participant = world.participant_a1
    day = last_weekday_before(today(), 3)
    for reason in ("sick", "appointment"):
        answer = correct(
            leader,
            participant,
            day,
            {"status": "absent", "absence_reason": reason, "note": f"Notat {reason}"},
        )
        assert answer.status_code == 303
    record = record_of(participant, day)
    assert record.absence_reason == AbsenceReason.APPOINTMENT
    assert record.note == "Notat appointment"
    # The note box holds the person's own note, so saving again keeps it.
    page = leader.get(day_path(participant, day)).get_data(as_text=True)
    assert note_box(page) == "Notat appointment"


def test_two_staff_members_keep_each_other_s_note(leader, signed_in, world):
    participant = world.participant_a1
    day = last_weekday_before(today(), 3)
    admin = signed_in(world.admin)
    answer = correct(
        leader, participant, day, {"status": "absent", "absence_reason": "sick", "note": "Ringte"}
    )
    assert answer.status_code == 303
    # The admin's note box is the admin's own: empty, the leader's note shown as recorded.
    page = admin.get(day_path(participant, day)).get_data(as_text=True)
    assert note_box(page) == ""
    assert "Ringte" in page[page.index('id="record-heading"') : page.index('id="history-heading"')]

    answer = correct(
        admin, participant, day, {"status": "absent", "absence_reason": "appointment", "note": ""}
    )
    assert answer.status_code == 303
    record = record_of(participant, day)
    assert record.absence_reason == AbsenceReason.APPOINTMENT
    assert record.note == "Ringte"
    assert note_box(leader.get(day_path(participant, day)).get_data(as_text=True)) == "Ringte"

    answer = correct(
        admin,
        participant,
        day,
        {"status": "absent", "absence_reason": "appointment", "note": "Time hos fastlege"},
    )
    assert answer.status_code == 303
    assert record_of(participant, day).note.split("\n") == ["Ringte", "Time hos fastlege"]
    # Each one's own note in their own box.
    assert note_box(admin.get(day_path(participant, day)).get_data(as_text=True)) == (
        "Time hos fastlege"
    )
    assert note_box(leader.get(day_path(participant, day)).get_data(as_text=True)) == "Ringte"


def test_a_day_changed_after_the_form_was_opened_is_not_overwritten(leader, signed_in, world):
    participant = world.participant_a1
    day = last_weekday_before(today(), 2)
    admin = signed_in(world.admin)
    admins_page = admin.get(day_path(participant, day)).get_data(as_text=True)
    assert version_on(admins_page) == "0"
    answer = correct(
        leader, participant, day, {"status": "absent", "absence_reason": "sick", "note": "Ringte"}
    )
    assert answer.status_code == 303

    # The admin saves the form opened before the leader's correction.
    typed = {"status": "absent", "absence_reason": "appointment", "note": "Legetime"}
    answer = admin.post(
        day_path(participant, day),
        {"version": version_on(admins_page), **typed},
        token_from=day_path(participant, day),
    )
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    # What is stored now, in the message at the top.
    message = page[
        page.index('class="error-summary day-changed"') : page.index('id="record-heading"')
    ]
    assert "Ringte" in message and nb("Sick") in message
    # What the admin typed, kept, with the form now at the stored version.
    assert note_box(page) == "Legetime"
    assert '<option value="appointment" selected>' in page
    assert version_on(page) == "1"
    record = record_of(participant, day)
    assert (record.absence_reason, record.note, record.version) == (AbsenceReason.SICK, "Ringte", 1)

    # Saved again from the form shown, knowing what is stored: the admin's choice joins it.
    answer = admin.post(
        day_path(participant, day),
        {"version": version_on(page), **typed},
        token_from=day_path(participant, day),
    )
    assert answer.status_code == 303
    record = record_of(participant, day)
    assert record.absence_reason == AbsenceReason.APPOINTMENT
    assert record.note.split("\n") == ["Ringte", "Legetime"]


def test_a_phone_s_check_in_after_the_form_was_opened_is_not_overwritten(leader, world):
    participant = world.participant_a1
    day = last_weekday_before(today(), 5)
    page = leader.get(day_path(participant, day)).get_data(as_text=True)
    assert version_on(page) == "0"
    factories.AttendanceFactory(
        participant=participant,
        author=world.facilitator,
        date=day,
        check_in_at=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=8),
    )
    answer = leader.post(
        day_path(participant, day),
        {"version": version_on(page), "status": "absent", "absence_reason": "sick"},
        token_from=day_path(participant, day),
    )
    assert answer.status_code == 409
    assert record_of(participant, day).status == AttendanceStatus.PRESENT


def test_present_with_times_in_local_time(leader, world):
    participant = world.participant_a1
    day = last_weekday_before(today(), 4)
    answer = correct(
        leader,
        participant,
        day,
        {"status": "present", "absence_reason": "", "check_in": "08:30", "check_out": "14:15"},
    )
    assert answer.status_code == 303
    record = record_of(participant, day)
    assert record.status == AttendanceStatus.PRESENT
    assert clock.local_date(record.check_in_at, "Europe/Oslo") == day
    page = leader.get(day_path(participant, day)).get_data(as_text=True)
    assert 'value="08:30"' in page and 'value="14:15"' in page


def test_a_refused_correction_keeps_what_was_typed(leader, world):
    participant = world.participant_a1
    day = last_weekday_before(today(), 1)
    answer = leader.post(
        day_path(participant, day),
        {"status": "absent", "absence_reason": "", "check_in": "", "note": "Uten grunn"},
        token_from=day_path(participant, day),
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="absence_reason-error"' in page
    assert "Uten grunn" in page
    assert record_of(participant, day) is None

    answer = leader.post(
        day_path(participant, day),
        {"status": "present", "check_in": "14:00", "check_out": "09:00"},
        token_from=day_path(participant, day),
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="check_out-error"' in page
    assert 'value="14:00"' in page


def test_the_form_keeps_the_api_s_rules(leader, world):
    participant = world.participant_a1
    day = last_weekday_before(today(), 1)
    answer = correct(
        leader, participant, day, {"status": "late", "absence_reason": "", "note": "x" * 2001}
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="status-error"' in page and 'id="note-error"' in page
    assert record_of(participant, day) is None


def test_a_future_day_is_refused_as_the_service_refuses_it(leader, world):
    participant = world.participant_a1
    tomorrow = today() + timedelta(days=1)
    page = leader.get(day_path(participant, tomorrow)).get_data(as_text=True)
    assert 'class="day-form"' not in page
    answer = leader.post(
        day_path(participant, tomorrow),
        {"status": "present"},
        token_from=day_path(participant, today()),
    )
    assert answer.status_code == 422
    assert 'href="#date"' in answer.get_data(as_text=True)
    assert record_of(participant, tomorrow) is None


def test_a_day_that_is_not_a_date_is_not_found(leader, world):
    assert leader.get(f"{month_path(world.participant_a1)}/2026-02-30").status_code == 404


def test_a_month_that_is_no_month_shows_the_current_one(leader, world):
    for month in ("0001-01", "2026-13", "soon"):
        page = leader.get(month_path(world.participant_a1, month))
        assert page.status_code == 200
        assert f'id="day-{today().isoformat()}"' in page.get_data(as_text=True)
