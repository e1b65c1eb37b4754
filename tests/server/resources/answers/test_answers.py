"""Answering a survey through HTTP, as a participant's phone does (no login), and the
anonymity guarantees, each proven: what a response stores, what else an answer touches,
no order that follows submission, a code that works once (also when two answers race on
PostgreSQL), throttled guessing that keeps no address, and a code that never travels in
a URL."""

import re
import threading
import uuid

import pytest
from sqlalchemy import inspect, select, text

from server.database import db
from server.models import Base, LoginCounter, SurveyCode, SurveyResponse
from tests.conftest import expect, table_counts
from tests.server.resources.surveys.helpers import answers, make_survey, new_code

LOOKUP = "/api/v1/public/survey-lookup"
RESPOND = "/api/v1/public/survey-responses"


@pytest.fixture
def survey(world):
    return make_survey(world.admin, world.dept_a1)


def respond(api, code, given, address="10.9.8.7"):
    return api.post(
        RESPOND, json={"code": code, "answers": given}, environ_base={"REMOTE_ADDR": address}
    )


def test_a_code_opens_its_survey_and_answers_it_once(anonymous, survey):
    code = new_code(survey)
    opened = expect(anonymous.post(LOOKUP, json={"code": code.lower().replace("-", " ")}), 200)
    assert opened["title"] == survey.title
    assert opened["language"] == "nb"
    assert [q["kind"] for q in opened["questions"]] == ["scale", "yes_no", "choice", "text"]
    assert opened["questions"][2]["options"] == ["Kjøkken", "Servering"]

    first = respond(anonymous, code, answers(survey, text="Godt miljø"))
    assert first.status_code == 201, first.json
    again = respond(anonymous, code, answers(survey))
    assert again.status_code == 409
    assert again.json["message"] == "This code has been used. Each code gives one answer."
    assert anonymous.post(LOOKUP, json={"code": code}).status_code == 409
    assert db.session.scalar(select(SurveyResponse.answers)) == {
        **answers(survey),
        str(survey.questions[3].id): "Godt miljø",
    }


def test_unknown_code_is_404_and_a_survey_not_open_is_410(world, anonymous):
    assert anonymous.post(LOOKUP, json={"code": "ABCD-EFGH"}).status_code == 404
    assert anonymous.post(LOOKUP, json={"code": "not a code at all"}).status_code == 404
    closed = make_survey(world.admin, world.dept_a1, opens=-20, closes=-1)
    planned = make_survey(world.admin, world.dept_a1, opens=2, closes=20)
    for made, message in [(closed, "The survey has closed."), (planned, "has not opened yet")]:
        code = new_code(made)
        for response in (
            anonymous.post(LOOKUP, json={"code": code}),
            respond(anonymous, code, answers(made)),
        ):
            assert response.status_code == 410
            assert message in response.json["message"]
    assert db.session.scalar(select(SurveyResponse.id)) is None


def test_answers_with_no_answer_spend_no_code(anonymous, survey):
    code = new_code(survey)
    empty = respond(anonymous, code, {str(survey.questions[3].id): "  "})
    assert empty.status_code == 422
    assert respond(anonymous, code, answers(survey)).status_code == 201


# --- what is stored -------------------------------------------------------------------


def test_a_response_holds_its_survey_the_rounds_date_and_the_answers_nothing_else(app):
    columns = {
        table: {c["name"] for c in inspect(db.engine).get_columns(table)}
        for table in ("survey_responses", "survey_codes")
    }
    assert columns == {
        # No code, no user, no address, no time of day, no sequence number.
        "survey_responses": {"id", "survey_id", "round_on", "answers"},
        # No time, no batch, no author: which code went to whom is never known.
        "survey_codes": {"code_hash", "survey_id", "used"},
    }
    keys = inspect(db.engine).get_pk_constraint("survey_responses")["constrained_columns"]
    assert keys == ["id"]


def everything() -> dict[str, list]:
    """Every row of every table, as text, sorted: a snapshot of the whole database."""
    return {
        table.name: sorted(map(repr, db.session.execute(select(table)).all()), key=str)
        for table in Base.metadata.sorted_tables
    }


