"""Follow-ups and action items, written from the phone through the outbox: a follow-up
(conversation, phone call, home visit ...) with its time, duration and note
(``PUT /followups/{id}``), and an action item of a responsibility-group meeting ticked off
or opened again (``PATCH /meetings/{meeting}/actions/{action}``). A follow-up's note is
never kept on the phone: it is fetched when the user opens that follow-up (``read``)."""

from datetime import datetime

from mobile.core.client import Client
from mobile.core.clock import Clock
from mobile.core.day import Day
from mobile.core.outbox import Entry, Kind, Outbox
from mobile.core.session import Session
from shared.vocab import FollowUpKind


class FollowUps:
    def __init__(self, session: Session, day: Day, outbox: Outbox, clock: Clock, client: Client):
        self.session = session
        self.client = client
        self.day = day
        self.outbox = outbox
        self.clock = clock

    def log(
        self,
        participant_id: str,
        kind: FollowUpKind | str,
        occurred_at: datetime | None = None,
        duration_minutes: int | None = None,
        note: str | None = None,
    ) -> Entry:
        """Queue a follow-up (``occurred_at``: now by default; a time with its offset)."""
        self.session.check_unlocked()
        kind = FollowUpKind(kind)
        occurred_at = occurred_at or self.clock.now()
        if occurred_at.tzinfo is None:
            raise ValueError("occurred_at needs its time zone")
        body: dict = {
            "participant_id": participant_id,
            "kind": kind,
            "occurred_at": occurred_at.replace(microsecond=0).isoformat(),
        }
        if duration_minutes is not None:
            body["duration_minutes"] = duration_minutes
        if note:
            body["note"] = note
        return self.outbox.add(
            Kind.FOLLOWUP,
            "PUT",
            "/followups/{id}",
            body,
            participant_id=participant_id,
            facts={"name": self.day.name_of(participant_id), "kind": kind},
        )

    def read(self, followup_id: str) -> dict:
        """One follow-up with its note, as the server shows it to the user (network; the
        server logs the read). Not cached: a note stays on the phone only while shown."""
        self.session.check_unlocked()
        return self.client.call("GET", f"/followups/{followup_id}")

    def tick(
        self, meeting_id: str, action_id: str, done: bool = True, *, participant_id: str
    ) -> Entry:
        """Tick an action item off (or open it again, ``done=False``); ``participant_id``
        is whose meeting it is: only that participant's page shows the change. The tick
        carries when it was made: the server lets a later one stand over it, whichever
        arrives first."""
        self.session.check_unlocked()
        return self.outbox.add(
            Kind.ACTION,
            "PATCH",
            f"/meetings/{meeting_id}/actions/{action_id}",
            {"done": bool(done), "recorded_at": self.clock.now().isoformat()},
            participant_id=participant_id,
            facts={"done": bool(done), "meeting_id": meeting_id, "action_id": action_id},
        )
