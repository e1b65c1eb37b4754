"""The anonymous tally in the real app on a virtual screen against a real Spire: two taps
save a tally (an activity, then who), with three people and a first contact chosen before
the second tap; another one; undo takes the last one back. Spire then holds exactly the
first, and the screenshots are kept in ``tmp_path``."""

from datetime import datetime

from tests.mobile.conftest import OSLO, Staff
from tests.mobile.test_app_day import result, start

DRIVER_PLAN = {"login": ("tilrettelegger1", "Furu-Vaffel-2290"), "pin": "1379"}  # Songdalen


def test_two_taps_save_a_tally_and_undo_takes_it_back(demo_server, virtual_screen, tmp_path):
    base = demo_server.base
    seen = result(
        start(virtual_screen, tmp_path, base, DRIVER_PLAN, "tally", driver="drive_tally.py"),
        tmp_path,
        "tally",
    )
    assert seen["outcome"] == "done", seen
    assert seen["small_targets"] == []  # every button at least 48 dp
    assert seen["tabs"] == ["I dag", "Vekking", "Deltakere", "Anonym"]
    assert seen["title"] == "Anonym registrering"
    assert seen["activities"][:2] == ["Innom-stikk", "NADA-øreakupunktur"]
    assert seen["whos"] == ["Kvinne", "Mann", "Offentlig instans", "Barn og unge", "Ikke oppgitt"]
    assert seen["whos_disabled_before"] and seen["whos_enabled_after"]
    assert seen["count_label"] == "3 personer"
    assert seen["saved"] == "Lagret: Innom-stikk, Kvinne × 3"
    assert seen["reset"] == ["", 1, False]  # the next tally starts afresh
    walk_in, nada = seen["sent"][1], seen["sent"][0]
    assert walk_in[1:] == ["Innom-stikk", "female", 3, True, False]
    assert nada[1:] == ["NADA-øreakupunktur", "male", 1, False, False]
    assert seen["activities_after"][:2] == [
        "Innom-stikk\n[size=14sp]I dag: 3[/size]",
        "NADA-øreakupunktur\n[size=14sp]I dag: 1[/size]",
    ]
    assert seen["after_undo"] == [walk_in[0]]
    assert seen["title_after_undo"] == "Anonym registrering"

    # Spire has the first, once, and not the one undone.
    staff = Staff(base, *DRIVER_PLAN["login"])
    songdalen = staff.department("Songdalen")
    today = datetime.now(OSLO).date().isoformat()
    listed = staff.get(f"/tallies?department_id={songdalen}&from={today}&to={today}")
    mine = {t["id"]: t for t in listed}
    assert nada[0] not in mine
    stored = mine[walk_in[0]]
    assert (stored["activity_name"], stored["who"], stored["count"]) == ("Innom-stikk", "female", 3)
    assert stored["first_contact"] is True and stored["date"] == today
    for name in ("tally-start", "tally-options", "tally", "tally-undone"):
        assert (tmp_path / "tally" / f"app-{name}.png").stat().st_size > 10_000
