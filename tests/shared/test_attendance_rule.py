"""The one attendance rule, as the server stores a day and the phone shows it."""

import itertools
from datetime import UTC, datetime

import pytest

from shared.attendance_rule import Write, combine


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, 15, hour, minute, tzinfo=UTC)


def text(hour: int, minute: int = 0) -> str:
    return at(hour, minute).isoformat()


CHECK_IN = Write("a", {"status": "present", "check_in_at": text(8, 5)}, at(8, 5))
LATE_CHECK_IN = Write("b", {"status": "present", "check_in_at": text(9)}, at(9))
CHECK_OUT = Write("c", {"status": "present", "check_out_at": text(15)}, at(15))
ABSENT = Write("d", {"status": "absent", "absence_reason": "sick", "note": "Ringte"}, at(7))


def test_the_earliest_check_in_the_latest_check_out_and_the_newest_status():
    day = combine([CHECK_OUT, ABSENT, LATE_CHECK_IN, CHECK_IN])
    assert (day.check_in_at, day.check_out_at) == (at(8, 5), at(15))
    assert (day.status, day.absence_reason, day.status_recorded_at) == ("present", None, at(15))
    assert day.note == "Ringte" and not day.clash
    absent_later = ABSENT._replace(recorded_at=at(16))
    day = combine([CHECK_IN, CHECK_OUT, absent_later])
    assert (day.status, day.absence_reason) == ("absent", "sick")
    assert day.check_in_at == at(8, 5)  # the times stay with the status that won


def test_the_order_the_writes_arrive_in_does_not_matter():
    writes = [CHECK_IN, LATE_CHECK_IN, CHECK_OUT, ABSENT]
    days = {combine(order) for order in itertools.permutations(writes)}
    assert len(days) == 1


def test_writes_recorded_at_the_same_moment_go_by_id():
    present = Write("b-id", {"status": "present", "check_in_at": text(9)}, at(9))
    absent = Write("a-id", {"status": "absent", "absence_reason": "sick"}, at(9))
    assert combine([present, absent]).status == "present"  # "b-id" sorts last
    assert combine([absent, present]).status == "present"
    assert combine([present._replace(id="0-id"), absent]).status == "absent"


def test_a_check_out_before_the_days_check_in_is_dropped():
    early_out = Write("e", {"status": "present", "check_out_at": text(7)}, at(7))
    day = combine([CHECK_IN, early_out])
    assert day.clash and day.check_in_at == at(8, 5) and day.check_out_at is None
    assert not combine([early_out]).clash


def test_notes_are_kept_side_by_side_once_each():
    other = Write("f", {"status": "present", "note": "Kom med buss"}, at(10))
    again = Write("g", {"status": "present", "note": "Ringte"}, at(11))
    assert combine([ABSENT, other, again]).note == "Ringte\nKom med buss"


def test_times_may_be_text_or_datetimes_and_a_day_needs_a_write():
    as_datetime = CHECK_IN._replace(body={"status": "present", "check_in_at": at(8, 5)})
    assert combine([as_datetime]) == combine([CHECK_IN])
    with pytest.raises(ValueError):
        combine([])
