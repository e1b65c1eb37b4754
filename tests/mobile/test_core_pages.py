"""A participant's page on the phone against a real Spire: opened once, it opens again
with no network; follow-ups and ticks made here show on it before and after they are
sent; a refresh of an unchanged page is answered 304."""

from datetime import datetime, timedelta

import pytest

from mobile.core.client import Unreachable
from tests.e2e.conftest import free_port
from tests.mobile.conftest import (
    LEADER,
    OSLO,
    Staff,
    answers,
    logged_in,
    newcomer,
    wait_for_answers,
)


def a_meeting_with_an_action(base: str, participant: str) -> tuple[str, str]:
    leader = Staff(base, *LEADER)
    at = (datetime.now(OSLO) + timedelta(days=7)).isoformat(timespec="seconds")
    meetings = f"/participants/{participant}/meetings"
    status, _, meeting = leader("POST", meetings, {"scheduled_at": at})
    assert status == 201, meeting
    status, _, action = leader(
        "POST",
        f"/meetings/{meeting['id']}/actions",
        {"description": "Søke arbeidspraksis", "responsible": "Ingrid"},
    )
    assert status == 201, action
    return meeting["id"], action["id"]


def test_the_page_opens_offline_with_what_was_done_here(phone, phone_server):
    base = phone_server.base
    participant = newcomer(base)
    meeting, action = a_meeting_with_an_action(base, participant)
    logged_in(phone, base)
    assert phone.pages.read(participant) is None  # never opened

    page = phone.pages.open(participant)
    assert page.name.startswith("Nora Test ")
    assert page.participant["department_id"] == phone.session.department_id
    assert page.next_meeting["id"] == meeting
    assert [a["id"] for a in page.open_actions] == [action]
    assert page.followups == [] and page.goals == []
    assert "present_days" in page.attendance

    phone.client.base_url = f"http://127.0.0.1:{free_port()}"  # no network
    with pytest.raises(Unreachable):
        phone.pages.open(participant)
    logged = phone.followups.log(participant, "phone", duration_minutes=10, note="Ringte.")
    phone.followups.tick(meeting, action, participant_id=participant)
    offline = phone.pages.read(participant)
    assert offline.fetched_at == page.fetched_at
    assert [e.op_id for e in offline.waiting_followups] == [logged.op_id]
    assert offline.open_actions[0]["done"] is True and offline.open_actions[0]["waiting"]

    phone.client.base_url = base
    assert phone.sync().done == 2
    sent = phone.pages.read(participant)  # the server's answers, before any refresh
    assert sent.waiting_followups == [] and sent.open_actions == []
    assert [f["id"] for f in sent.followups] == [logged.op_id]
    assert "note" not in sent.followups[0]  # a page never holds a note
    fresh = phone.pages.open(participant)
    assert [f["id"] for f in fresh.followups] == [logged.op_id]
    assert fresh.followups[0]["has_note"] is True and fresh.open_actions == []


def test_an_unchanged_page_is_answered_304(phone, phone_server):
    base = phone_server.base
    participant = newcomer(base)
    logged_in(phone, base)
    first = phone.pages.open(participant)
    etag = phone.cache.get(f"page/{participant}").etag
    assert etag
    second = phone.pages.open(participant)
    path = f"/participants/{participant}/overview"
    assert wait_for_answers(phone_server, "GET", path, 304, 1) == 1
    assert second.participant == first.participant and second.fetched_at >= first.fetched_at
    assert phone.cache.get(f"page/{participant}").etag == etag


def test_an_action_item_opened_again_shows_on_its_participants_page_only(phone, phone_server):
    """Two pages cached; an action item of one is ticked off and opened again: it shows on
    its own page, on no other, and a page changed here is fetched whole next time (a 304
    would confirm the phone's own patch as the server's)."""
    base = phone_server.base
    participant, other = newcomer(base), newcomer(base)
    meeting, action = a_meeting_with_an_action(base, participant)
    logged_in(phone, base)
    phone.pages.open(participant)
    phone.pages.open(other)

    phone.followups.tick(meeting, action, participant_id=participant)
    assert phone.sync().done == 1
    assert phone.pages.read(participant).open_actions == []
    phone.followups.tick(meeting, action, done=False, participant_id=participant)
    assert phone.sync().done == 1
    assert [a["id"] for a in phone.pages.read(participant).open_actions] == [action]
    assert phone.pages.read(other).open_actions == []
    assert phone.cache.get(f"page/{participant}").etag is None  # patched here

    path = f"/participants/{participant}/overview"
    fresh = phone.pages.open(participant)
    assert [(a["id"], a["waiting"]) for a in fresh.open_actions] == [(action, False)]
    assert wait_for_answers(phone_server, "GET", path, 200, 2) == 2
    assert answers(phone_server, "GET", path, 304) == 0
    assert phone.cache.get(f"page/{participant}").etag  # the server's copy again
    assert phone.pages.open(other).open_actions == []
