"""The attendance list as a screen shows it: each record with its participant's name."""

from dataclasses import dataclass

from server.models import Attendance
from server.services.attendance.records import list_records
from server.services.common import names
from server.services.common.actor import Actor
from server.services.common.names import ParticipantName
from server.services.storage.paging import Window


@dataclass(frozen=True)
class Listed:
    record: Attendance
    participant: ParticipantName


def list_named(actor: Actor, filters: dict, window: Window) -> tuple[list[Listed], int]:
    """``list_records``' page (read, scoped and logged there), each record with whom it is
    about: one query more, whatever the page's length."""
    records, total = list_records(actor, filters, window)
    by_id = names.participant_names(record.participant_id for record in records)
    return [Listed(record, by_id[record.participant_id]) for record in records], total