def test_an_answer_touches_one_code_row_and_adds_one_response_nothing_else(anonymous, survey):
    """No access-log row, no history, no security event, no login counter: the answer
    leaves no trace but the response and the code's used flag."""
    code = new_code(survey)
    before = everything()
    assert respond(anonymous, code, answers(survey, text="Fint")).status_code == 201
    after = everything()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"survey_responses", "survey_codes"}
    assert len(after["survey_responses"]) == len(before["survey_responses"]) + 1
    (response,) = db.session.scalars(select(SurveyResponse))
    assert response.round_on == survey.opens_on
    assert uuid.UUID(str(response.id)).version == 4
    assert code.replace("-", "") not in repr(after)


def test_responses_follow_no_order_of_submission(world, anonymous, as_user):
    """Random ids, and free text shown in a new random order each time."""
    survey = make_survey(world.admin, world.dept_a1, min_responses=3)
    texts = [f"Svar nummer {n}" for n in range(10)]
    for line in texts:
        assert respond(anonymous, new_code(survey), answers(survey, text=line)).status_code == 201
    ids = [str(row) for row in db.session.scalars(select(SurveyResponse.id))]
    assert all(uuid.UUID(row).version == 4 for row in ids)
    leader = as_user(world.leader)
    orders = set()
    for _ in range(6):
        result = expect(leader.get(f"/surveys/{survey.id}/results"), 200)
        shown = result["questions"][3]["answers"]
        assert sorted(shown) == sorted(texts)
        orders.add(tuple(shown))
    # Six shuffles of ten answers all alike by chance: one in (10!)^5.
    assert len(orders) > 1


# --- guessing -------------------------------------------------------------------------


@pytest.fixture
def config_overrides():
    return {"SPIRE_SURVEY_MAX_UNKNOWN_CODES": 5}


def test_guessing_is_throttled_per_address_and_the_address_is_not_kept(anonymous, survey):
    address = "203.0.113.77"
    for _ in range(5):
        guess = anonymous.post(
            LOOKUP, json={"code": "ZZZZ-ZZZZ"}, environ_base={"REMOTE_ADDR": address}
        )
        assert guess.status_code == 404
    code = new_code(survey)
    throttled = anonymous.post(LOOKUP, json={"code": code}, environ_base={"REMOTE_ADDR": address})
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert respond(anonymous, code, answers(survey), address=address).status_code == 429
    # Another address is not held back, and the right code still works from there.
    assert respond(anonymous, code, answers(survey), address="198.51.100.5").status_code == 201
    kept = " ".join(map(repr, db.session.execute(select(LoginCounter.__table__)).all()))
    assert address not in kept and "203.0.113" not in kept


# --- a code works once, also in a race ------------------------------------------------


@pytest.mark.postgres(reason="two answers racing with one code need PostgreSQL's row locks")
def test_two_answers_racing_with_one_code_record_one(app, survey):
    code = new_code(survey)
    given = answers(survey)
    barrier = threading.Barrier(4)
    statuses = []

    def answer():
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post(RESPOND, json={"code": code, "answers": given}).status_code)

    threads = [threading.Thread(target=answer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409, 409, 409]
    db.session.expire_all()
    assert db.session.scalar(text("SELECT count(*) FROM survey_responses")) == 1
    assert db.session.get(SurveyCode, db.session.scalar(select(SurveyCode.code_hash))).used


# --- the code never travels in a URL --------------------------------------------------


def test_no_endpoint_takes_a_code_in_its_path_or_query(client):
    document = client.get("/api/openapi.json").json
    for path, operations in document["paths"].items():
        assert not re.search(r"code", path.replace("codes", "").replace("codes.pdf", "")), path
        for method, operation in operations.items():
            if method == "parameters":
                continue
            for parameter in operation.get("parameters", []):
                if "$ref" in parameter:
                    name = parameter["$ref"].rsplit("/", 1)[-1]
                    parameter = document["components"]["parameters"][name]
                assert parameter["name"] != "code", (path, parameter)


def test_table_counts_show_a_refused_answer_writes_nothing(anonymous, survey):
    code = new_code(survey)
    counts = table_counts()
    assert respond(anonymous, code, {str(uuid.uuid4()): 3}).status_code == 422
    assert table_counts() == counts


def test_free_text_with_control_characters_or_deep_nesting_is_refused(anonymous, survey):
    code = new_code(survey)
    text_id = str(survey.questions[3].id)
    assert respond(anonymous, code, {text_id: "Bra\x01 her"}).status_code == 422
    nested = 5
    for _ in range(600):
        nested = [nested]
    deep = respond(anonymous, code, {str(survey.questions[0].id): nested})
    assert deep.status_code == 422, deep.json
    assert respond(anonymous, code, {text_id: "Bra\nher\tog der"}).status_code == 201
