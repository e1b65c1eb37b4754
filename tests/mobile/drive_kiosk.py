"""Drives the real Spire app through the survey kiosk, with real taps on its screens, and
writes what it saw to ``result.json`` and a screenshot of each step to OUT.

    python tests/mobile/drive_kiosk.py OUT DATA SERVER PLAN

PLAN is a JSON file: the user (``login``), the PIN and the open survey (``survey_id``).
Logs in and chooses the PIN; opens the menu, "Survey", taps the survey and starts the
kiosk; tries the menu, the back key and another screen (none is reached); one
participant answers every question and sends, the thank-you shows; writes ``one.done``
to OUT and waits for ``one.checked`` (the test looks at Spire meanwhile); the next
participant gets a fresh form, answers two questions and sends; ``two.done``, waits for
``two.checked``; then the staff button, a wrong PIN, the right one: the kiosk closes and
sends what waits; opens the kiosk again and stops the app with it open. With ``mode``
``restart`` in PLAN: started again, the PIN, and the kiosk is back (the back key does
nothing).
"""

import json
import os
import sys
from pathlib import Path

os.environ["KIVY_NO_ARGS"] = "1"
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.uix.behaviors import ToggleButtonBehavior  # noqa: E402
from kivy.uix.dropdown import DropDown  # noqa: E402
from kivy.uix.textinput import TextInput  # noqa: E402

import tests.mobile.drive_day as day  # noqa: E402
from mobile.ui.app import SpireApp  # noqa: E402
from tests.mobile.drive_app import tap, type_pin  # noqa: E402
from tests.mobile.drive_day import Script, button_in, dialog  # noqa: E402

day.TIMEOUT = 150  # two people answer, and the test looks at Spire twice meanwhile
FIRST_TEXT = "Kaffen kunne vært bedre"


