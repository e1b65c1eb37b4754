"""The anonymous tally on the phone against a real Spire: the activities fetched and kept
for offline use, a tally in two taps queued and sent through /sync, today's list and
counts of this phone, undo before and after sending, and a tally for yesterday."""

from datetime import datetime, timedelta

import pytest

from mobile.core.client import Unreachable
from mobile.core.outbox import Kind
from mobile.core.spire import Spire
from shared.i18n import texts
from tests.e2e.conftest import free_port
from tests.mobile.conftest import FACILITATOR, OSLO, Staff, logged_in

NORWEGIAN = [
    "Innom-stikk",
    "NADA-øreakupunktur",
    "Støttesamtale",
    "Telefon/SMS/e-post",
    "Temakveld",
    "Følge/ansvarsgruppe",
    "Hjemmebesøk",
    "Samarbeidsmøte",
]


def dead_address() -> str:
    return f"http://127.0.0.1:{free_port()}"


def on_server(base: str, department_id: str, day) -> dict[str, dict]:
    """The department's tallies of the day, as the server has them, by id."""
    staff = Staff(base, *FACILITATOR)
    day = day.isoformat()
    listed = staff.get(f"/tallies?department_id={department_id}&from={day}&to={day}&page_size=100")
    return {tally["id"]: tally for tally in listed}


def activity(phone: Spire, name: str) -> str:
    return next(a["id"] for a in phone.tallies.activities() if a["name"] == name)


def test_the_activities_are_kept_for_offline_use(phone, phone_server, tmp_path):
    logged_in(phone, phone_server.base)
    assert phone.tallies.activities() == []  # nothing fetched yet
    assert [a["name"] for a in phone.tallies.refresh()] == NORWEGIAN
    phone.close()

    again = Spire(tmp_path / "phone", timeout=2)
    again.client.base_url = dead_address()
    with pytest.raises(Unreachable):
        again.tallies.refresh()
    assert [a["name"] for a in again.tallies.activities()] == NORWEGIAN
    again.close()


def test_a_tally_recorded_offline_shows_at_once_and_reaches_the_server(phone, phone_server):
    base = phone_server.base
    logged_in(phone, base)
    phone.tallies.refresh()
    department_id = phone.session.department_id
    today = phone.session.today()
    phone.client.base_url = dead_address()

    nada = phone.tallies.record(activity(phone, "NADA-øreakupunktur"), "female")
    walk_in = phone.tallies.record(
        activity(phone, "Innom-stikk"), "child_youth", count=3, first_contact=True
    )
    assert nada.kind == Kind.TALLY and nada.path == f"/tallies/{nada.op_id}"
    assert nada.body == {
        "department_id": department_id,
        "activity": activity(phone, "NADA-øreakupunktur"),
        "who": "female",
        "count": 1,
        "date": today.isoformat(),
        "first_contact": False,
    }
    assert walk_in.summary(texts("nb")) == "Anonym: Innom-stikk, Barn og unge (3)"
    shown = phone.tallies.today()
    assert [(r.activity, r.who, r.count, r.waiting) for r in shown] == [
        ("Innom-stikk", "child_youth", 3, True),
        ("NADA-øreakupunktur", "female", 1, True),
    ]
    assert phone.tallies.counts_today() == {
        activity(phone, "Innom-stikk"): 3,
        activity(phone, "NADA-øreakupunktur"): 1,
    }

    phone.client.base_url = base
    report = phone.sync()
    assert (report.done, report.refused, report.failure) == (2, 0, None)
    stored = on_server(base, department_id, today)
    assert stored[walk_in.op_id]["first_contact"] is True
    assert stored[walk_in.op_id]["count"] == 3
    assert stored[nada.op_id]["activity_name"] == "NADA-øreakupunktur"
    # Still on the phone's list of the day, now as sent.
    assert [(r.op_id, r.waiting) for r in phone.tallies.today()] == [
        (walk_in.op_id, False),
        (nada.op_id, False),
    ]


def test_undo_before_sending_takes_it_out_and_after_sending_withdraws_it(phone, phone_server):
    base = phone_server.base
    logged_in(phone, base)
    phone.tallies.refresh()
    department_id, today = phone.session.department_id, phone.session.today()
    theme = activity(phone, "Temakveld")

    kept = phone.tallies.record(theme, "male", count=7)
    unsent = phone.tallies.record(theme, "agency")
    undone = phone.tallies.undo()
    assert undone.recorded.op_id == unsent.op_id and undone.entry is None
    assert [e.op_id for e in phone.outbox.entries()] == [kept.op_id]

    assert phone.sync().done == 1
    undone = phone.tallies.undo()
    assert undone.recorded.op_id == kept.op_id
    assert undone.entry.kind == Kind.TALLY_UNDO
    assert undone.entry.method == "DELETE" and undone.entry.path == f"/tallies/{kept.op_id}"
    assert phone.tallies.today() == []
    assert phone.tallies.undo() is None  # nothing more of this phone's today
    assert phone.sync().done == 1
    assert kept.op_id not in on_server(base, department_id, today)
    assert unsent.op_id not in on_server(base, department_id, today)
    assert phone.tallies.today() == []


def test_a_tally_for_yesterday(phone, phone_server):
    base = phone_server.base
    logged_in(phone, base)
    phone.tallies.refresh()
    department_id = phone.session.department_id
    yesterday = datetime.now(OSLO).date() - timedelta(days=1)

    entry = phone.tallies.record(activity(phone, "Hjemmebesøk"), "unspecified", yesterday=True)
    assert entry.body["date"] == yesterday.isoformat()
    assert phone.tallies.today() == []  # today's list is today's
    assert phone.sync().done == 1
    assert entry.op_id in on_server(base, department_id, yesterday)
    assert phone.tallies.undo().recorded.op_id == entry.op_id  # undone too, if it was the last


def test_refusals_before_anything_is_queued(phone, phone_server):
    logged_in(phone, phone_server.base)
    phone.tallies.refresh()
    walk_in = activity(phone, "Innom-stikk")
    with pytest.raises(ValueError):
        phone.tallies.record(walk_in, "woman")
    with pytest.raises(ValueError):
        phone.tallies.record(walk_in, "female", count=0)
    with pytest.raises(ValueError):
        phone.tallies.record("not-an-activity", "female")
    assert phone.outbox.entries() == []
