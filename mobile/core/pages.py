"""A participant's page (``GET /participants/{id}/overview``): who they are, the current
plan's goals, this month's attendance, the newest follow-ups (never a note), the next
meeting and the open action items; cached like the day's list (with its ETag), so a page
once opened opens again with no network.

The user's writes not yet on the server show on it: follow-ups logged here are listed
apart (``waiting_followups``), and an action item ticked off or opened again here shows
its new state, marked as waiting.
"""

from dataclasses import dataclass
from datetime import datetime

from mobile.core.cache import Cache, page_key
from mobile.core.outbox import Entry, Kind, Outbox, State
from mobile.core.session import Session


@dataclass(frozen=True)
class Page:
    participant: dict  # id, first_name, last_name, department_id, status, phone, group
    goals: list[dict]  # id, title, description, status, due_date
    attendance: dict  # this month so far, as GET /participants/{id}/attendance-summary
    followups: list[dict]  # the newest ten on the server, newest first: no note
    waiting_followups: list[Entry]  # logged here, not yet on the server
    next_meeting: dict | None
    open_actions: list[dict]  # each with "waiting": a tick not yet on the server
    fetched_at: datetime

    @property
    def name(self) -> str:
        return f"{self.participant['first_name']} {self.participant['last_name']}".strip()


class Pages:
    def __init__(self, session: Session, cache: Cache, outbox: Outbox):
        self.session = session
        self.cache = cache
        self.outbox = outbox

    def read(self, participant_id: str) -> Page | None:
        """The page from what the phone has (no network); None if never opened."""
        self.session.check_unlocked()
        copy = self.cache.get(page_key(participant_id))
        if copy is None:
            return None
        body = copy.body
        entries = [e for e in self.outbox.entries() if e.state == State.PENDING]
        ticks = {e.facts["action_id"]: e.body["done"] for e in entries if e.kind == Kind.ACTION}
        actions = [
            {
                **action,
                "done": ticks.get(action["id"], action["done"]),
                "waiting": action["id"] in ticks,
            }
            for action in body.get("open_actions", [])
        ]
        return Page(
            participant=body["participant"],
            goals=body.get("goals", []),
            attendance=body.get("attendance") or {},
            followups=body.get("followups", []),
            waiting_followups=[
                e for e in entries if e.kind == Kind.FOLLOWUP and e.participant_id == participant_id
            ],
            next_meeting=body.get("next_meeting"),
            open_actions=actions,
            fetched_at=copy.fetched_at,
        )

    def open(self, participant_id: str) -> Page:
        """Ask the server for the page (network; ``If-None-Match``), then ``read``."""
        self.session.check_unlocked()
        self.cache.refresh(page_key(participant_id), f"/participants/{participant_id}/overview")
        return self.read(participant_id)
