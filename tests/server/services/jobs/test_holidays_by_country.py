"""The dispatcher makes each department's calls by its organisation's public holidays."""

import time_machine
from sqlalchemy import select

from server.database import db
from server.models import Message, WakeupCall
from server.services.jobs.dispatch import dispatch
from tests.countries import (
    DANISH_HOLIDAY,
    NORWEGIAN_HOLIDAY,
    danish_workshop,
    local,
    wake_up_at_seven,
)


def called_and_notified(day) -> tuple[set, set]:
    """Whose calls the dispatcher made on ``day``, and whose due calls it queued notices for."""
    calls = set(db.session.scalars(select(WakeupCall.participant_id).where(WakeupCall.date == day)))
    noticed = set(
        db.session.scalars(
            select(Message.participant_id)
            .join(WakeupCall, WakeupCall.id == Message.call_id)
            .where(Message.kind == "call_due", WakeupCall.date == day)
        )
    )
    return calls, noticed


def test_each_department_by_its_own_countrys_holidays(world):
    workshop = danish_workshop()
    wake_up_at_seven(world.participant_a1, world.admin)
    wake_up_at_seven(workshop.citizen, workshop.admin)
    norwegian, danish = world.participant_a1.id, workshop.citizen.id

    with time_machine.travel(local(DANISH_HOLIDAY, 7, 5), tick=False):
        dispatch("one")
        assert called_and_notified(DANISH_HOLIDAY) == ({norwegian}, {norwegian})

    with time_machine.travel(local(NORWEGIAN_HOLIDAY, 7, 5), tick=False):
        dispatch("one")
        assert called_and_notified(NORWEGIAN_HOLIDAY) == ({danish}, {danish})
