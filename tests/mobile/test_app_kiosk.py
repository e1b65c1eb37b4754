"""The survey kiosk in the real app on a virtual screen against a real Spire: a
facilitator opens it for a survey a leader has just made, the rest of the app is out of
reach, two participants answer, and Spire gets nothing until the staff's PIN closes the
kiosk: then both arrive in one request. Left open, the kiosk is what the app shows
again after a restart (and the PIN). The screenshots are kept in ``tmp_path``."""

import time

import pytest

from shared.i18n import texts
from tests.mobile.conftest import (
    SURVEY_QUESTIONS,
    answers,
    open_survey,
    survey_on_server,
    wait_for_answers,
)
from tests.mobile.drive_kiosk import FIRST_TEXT
from tests.mobile.test_app_day import result, start

LOGIN = ("tilrettelegger1", "Furu-Vaffel-2290")  # Songdalen
nb = texts("nb").gettext


def wait_for(app, marker) -> None:
    for _ in range(1200):
        if marker.exists():
            return
        if app.poll() is not None:
            return  # it ended early: result() says why
        time.sleep(0.1)
    pytest.fail(f"the app never wrote {marker.name}")


def test_two_answers_reach_spire_in_one_batch_when_the_kiosk_closes(
    demo_server, virtual_screen, tmp_path
):
    base = demo_server.base
    survey = open_survey(base)
    path = f"/surveys/{survey['id']}/kiosk-responses"
    plan = {"login": LOGIN, "pin": "2468", "survey_id": survey["id"]}
    app = start(virtual_screen, tmp_path, base, plan, "kiosk", driver="drive_kiosk.py")
    out = tmp_path / "kiosk"

    # One answer given on the phone: Spire has nothing yet, not even a request.
    wait_for(app, out / "one.done")
    assert survey_on_server(base, survey["id"])["responses"] == 0
    assert answers(demo_server, "POST", path, 200) == 0
    (out / "one.checked").write_text("")
    # Two: still nothing (a batch waits for three while the kiosk is open).
    wait_for(app, out / "two.done")
    assert survey_on_server(base, survey["id"])["responses"] == 0
    assert answers(demo_server, "POST", path, 200) == 0
    (out / "two.checked").write_text("")

    seen = result(app, tmp_path, "kiosk")
    assert seen["outcome"] == "done", seen
    assert seen["small_targets"] == []  # every button at least 48 dp
    assert nb("Survey") in seen["menu"]
    assert seen["survey_row"].startswith(survey["title"] + "\n")
    assert seen["start_dialog"][0] == survey["title"]
    assert seen["codes_held"] == 20

    # The kiosk: the survey and nothing else.
    assert seen["kiosk_title"] == survey["title"]
    assert seen["kiosk_intro"] == survey["intro"]
    assert seen["questions"] == [q["text"] for q in SURVEY_QUESTIONS]
    assert seen["scale_buttons"] == ["1", "2", "3", "4", "5"]
    assert seen["scale_ends"] == [nb("Strongly disagree"), nb("Strongly agree")]
    assert seen["yes_no"] == [nb("Yes"), nb("No")]
    assert seen["send_disabled_before"] is True
    assert seen["locked"] == {
        "at_work": False,
        "menu_disabled": True,
        "top_height": 0,
        "tabs_disabled": True,
        "tabs_height": 0,
    }
    assert seen["after_escape_menu_show"] == ["kiosk", False]

    # The first answer, sent: thanks, and nothing of it left on the screen.
    assert seen["first_chosen"] == [["4", "5", nb("Yes"), "Hver dag"], [FIRST_TEXT]]
    assert seen["thanks"] == [
        nb("Thank you!"),
        nb("Your answers are saved, with no name. Please give the phone back."),
    ]
    assert seen["form_after_send"] == [[], []]
    assert seen["waiting_after_one"] == 1
    assert seen["fresh_form"] == [[], [""], False, 1]
    assert seen["waiting_after_two"] == 2

    # Leaving takes the PIN: back returns to the survey, a wrong PIN keeps it open.
    assert seen["close_pin"] == [
        "kiosk",
        nb("Close the survey"),
        nb("For staff: your PIN closes the survey on this phone."),
        nb("Back to the survey"),
    ]
    assert seen["back_from_pin"] == ["kiosk", "form"]
    assert seen["wrong_pin"][1] is True
    assert seen["closed"] == [False, True, False]
    assert seen["status_after"] == texts("nb").ngettext(
        "{count} answer sent to Spire", "{count} answers sent to Spire", 2
    ).format(count=2)

    # Both in one request, each with a code of its own.
    assert wait_for_answers(demo_server, "POST", path, 200, 1) == 1
    time.sleep(0.5)
    assert answers(demo_server, "POST", path, 200) == 1
    on_server = survey_on_server(base, survey["id"])
    assert (on_server["responses"], on_server["codes_used"], on_server["codes_made"]) == (2, 2, 20)
    # What a participant wrote is in no log.
    logs = "".join(log.read_text() for log in (tmp_path / "kivy" / "logs").glob("*.txt"))
    assert FIRST_TEXT not in logs
    assert FIRST_TEXT not in demo_server.access_log.read_text()
    for name in ("kiosk", "kiosk-thanks", "kiosk-pin"):
        assert (out / f"app-{name}.png").stat().st_size > 10_000

    # Left open, the app stopped: started again, the PIN, and the kiosk, not the day.
    assert seen["left_open"] is True
    again = result(
        start(
            virtual_screen, tmp_path, base, {**plan, "mode": "restart"}, "restart", "drive_kiosk.py"
        ),
        tmp_path,
        "restart",
    )
    assert again["outcome"] == "done", again
    assert again["start_pin_mode"] == "unlock"
    assert again["restarted"] == ["kiosk", False, survey["title"]]
    assert again["after_back"] == "kiosk"
