"""Surveys as leaders make them and read their results, through HTTP: the ready template,
the threshold, the next round and its comparison, codes and their warning, the kiosk's
batches."""

import uuid

import pytest

from server.database import db
from server.models import Survey
from shared.i18n import texts
from shared.vocab import Language, Role
from tests.conftest import expect
from tests.factories import DepartmentFactory, OrganisationFactory, UserFactory
from tests.server.resources.surveys.helpers import (
    answers,
    days,
    make_survey,
    new_code,
    survey_body,
)

RESPOND = "/api/v1/public/survey-responses"


@pytest.fixture
def leader(world, as_user):
    return as_user(world.leader)


def answer(anonymous, survey, **given):
    expect(
        anonymous.post(
            RESPOND, json={"code": new_code(survey), "answers": answers(survey, **given)}
        ),
        201,
    )


def test_the_ready_template_is_the_work_training_survey_in_the_callers_language(as_user):
    organisation = OrganisationFactory(language=Language.DANISH)
    department = DepartmentFactory(organisation=organisation)
    danish = as_user(
        UserFactory(organisation=organisation, departments=[department], role=Role.LEADER)
    )
    # The language of the request, as for every text the API answers with.
    template = expect(
        danish.get("/survey-templates/work-training", headers={"Accept-Language": "da"}), 200
    )
    assert [q["kind"] for q in template["questions"]] == [
        "scale",
        "scale",
        "scale",
        "scale",
        "scale",
        "yes_no",
        "text",
    ]
    assert template["questions"][0]["text"] == texts("da").gettext("I am met with respect here.")


def test_a_leader_makes_a_survey_from_the_template_and_it_opens_at_once(world, leader):
    template = expect(leader.get("/survey-templates/work-training"), 200)
    body = {
        **template,
        "department_id": str(world.dept_a1.id),
        "opens_on": days(0),
        "closes_on": days(14),
    }
    survey = expect(leader.post("/surveys", json=body), 201)
    assert (survey["status"], survey["min_responses"], survey["responses"]) == ("open", 5, 0)
    assert len(survey["questions"]) == 7
    listed = expect(leader.get("/surveys"), 200)
    assert [s["id"] for s in listed] == [survey["id"]]


def test_a_survey_of_the_whole_organisation_is_seen_by_all_its_staff(world, leader, as_user):
    """A leader makes it; every member of staff sees it; it is run by the leader who
    made it and the admin, not by the leaders of other departments."""
    survey = expect(leader.post("/surveys", json=survey_body(None)), 201)
    assert survey["department_id"] is None
    path = f"/surveys/{survey['id']}"
    expect(leader.patch(path, json={"min_responses": 6}), 200)
    other = as_user(world.facilitator_a2)
    assert expect(other.get(path), 200)["title"] == survey["title"]
    assert as_user(world.admin_b).get(path).status_code == 404
    admin = as_user(world.admin)
    admins = expect(admin.post("/surveys", json=survey_body(None)), 201)
    theirs = f"/surveys/{admins['id']}"
    assert leader.patch(theirs, json={"department_id": str(world.dept_a1.id)}).status_code == 403
    assert leader.get(f"{theirs}/results").status_code == 403
    expect(admin.get(f"{path}/results"), 200)
    other = as_user(world.facilitator_a2)
    assert expect(other.get(f"/surveys/{survey['id']}"), 200)["title"] == survey["title"]
    outsider = as_user(world.admin_b)
    assert outsider.get(f"/surveys/{survey['id']}").status_code == 404


def test_questions_are_fixed_once_someone_has_answered(world, leader, anonymous):
    survey = make_survey(world.admin, world.dept_a1)
    path = f"/surveys/{survey.id}"
    new_questions = [{"kind": "scale", "text": "Jeg trives."}]
    expect(leader.patch(path, json={"questions": new_questions}), 200)
    survey_now = expect(leader.get(path), 200)
    assert [q["text"] for q in survey_now["questions"]] == ["Jeg trives."]
    db.session.expire_all()
    answer_one = {"code": new_code(survey), "answers": {survey_now["questions"][0]["id"]: 5}}
    expect(anonymous.post(RESPOND, json=answer_one), 201)
    refused = leader.patch(path, json={"questions": [{"kind": "yes_no", "text": "Ja?"}]})
    assert refused.status_code == 409
    # The dates and the title can still change.
    changed = expect(leader.patch(path, json={"title": "Høst", "closes_on": days(30)}), 200)
    assert (changed["title"], changed["closes_on"]) == ("Høst", days(30))


