"""The survey kiosk's core against a real Spire: codes fetched and kept, each used once;
the answers' outbox kept across a restart; batches shuffled and sent only from the
minimum size, never one right after an answer; what the server's answers do to them."""

import json
import random
import secrets

import pytest

from mobile.core.client import Unreachable
from mobile.core.kiosk import (
    BATCH_CODES,
    FLOOR,
    MIN_BATCH,
    NoCodes,
    NothingAnswered,
    NotOpen,
    NotReady,
)
from mobile.core.session import PinLockOut, WrongPin
from mobile.core.spire import Spire
from tests.mobile.conftest import (
    LEADER,
    OTHER_FACILITATOR,
    Staff,
    answers,
    logged_in,
    open_survey,
    survey_on_server,
    wait_for_answers,
)
from tests.mobile.test_core_tallies import dead_address

PIN = "1379"


def ready_kiosk(phone: Spire, base: str, survey: dict) -> Spire:
    """The facilitator logged in with a PIN, the survey prepared and the kiosk open."""
    logged_in(phone, base)
    phone.session.set_pin(PIN)
    phone.kiosk.prepare(survey["id"])
    phone.kiosk.open(survey["id"])
    return phone


def an_answer(survey: dict, number: int = 0) -> dict:
    """One participant's answers: a question of each kind, some left out."""
    scale, _, yes_no, choice, text = (q["id"] for q in survey["questions"])
    return {
        scale: 1 + number % 5,
        yes_no: number % 2 == 0,
        choice: "Noen dager i uka",
        text: f"Svar nummer {number}" if number % 2 else "",
    }


def held_codes(phone: Spire) -> list[str]:
    return [row["code"] for row in phone.db.rows("SELECT code FROM kiosk_codes")]


def used_codes(phone: Spire) -> list[str]:
    return [row["code"] for row in phone.db.rows("SELECT code FROM kiosk_answers ORDER BY seq")]


def requests_to(demo, survey: dict) -> int:
    """The batches the server has answered for the survey, by its access log."""
    return answers(demo, "POST", f"/surveys/{survey['id']}/kiosk-responses", 200)


def test_codes_are_kept_and_each_used_once(phone, phone_server, tmp_path):
    base = phone_server.base
    survey = open_survey(base)
    logged_in(phone, base)
    assert survey["id"] in [s["id"] for s in phone.kiosk.refresh_surveys()]
    with pytest.raises(NotReady):
        phone.kiosk.open(survey["id"])  # nothing on the phone yet
    with pytest.raises(NotOpen):
        phone.kiosk.answer(an_answer(survey))

    phone.kiosk.prepare(survey["id"])
    assert phone.kiosk.codes_left(survey["id"]) == BATCH_CODES
    assert survey_on_server(base, survey["id"])["codes_made"] == BATCH_CODES
    phone.kiosk.prepare(survey["id"])  # enough held: no more fetched
    assert survey_on_server(base, survey["id"])["codes_made"] == BATCH_CODES
    phone.kiosk.open(survey["id"])
    phone.close()

    # Offline, after a restart: the questions and the codes are on the phone.
    again = Spire(tmp_path / "phone", timeout=2)
    again.client.base_url = dead_address()
    assert again.kiosk.open_survey_id == survey["id"]
    assert again.kiosk.survey(survey["id"])["title"] == survey["title"]
    held = set(held_codes(again))
    for number in range(BATCH_CODES):
        again.kiosk.answer(an_answer(survey, number))
    with pytest.raises(NoCodes):
        again.kiosk.answer(an_answer(survey))
    used = used_codes(again)
    assert len(set(used)) == BATCH_CODES and set(used) == held  # each once
    assert held_codes(again) == []
    with pytest.raises(NothingAnswered):  # before any code would be taken
        again.kiosk.answer({q["id"]: None for q in survey["questions"]})
    with pytest.raises(ValueError):
        again.kiosk.answer({survey["questions"][0]["id"]: 6})

    # Online again: all of them in one batch; the server has each code used once.
    again.client.base_url = base
    report = again.kiosk.deliver()
    assert (report.requests, report.delivered, report.waiting) == (1, BATCH_CODES, 0)
    on_server = survey_on_server(base, survey["id"])
    assert (on_server["responses"], on_server["codes_used"]) == (BATCH_CODES, BATCH_CODES)
    again.close()