def main() -> None:
    out, data, server, plan_file = Path(sys.argv[1]), *sys.argv[2:5]
    plan = json.loads(Path(plan_file).read_text())
    app = SpireApp(data_dir=data, poll_seconds=1)
    script = Script(app, out)
    seen = script.seen
    step, shot = script.step, script.shot
    kiosk = lambda: app.screen("kiosk")  # noqa: E731
    nb = lambda text: app.tr.gettext(text)  # noqa: E731

    def cards() -> list:
        return list(reversed(kiosk().ids.questions.children))

    def choice(card, text: str):
        return next(
            w
            for w in card.walk(restrict=True)
            if isinstance(w, ToggleButtonBehavior) and w.text == text
        )

    def chosen() -> list:
        """Every button down on the form, and what the text fields hold."""
        form = kiosk().ids.questions
        down = [
            w.text
            for w in form.walk(restrict=True)
            if isinstance(w, ToggleButtonBehavior) and w.state == "down"
        ]
        texts = [w.text for w in form.walk(restrict=True) if isinstance(w, TextInput)]
        return [down, texts]

    def answer(number: int, text: str):
        """Scroll the question into sight, then tap its button ``text`` (two steps)."""

        @step(f"question {number + 1} in sight", pause=0.3)
        def into_sight():
            kiosk().ids.scroll.scroll_to(cards()[number], padding=20, animate=False)

        @step(f"question {number + 1}: {text}")
        def tap_it():
            tap(choice(cards()[number], text))

    def menu_open() -> bool:
        return any(isinstance(w, DropDown) for w in Window.children)

    def pin_laid_out() -> bool:
        keys = app.screen("pin").ids["keys"].children if "pin" in app.screens else []
        return app.manager.current == "pin" and len({tuple(key.pos) for key in keys}) == 12

    if plan.get("mode") == "restart":
        # Started again with the kiosk open: the PIN (a fresh start), then the kiosk.

        @step("the PIN at the start", until=pin_laid_out)
        def unlock():
            seen["start_pin_mode"] = app.screen("pin").mode
            type_pin(app, plan["pin"])

        @step("the kiosk again", until=lambda: app.manager.current == "kiosk", pause=1)
        def kiosk_again():
            seen["restarted"] = [app.manager.current, app.at_work, kiosk().ids.title.text]
            Window.dispatch("on_keyboard", 27, 0, "", [])

        @step("still there")
        def still_there():
            seen["after_back"] = app.manager.current

        app.bind(on_start=lambda _: Clock.schedule_once(lambda dt: script.run(), 0.5))
        app.run()
        return

    @step("log in", until=lambda: app.manager.current == "login", pause=1)
    def log_in():
        ids = app.screen("login").ids
        ids.server.text = server
        ids.username.text, ids.password.text = plan["login"]
        tap(ids.submit)

    @step("choose a PIN", until=pin_laid_out)
    def choose_pin():
        type_pin(app, plan["pin"])

    @step("the PIN again", until=lambda: app.screen("pin").mode == "confirm")
    def confirm_pin():
        type_pin(app, plan["pin"])

    @step("the menu", until=lambda: app.at_work and app.manager.current == "today")
    def open_menu():
        tap(app.shell.ids.menu)

    @step("Survey", until=menu_open)
    def survey_item():
        items = app.shell.menu.container.children
        seen["menu"] = [i.text for i in reversed(items)]
        (item,) = [i for i in items if i.text == nb("Survey")]
        tap(item)

    def survey_row():
        rows = app.screen("surveys").ids.rows.children
        return next((r for r in rows if getattr(r, "survey_id", "") == plan["survey_id"]), None)

    @step("the open surveys", until=lambda: survey_row() is not None, pause=1)
    def surveys():
        seen["survey_row"] = survey_row().text
        shot("kiosk-surveys")
        tap(survey_row())

    @step("hand it over?", until=lambda: dialog() is not None, pause=0.5)
    def hand_over():
        seen["start_dialog"] = [dialog().title, dialog().text]
        seen["codes_held"] = app.spire.kiosk.codes_left(plan["survey_id"])
        shot("kiosk-start")
        tap(button_in(dialog(), nb("Start the survey")))

    @step("the kiosk", until=lambda: app.manager.current == "kiosk", pause=1)
    def the_kiosk():
        ids = kiosk().ids
        seen["kiosk_title"] = ids.title.text
        seen["kiosk_intro"] = ids.intro.text
        seen["questions"] = [card.ids.text.text for card in cards()]
        seen["scale_buttons"] = [
            w.text for w in cards()[0].walk(restrict=True) if isinstance(w, ToggleButtonBehavior)
        ]
        (ends,) = [w for w in cards()[0].walk(restrict=True) if type(w).__name__ == "ScaleEnds"]
        seen["scale_ends"] = [ends.low, ends.high]
        seen["yes_no"] = [
            w.text for w in cards()[2].walk(restrict=True) if isinstance(w, ToggleButtonBehavior)
        ]
        seen["send_disabled_before"] = ids.send.disabled
        bars = app.shell.ids
        seen["locked"] = {
            "at_work": app.at_work,
            "menu_disabled": bars.menu.disabled,
            "top_height": bars.top.height,
            "tabs_disabled": bars.tabs.disabled,
            "tabs_height": bars.tabs.height,
        }
        tap(bars.menu)  # where the menu was: nothing opens
        Window.dispatch("on_keyboard", 27, 0, "", [])  # Android's back key
        app.show("today")  # and no screen of the app shows either

    @step("still the kiosk")
    def still():
        seen["after_escape_menu_show"] = [app.manager.current, menu_open()]

    # The first participant: every question.
    answer(0, "4")
    answer(1, "5")

    @step("the question screen")
    def question_screen():
        kiosk().ids.scroll.scroll_y = 1

    @step("its picture", pause=0.3)
    def picture():
        shot("kiosk")

    answer(2, nb("Yes"))
    answer(3, "Hver dag")

    @step("the text", pause=0.3)
    def text_in_sight():
        kiosk().ids.scroll.scroll_to(cards()[4], padding=20, animate=False)

    @step("typed")
    def typed():
        field = next(w for w in cards()[4].walk(restrict=True) if isinstance(w, TextInput))
        field.insert_text(FIRST_TEXT)  # as typed (a tap's focus asks X for its clipboard)

    @step("send", pause=0.3)
    def send_in_sight():
        seen["first_chosen"] = chosen()
        kiosk().ids.scroll.scroll_to(kiosk().ids.send, padding=20, animate=False)

    @step("sent")
    def send():
        tap(kiosk().ids.send)

    @step("thanks", until=lambda: kiosk().stage == "thanks", pause=0.5)
    def thanks():
        seen["thanks"] = [kiosk().ids.thanks_title.text, kiosk().ids.thanks_text.text]
        seen["form_after_send"] = chosen()
        shot("kiosk-thanks")

    @step("one given", pause=2.5)  # rounds run every second: none may send it
    def one_given():
        pass

    @step("the test looks at Spire")
    def first_done():
        seen["waiting_after_one"] = app.spire.kiosk.waiting()
        (out / "one.done").write_text("")

    @step("the next person", until=lambda: (out / "one.checked").exists())
    def next_person():
        tap(kiosk().ids.next)

    @step("a fresh form", until=lambda: kiosk().stage == "form")
    def fresh():
        seen["fresh_form"] = chosen() + [kiosk().answered, kiosk().ids.scroll.scroll_y]

    answer(0, "2")
    answer(2, nb("No"))

    @step("send again", pause=0.3)
    def send_again_in_sight():
        kiosk().ids.scroll.scroll_to(kiosk().ids.send, padding=20, animate=False)

    @step("sent again")
    def send_again():
        tap(kiosk().ids.send)

    @step("thanks again", until=lambda: kiosk().stage == "thanks", pause=2.5)
    def thanks_again():
        pass

    @step("the test looks at Spire again")
    def second_done():
        seen["waiting_after_two"] = app.spire.kiosk.waiting()
        (out / "two.done").write_text("")

    @step("staff", until=lambda: (out / "two.checked").exists())
    def staff():
        tap(kiosk().ids.staff)

    @step("the PIN to close", until=lambda: app.manager.current == "pin")
    def pin_to_close():
        pin = app.screen("pin")
        seen["close_pin"] = [pin.mode, pin.title, pin.hint, pin.other_way]
        shot("kiosk-pin")
        Window.dispatch("on_keyboard", 27, 0, "", [])  # back: to the survey

    @step("back to the survey", until=lambda: app.manager.current == "kiosk")
    def back_to_survey():
        seen["back_from_pin"] = [app.manager.current, kiosk().stage]
        tap(kiosk().ids.staff)

    @step("a wrong PIN", until=lambda: app.manager.current == "pin")
    def wrong_pin():
        type_pin(app, "0000")

    @step("refused", until=lambda: app.screen("pin").wrong, pause=0.5)
    def refused():
        seen["wrong_pin"] = [app.screen("pin").hint, app.kiosk_open]
        type_pin(app, plan["pin"])

    @step("closed and sent", until=lambda: app.manager.current == "surveys", pause=0.5)
    def closed():
        seen["closed"] = [app.kiosk_open, app.at_work, app.shell.ids.menu.disabled]

    @step("delivered", until=lambda: app.spire.kiosk.waiting() == 0, pause=0.5)
    def delivered():
        pass

    @step("told")
    def told():
        seen["status_after"] = app.status
        seen["survey_row_after"] = survey_row().text if survey_row() else None
        shot("kiosk-closed")
        tap(survey_row())

    # The kiosk once more, left open: the next start of the app comes back to it.
    @step("open it again", until=lambda: dialog() is not None, pause=0.5)
    def again():
        tap(button_in(dialog(), nb("Start the survey")))

    @step("left open", until=lambda: app.manager.current == "kiosk")
    def left_open():
        seen["left_open"] = app.kiosk_open

    # Half a second after the window is up: the screen is laid out by then.
    app.bind(on_start=lambda _: Clock.schedule_once(lambda dt: script.run(), 0.5))
    app.run()


if __name__ == "__main__":
    main()