def test_results_are_withheld_until_the_threshold(world, leader, anonymous):
    survey = make_survey(world.admin, world.dept_a1, min_responses=3)
    path = f"/surveys/{survey.id}/results"
    for scale in (2, 4):
        answer(anonymous, survey, scale=scale, text="Hemmelig")
    withheld = expect(leader.get(path), 200)
    assert (withheld["responses"], withheld["suppressed"]) == (2, True)
    for question in withheld["questions"]:
        assert all(question[k] is None for k in ("n", "mean", "distribution", "answers"))
    assert "Hemmelig" not in str(withheld)

    answer(anonymous, survey, scale=5, recommend=False, text="Trygt")
    shown = expect(leader.get(path), 200)
    assert (shown["responses"], shown["suppressed"]) == (3, False)
    scale, yes_no, choice, free = shown["questions"]
    assert (scale["n"], scale["mean"]) == (3, 3.67)
    assert scale["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert (yes_no["distribution"], yes_no["mean"]) == ({"yes": 2, "no": 1}, 0.67)
    # Nobody chose a workplace: below the threshold, that question shows nothing.
    assert (choice["withheld"], choice["n"], choice["distribution"]) == (True, None, None)
    assert sorted(free["answers"]) == ["Hemmelig", "Hemmelig", "Trygt"]


def test_a_question_fewer_have_answered_is_withheld_with_its_free_text(world, leader, anonymous):
    """Three have answered the survey, one of them the free text: that one text would
    be one person's words, so it is not shown, nor how many wrote one."""
    survey = make_survey(world.admin, world.dept_a1, min_responses=3)
    answer(anonymous, survey, text="Per er urettferdig mot meg")
    answer(anonymous, survey)
    answer(anonymous, survey)
    shown = expect(leader.get(f"/surveys/{survey.id}/results"), 200)
    assert shown["suppressed"] is False
    free = shown["questions"][3]
    assert (free["withheld"], free["n"], free["answers"]) == (True, None, None)
    assert "urettferdig" not in str(shown)
    for format in ("pdf", "xlsx"):
        download = leader.get(f"/surveys/{survey.id}/results?format={format}")
        assert download.status_code == 200
        assert b"urettferdig" not in download.data


def test_the_next_round_is_compared_with_the_previous(world, leader, anonymous):
    first = make_survey(world.admin, world.dept_a1, min_responses=3)
    for scale in (2, 2, 3):
        answer(anonymous, first, scale=scale)
    copy = expect(
        leader.post(f"/surveys/{first.id}/copy", json={"opens_on": days(0), "closes_on": days(9)}),
        201,
    )
    assert copy["previous_id"] == str(first.id)
    assert copy["codes_made"] == 0 and copy["responses"] == 0
    assert [q["text"] for q in copy["questions"]] == [q.text for q in first.questions]
    second = db.session.get(Survey, uuid.UUID(copy["id"]))
    for scale in (4, 5, 5):
        answer(anonymous, second, scale=scale)
    result = expect(leader.get(f"/surveys/{second.id}/results"), 200)
    assert result["previous_id"] == str(first.id) and result["previous_responses"] == 3
    scale = result["questions"][0]
    assert (scale["mean"], scale["previous_mean"]) == (4.67, 2.33)
    assert scale["previous_distribution"] == {"1": 0, "2": 2, "3": 1, "4": 0, "5": 0}
    assert result["questions"][3]["previous_n"] is None  # free text is not compared


def test_codes_are_shown_once_and_few_get_a_plain_warning(world, leader):
    survey = make_survey(world.admin, world.dept_a1, min_responses=12)
    few = expect(leader.post(f"/surveys/{survey.id}/codes", json={"count": 11}), 201)
    assert len(set(few["codes"])) == 11
    assert all(len(code) == 9 and code[4] == "-" for code in few["codes"])
    assert not set("".join(few["codes"])) & set("01OIL")
    assert "Hand out at least 12" in few["warning"]
    enough = expect(leader.post(f"/surveys/{survey.id}/codes", json={"count": 12}), 201)
    assert enough["warning"] is None
    shown = expect(leader.get(f"/surveys/{survey.id}"), 200)
    assert (shown["codes_made"], shown["codes_used"]) == (23, 0)


def test_a_facilitator_makes_codes_only_while_the_survey_is_open(world, as_user):
    facilitator = as_user(world.facilitator)
    planned = make_survey(world.admin, world.dept_a1, opens=3, closes=10)
    closed = make_survey(world.admin, world.dept_a1, opens=-10, closes=-2)
    assert facilitator.post(f"/surveys/{planned.id}/codes", json={"count": 20}).status_code == 403
    assert facilitator.post(f"/surveys/{closed.id}/codes", json={"count": 20}).status_code == 410
    leader = as_user(world.leader)
    assert leader.post(f"/surveys/{closed.id}/codes", json={"count": 20}).status_code == 410
    assert leader.post(f"/surveys/{planned.id}/codes", json={"count": 20}).status_code == 201


def test_the_kiosk_batch_answers_each_and_is_safe_to_send_again(world, as_user):
    facilitator = as_user(world.facilitator)
    survey = make_survey(world.admin, world.dept_a1)
    other = make_survey(world.admin, world.dept_a1)
    good = [new_code(survey) for _ in range(3)]
    batch = [
        {"code": good[0], "answers": answers(survey, scale=1)},
        {"code": "ABCD-EFGH", "answers": answers(survey)},
        {"code": good[1], "answers": {str(survey.questions[0].id): 9}},
        {"code": new_code(other), "answers": answers(other)},
        {"code": good[2], "answers": answers(survey, scale=5)},
    ]
    path = f"/surveys/{survey.id}/kiosk-responses"
    first = expect(facilitator.post(path, json={"responses": batch}), 200)
    assert [r["status"] for r in first["results"]] == [201, 404, 422, 404, 201]
    again = expect(facilitator.post(path, json={"responses": batch}), 200)
    assert [r["status"] for r in again["results"]] == [409, 404, 422, 404, 409]
    assert expect(facilitator.get(f"/surveys/{survey.id}"), 200)["responses"] == 2


def test_what_is_fixed_once_answered_or_repeated(world, leader, anonymous):
    """After the first answer: the opening day (a new one would date later answers apart
    from earlier ones), the department and the questions; sending them unchanged is no
    change. A round that a next round repeats keeps its questions too."""
    survey = make_survey(world.admin, world.dept_a1)
    path = f"/surveys/{survey.id}"
    answer(anonymous, survey)
    same = {
        "department_id": str(world.dept_a1.id),
        "opens_on": survey.opens_on.isoformat(),
        "questions": [
            {"kind": str(q.kind), "text": q.text, "options": q.options} for q in survey.questions
        ],
        "title": "Høstrunden",
    }
    assert expect(leader.patch(path, json=same), 200)["title"] == "Høstrunden"
    for change in (
        {"opens_on": days(-3)},
        {"department_id": str(world.dept_a2.id)},
        {"questions": [{"kind": "scale", "text": "Noe nytt"}]},
    ):
        refused = leader.patch(path, json=change)
        assert refused.status_code == 409, (change, refused.json)
    fresh = make_survey(world.admin, world.dept_a1)
    expect(
        leader.post(
            f"/surveys/{fresh.id}/copy", json={"opens_on": days(20), "closes_on": days(30)}
        ),
        201,
    )
    repeated = leader.patch(
        f"/surveys/{fresh.id}", json={"questions": [{"kind": "text", "text": "Hei"}]}
    )
    assert repeated.status_code == 409


def test_a_closed_department_gets_no_next_round(world, leader):
    survey = make_survey(world.admin, world.dept_a1)
    world.dept_a1.active = False
    db.session.commit()
    refused = leader.post(
        f"/surveys/{survey.id}/copy", json={"opens_on": days(1), "closes_on": days(9)}
    )
    assert refused.status_code == 422


def test_a_kiosk_batch_counts_unknown_codes_as_guesses(world, as_user, app):
    app.config["SPIRE_SURVEY_MAX_UNKNOWN_CODES"] = 3
    facilitator = as_user(world.facilitator)
    survey = make_survey(world.admin, world.dept_a1)
    path = f"/surveys/{survey.id}/kiosk-responses"
    guesses = [{"code": f"ABCD-EFG{c}", "answers": answers(survey)} for c in "HJKMN"]
    first = expect(facilitator.post(path, json={"responses": guesses}), 200)
    assert [r["status"] for r in first["results"]] == [404] * 5
    throttled = facilitator.post(path, json={"responses": guesses})
    assert throttled.status_code == 429
    assert expect(facilitator.get(f"/surveys/{survey.id}"), 200)["responses"] == 0