def test_the_answers_wait_on_the_phone_across_a_restart(phone, phone_server, tmp_path):
    base = phone_server.base
    survey = open_survey(base)
    ready_kiosk(phone, base, survey)
    given = [an_answer(survey, 1), an_answer(survey, 2)]
    for answer in given:
        phone.kiosk.answer(answer)
    phone.close()  # the app dies

    again = Spire(tmp_path / "phone", timeout=5)
    assert again.kiosk.waiting(survey["id"]) == 2
    stored = [json.loads(r["answers"]) for r in again.db.rows("SELECT answers FROM kiosk_answers")]
    assert stored[0] == {k: v for k, v in given[0].items() if v != ""}
    assert again.kiosk.open_survey_id == survey["id"]
    assert again.outbox.unsent_count() == 2  # a logout would say so
    again.kiosk.close(PIN)
    assert again.kiosk.deliver().delivered == 2
    assert survey_on_server(base, survey["id"])["responses"] == 2
    # Delivered: gone from the phone, nothing of them left in the file.
    assert again.db.rows("SELECT * FROM kiosk_answers") == []
    again.close()
    raw = (tmp_path / "phone" / "spire.db").read_bytes()
    assert b"Svar nummer 1" not in raw
    assert (
        not (tmp_path / "phone" / "spire.db-wal").exists()
        or b"Svar nummer 1" not in (tmp_path / "phone" / "spire.db-wal").read_bytes()
    )


def test_batches_are_shuffled_and_sent_only_from_the_minimum(phone, phone_server):
    base = phone_server.base
    survey = open_survey(base)
    ready_kiosk(phone, base, survey)
    assert phone.kiosk.min_batch == MIN_BATCH == 3
    assert isinstance(phone.kiosk.random, secrets.SystemRandom)  # not a seeded generator
    phone.kiosk.random = random.Random(4)  # to see the order it gives

    for number in range(MIN_BATCH - 1):
        phone.kiosk.answer(an_answer(survey, number))
        report = phone.kiosk.round()  # as the app does after each answer
        assert (report.requests, report.waiting) == (0, number + 1)
        assert survey_on_server(base, survey["id"])["responses"] == 0
    phone.kiosk.answer(an_answer(survey, 9))
    seqs = [row["seq"] for row in phone.db.rows("SELECT seq FROM kiosk_answers ORDER BY seq")]
    expected = list(seqs)
    random.Random(4).shuffle(expected)
    assert expected != seqs  # this seed moves them

    report = phone.kiosk.deliver()
    assert (report.requests, report.delivered, report.waiting) == (1, MIN_BATCH, 0)
    assert report.order == expected  # shuffled by the kiosk's generator, as sent
    assert wait_for_answers(phone_server, "POST", _path(survey), 200, 1) == 1
    assert survey_on_server(base, survey["id"])["responses"] == MIN_BATCH


def _path(survey: dict) -> str:
    return f"/surveys/{survey['id']}/kiosk-responses"


def test_a_smaller_minimum_is_kept_to_and_never_below_two(phone_server, tmp_path):
    base = phone_server.base
    survey = open_survey(base)
    phone = Spire(tmp_path / "phone", timeout=5, kiosk_min_batch=1)
    try:
        assert phone.kiosk.min_batch == FLOOR
        ready_kiosk(phone, base, survey)
        phone.kiosk.answer(an_answer(survey, 1))
        assert phone.kiosk.deliver().requests == 0
        phone.kiosk.answer(an_answer(survey, 2))
        report = phone.kiosk.deliver()
        assert (report.requests, report.delivered) == (1, 2)
    finally:
        phone.close()


def test_nothing_is_sent_right_after_one_answer(phone, phone_server):
    base = phone_server.base
    survey = open_survey(base)
    ready_kiosk(phone, base, survey)
    phone.kiosk.answer(an_answer(survey, 1))
    assert phone.kiosk.round().requests == 0
    # Closed by the staff with one answer waiting: it waits for more (the survey goes on).
    with pytest.raises(WrongPin):
        phone.kiosk.close("0000")
    assert phone.kiosk.open_survey_id == survey["id"]
    phone.kiosk.close(PIN)
    assert phone.kiosk.open_survey_id is None
    assert phone.kiosk.deliver().requests == 0
    assert phone.kiosk.waiting(survey["id"]) == 1

    # The kiosk again, one more: still held while open; both go when it closes.
    phone.kiosk.open(survey["id"])
    phone.kiosk.answer(an_answer(survey, 2))
    assert phone.kiosk.round().requests == 0
    assert survey_on_server(base, survey["id"])["responses"] == 0
    phone.kiosk.close(PIN)
    report = phone.kiosk.deliver()
    assert (report.requests, report.delivered, report.waiting) == (1, 2, 0)
    assert wait_for_answers(phone_server, "POST", _path(survey), 200, 1) == 1
    assert survey_on_server(base, survey["id"])["responses"] == 2


def test_a_single_answer_goes_on_the_last_day_and_at_a_logout(phone, phone_server):
    base = phone_server.base
    last_day = open_survey(base, closes_in=0)
    ready_kiosk(phone, base, last_day)
    phone.kiosk.answer(an_answer(last_day))
    assert phone.kiosk.round().requests == 0  # open: it waits for the minimum
    phone.kiosk.close(PIN)
    assert phone.kiosk.deliver().delivered == 1  # today or never
    assert survey_on_server(base, last_day["id"])["responses"] == 1

    later = open_survey(base)
    phone.kiosk.prepare(later["id"])
    phone.kiosk.open(later["id"])
    phone.kiosk.answer(an_answer(later))
    phone.kiosk.close(PIN)
    assert phone.kiosk.deliver().requests == 0
    assert phone.session.log_out() == 0  # sent first: nothing is lost
    assert survey_on_server(base, later["id"])["responses"] == 1
    assert phone.db.rows("SELECT * FROM kiosk_codes") == []  # the unused codes are gone


