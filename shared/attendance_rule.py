"""A day's attendance from the writes made for it: the one rule, used by the server to
compute the stored record (server/services/attendance/records.py) and by the phone to lay
the writes it has not sent yet over the server's record (mobile/core/day.py), so both
show the same day.

Each write is what one client id last said (``body``: status, absence_reason,
check_in_at, check_out_at as RFC 3339 text, note) and when the user said it
(``recorded_at``):

- the earliest check-in and the latest check-out of all the writes survive;
- the status (and absence reason) of the most recently recorded write wins; writes
  recorded at the same moment go by id, not by arrival, so the same writes always give
  the same day;
- a check-out before the day's check-in is dropped (``clash``: the server refuses the
  write that would make it, and drops it when no single write made it);
- every write's note is kept, side by side, once.

The order the writes come in does not matter.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple


class Write(NamedTuple):
    """One client id's latest body, and when the user made it (any object with these
    three attributes will do, such as a database row)."""

    id: object
    body: Mapping
    recorded_at: datetime


@dataclass(frozen=True)
class Day:
    status: str
    absence_reason: str | None
    status_recorded_at: datetime  # when the winning status was recorded
    check_in_at: datetime | None
    check_out_at: datetime | None
    note: str | None
    clash: bool  # the latest check-out was before the earliest check-in: it is dropped


def _moment(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def combine(writes: Iterable) -> Day:
    """The day the writes make together (at least one write)."""
    ordered = sorted(writes, key=lambda write: (write.recorded_at, str(write.id)))
    if not ordered:
        raise ValueError("a day is made of one write at least")
    check_ins = [_moment(w.body["check_in_at"]) for w in ordered if w.body.get("check_in_at")]
    check_outs = [_moment(w.body["check_out_at"]) for w in ordered if w.body.get("check_out_at")]
    check_in, check_out = min(check_ins, default=None), max(check_outs, default=None)
    clash = check_in is not None and check_out is not None and check_out < check_in
    newest = ordered[-1]
    notes = dict.fromkeys(w.body["note"] for w in ordered if w.body.get("note"))
    return Day(
        status=newest.body["status"],
        absence_reason=newest.body.get("absence_reason") or None,
        status_recorded_at=newest.recorded_at,
        check_in_at=check_in,
        check_out_at=None if clash else check_out,
        note="\n".join(notes) or None,
        clash=clash,
    )