def test_201_and_409_remove_a_network_error_keeps(phone, phone_server):
    base = phone_server.base
    survey = open_survey(base)
    ready_kiosk(phone, base, survey)
    for number in range(MIN_BATCH):
        phone.kiosk.answer(an_answer(survey, number))
    kept = [tuple(row) for row in phone.db.rows("SELECT * FROM kiosk_answers")]

    phone.client.base_url = dead_address()
    report = phone.kiosk.deliver()
    assert (report.requests, report.failure, report.waiting) == (1, "unreachable", MIN_BATCH)
    phone.client.base_url = base
    assert phone.kiosk.deliver().delivered == MIN_BATCH
    assert phone.kiosk.waiting() == 0

    # The app died after Spire had them, before the phone knew: sent again, Spire
    # answers 409 (used), and they leave the phone as delivered, not lost.
    with phone.db.transaction() as db:
        db.executemany("INSERT INTO kiosk_answers VALUES (?, ?, ?, ?, ?, ?)", kept)
    report = phone.kiosk.deliver()
    assert (report.delivered, report.undeliverable, report.waiting) == (MIN_BATCH, 0, 0)
    assert phone.kiosk.undeliverable(survey["id"]) == 0
    assert survey_on_server(base, survey["id"])["responses"] == MIN_BATCH


def test_gone_codes_and_surveys_are_removed_and_counted(phone, phone_server):
    base = phone_server.base
    survey = open_survey(base)
    ready_kiosk(phone, base, survey)
    leader = Staff(base, *LEADER)
    for number in range(MIN_BATCH):
        phone.kiosk.answer(an_answer(survey, number))
    # One code Spire never made (404); the questions changed before anyone answered, so
    # the answers no longer fit (422).
    first = phone.db.scalar("SELECT min(seq) FROM kiosk_answers")
    with phone.db.transaction() as db:
        db.execute("UPDATE kiosk_answers SET code = 'ABCD-EFGH' WHERE seq = ?", (first,))
    status, _, body = leader(
        "PATCH", f"/surveys/{survey['id']}", {"questions": [{"kind": "yes_no", "text": "Ja?"}]}
    )
    assert status == 200, body
    report = phone.kiosk.deliver()
    assert (report.delivered, report.undeliverable, report.waiting) == (0, MIN_BATCH, 0)
    assert phone.kiosk.undeliverable(survey["id"]) == MIN_BATCH

    # Closed since (410): removed and counted too, with the codes left.
    phone.kiosk.prepare(survey["id"])
    for _ in range(MIN_BATCH):
        phone.kiosk.answer({phone.kiosk.survey(survey["id"])["questions"][0]["id"]: True})
    status, _, body = leader(
        "PATCH", f"/surveys/{survey['id']}", {"opens_on": "2020-01-01", "closes_on": "2020-01-02"}
    )
    assert status == 200, body
    report = phone.kiosk.deliver()
    assert (report.undeliverable, report.waiting) == (MIN_BATCH, 0)
    assert phone.kiosk.undeliverable(survey["id"]) == 2 * MIN_BATCH
    assert phone.kiosk.codes_left(survey["id"]) == 0
    assert survey_on_server(base, survey["id"])["responses"] == 0


def test_another_users_answers_wait_for_them(phone, phone_server):
    """Five wrong PINs at the kiosk end the login: the answers stay, under the
    facilitator's id, told (not shown) to the next user, and go at their next login."""
    base = phone_server.base
    survey = open_survey(base)
    ready_kiosk(phone, base, survey)
    phone.kiosk.answer(an_answer(survey, 1))
    phone.kiosk.answer(an_answer(survey, 2))
    for _ in range(4):
        with pytest.raises(WrongPin):
            phone.kiosk.close("0000")
    with pytest.raises(PinLockOut):
        phone.kiosk.close("0000")
    assert not phone.session.logged_in
    assert phone.db.rows("SELECT * FROM kiosk_codes") == []
    assert phone.db.scalar("SELECT count(*) FROM kiosk_answers") == 2

    other = phone.session.log_in(base, *OTHER_FACILITATOR)
    assert [(w.full_name, w.count) for w in other.others_waiting] == [("Ingrid Larsen", 2)]
    assert phone.kiosk.deliver().requests == 0  # not theirs to send
    phone.session.log_out()
    logged_in(phone, base)
    assert phone.kiosk.deliver().delivered == 2
    assert survey_on_server(base, survey["id"])["responses"] == 2


def test_unreachable_prepare_leaves_it_not_ready(phone, phone_server):
    base = phone_server.base
    survey = open_survey(base)
    logged_in(phone, base)
    phone.client.base_url = dead_address()
    with pytest.raises(Unreachable):
        phone.kiosk.prepare(survey["id"])
    assert not phone.kiosk.ready(survey["id"])
    assert requests_to(phone_server, survey) == 0
