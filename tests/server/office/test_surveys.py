"""The office's survey pages: making one from the ready template (or from nothing),
changing it while nobody has answered and only its texts and dates after, the next round,
the code slips with the warning for a small batch, and results withheld until enough have
answered, over the same services as the API's survey routes."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

from server.services.surveys import template
from shared.vocab import Role
from tests import factories as f
from tests.conftest import expect
from tests.server.office.conftest import nb

SURVEYS = "/office/surveys/"
NEW = "/office/surveys/new"


class FormReader(HTMLParser):
    """What a browser sends from the form with class ``form_class``: every named box with
    its value (a select's chosen option, a text area's text, a checkbox only if ticked),
    the hidden ones included."""

    def __init__(self, form_class: str):
        super().__init__()
        self.form_class = form_class
        self.values: dict[str, str] = {}
        self._inside = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_class in (attrs.get("class") or "").split():
            self._inside = True
        if not self._inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.values[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
            self.values[name] = ""
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_of(response, form_class: str = "survey-form") -> dict[str, str]:
    reader = FormReader(form_class)
    reader.feed(response.get_data(as_text=True))
    assert "csrf_token" in reader.values, response.get_data(as_text=True)[:2000]
    return reader.values


def html(response) -> str:
    return response.get_data(as_text=True)


def make(browser, path: str = NEW, **changes):
    """The new-survey form as the page fills it in, with ``changes``, sent."""
    page = browser.get(path)
    assert page.status_code == 200
    values = form_of(page) | changes
    return browser.post(path, values, token_from=path)


def made_id(response) -> str:
    assert response.status_code == 303, html(response)[:3000]
    found = re.fullmatch(r".*/office/surveys/([0-9a-f-]{36})", response.headers["Location"])
    assert found, response.headers["Location"]
    return found.group(1)


def answer(anonymous, as_user, leader, survey_id: str, answers_by_position: list[dict]):
    """Participants answering through the public endpoint, each with a code of their own
    from the API; ``answers_by_position`` holds one ``{position: value}`` per person."""
    stored = expect(as_user(leader).get(f"/api/v1/surveys/{survey_id}"), 200)
    ids = [question["id"] for question in stored["questions"]]
    made = expect(
        as_user(leader).post(
            f"/api/v1/surveys/{survey_id}/codes", {"count": len(answers_by_position)}
        ),
        201,
    )
    for code, given in zip(made["codes"], answers_by_position, strict=True):
        body = {"code": code, "answers": {ids[p]: value for p, value in given.items()}}
        expect(anonymous.post("/api/v1/public/survey-responses", body), 201)


def stored(as_user, user, survey_id: str) -> dict:
    return expect(as_user(user).get(f"/api/v1/surveys/{survey_id}"), 200)


# --- Making a survey --------------------------------------------------------------------


def test_a_leader_makes_a_survey_from_the_ready_template(world, signed_in, as_user):
    leader = signed_in(world.leader)
    page = leader.get(NEW)
    assert page.status_code == 200
    values = form_of(page)
    assert values["title"] == nb(template.TITLE)
    assert values["intro"] == nb(template.INTRO)
    assert values["department_id"] == str(world.dept_a1.id)
    assert values["min_responses"] == "5"
    texts = [values[f"questions-{n}-text"] for n in range(len(template.QUESTIONS))]
    assert texts == [nb(text) for _kind, text in template.QUESTIONS]
    # Empty rows after the template's, to add questions.
    assert values[f"questions-{len(template.QUESTIONS)}-text"] == ""

    survey_id = made_id(leader.post(NEW, values, token_from=NEW))
    survey = stored(as_user, world.leader, survey_id)
    assert survey["title"] == nb(template.TITLE)
    assert survey["department_id"] == str(world.dept_a1.id)
    assert survey["status"] == "open"
    assert [q["kind"] for q in survey["questions"]] == [k for k, _t in template.QUESTIONS]

    listed = html(leader.get(SURVEYS))
    assert nb(template.TITLE) in listed
    assert nb("New survey") in listed
    assert "0 / 5" in listed  # answers / needed, and codes made / used
    shown = html(leader.get(f"{SURVEYS}{survey_id}"))
    assert nb("Print codes") in shown
    assert nb("Copy to the next round") in shown


def test_an_empty_start_with_a_choice_for_the_whole_organisation(world, signed_in, as_user):
    leader = signed_in(world.leader)
    blank = leader.get(f"{NEW}?start=blank")
    values = form_of(blank)
    assert values["title"] == ""
    assert values["questions-0-text"] == ""
    response = leader.post(
        f"{NEW}?start=blank",
        values
        | {
            "title": "Lunsj",
            "department_id": "",
            "min_responses": "3",
            "questions-0-text": "Hva vil du ha til lunsj?",
            "questions-0-kind": "choice",
            "questions-0-options": "Suppe\r\n\r\n Brødmat \r\nSalat",
        },
        token_from=f"{NEW}?start=blank",
    )
    survey = stored(as_user, world.leader, made_id(response))
    assert survey["department_id"] is None
    assert survey["min_responses"] == 3
    assert survey["questions"] == [
        {
            "id": survey["questions"][0]["id"],
            "kind": "choice",
            "text": "Hva vil du ha til lunsj?",
            "options": ["Suppe", "Brødmat", "Salat"],
        }
    ]


def test_a_question_left_out_is_not_saved(world, signed_in, as_user):
    response = make(signed_in(world.leader), **{"questions-0-remove": "true"})
    survey = stored(as_user, world.leader, made_id(response))
    assert len(survey["questions"]) == len(template.QUESTIONS) - 1
    assert survey["questions"][0]["text"] == nb(template.QUESTIONS[1][1])


def test_a_refused_form_keeps_what_was_typed_with_the_messages_beside(world, signed_in):
    leader = signed_in(world.leader)
    response = make(leader, title="", min_responses="2", intro="Hei alle sammen")
    assert response.status_code == 422
    page = html(response)
    assert 'id="error-summary"' in page
    assert 'id="title-error"' in page
    assert 'id="min_responses-error"' in page
    values = form_of(response)
    assert values["intro"] == "Hei alle sammen"
    assert values["min_responses"] == "2"
    assert values["questions-0-text"] == nb(template.QUESTIONS[0][1])

    # The service's rules, beside their boxes too: the closing date, a choice's options.
    opens = date.today()
    response = make(
        leader, opens_on=opens.isoformat(), closes_on=(opens - timedelta(days=1)).isoformat()
    )
    assert response.status_code == 422
    assert 'id="closes_on-error"' in html(response)
    response = make(
        leader, **{"questions-2-kind": "choice", "questions-2-options": "Bare ett svar"}
    )
    assert response.status_code == 422
    page = html(response)
    assert 'id="questions-2-options-error"' in page
    assert nb("A choice needs at least two options.") in page
    assert form_of(response)["questions-2-options"] == "Bare ett svar"
    assert nb(template.TITLE) not in html(leader.get(SURVEYS))


def test_no_question_at_all_is_refused(world, signed_in):
    leader = signed_in(world.leader)
    values = form_of(leader.get(f"{NEW}?start=blank")) | {"title": "Tom"}
    response = leader.post(f"{NEW}?start=blank", values, token_from=NEW)
    assert response.status_code == 422
    assert 'id="questions-error"' in html(response)


def test_a_form_sent_twice_makes_one_survey(world, signed_in, as_user):
    leader = signed_in(world.leader)
    values = form_of(leader.get(NEW))
    made_id(leader.post(NEW, values, token_from=NEW))
    again = leader.post(NEW, values, token_from=NEW)
    assert again.status_code == 303
    listed = expect(as_user(world.leader).get("/api/v1/surveys"), 200)
    assert len(listed) == 1


# --- Changing a survey ------------------------------------------------------------------


def test_a_survey_is_changed_questions_and_all_while_nobody_has_answered(world, signed_in, as_user):
    leader = signed_in(world.leader)
    survey_id = made_id(make(leader))
    edit = f"{SURVEYS}{survey_id}/edit"
    values = form_of(leader.get(edit))
    assert values["title"] == nb(template.TITLE)
    response = leader.post(
        edit,
        values
        | {
            "title": "Høstens undersøkelse",
            "min_responses": "8",
            "questions-1-text": "De ansatte hører på meg når jeg sier noe.",
            "questions-6-remove": "true",
        },
        token_from=edit,
    )
    assert response.status_code == 303
    survey = stored(as_user, world.leader, survey_id)
    assert survey["title"] == "Høstens undersøkelse"
    assert survey["min_responses"] == 8
    assert survey["questions"][1]["text"] == "De ansatte hører på meg når jeg sier noe."
    assert len(survey["questions"]) == len(template.QUESTIONS) - 1


def test_after_an_answer_only_the_texts_and_dates_change(world, signed_in, as_user, anonymous):
    leader = signed_in(world.leader)
    survey_id = made_id(make(leader))
    edit = f"{SURVEYS}{survey_id}/edit"
    opened_before = form_of(leader.get(edit))
    answer(anonymous, as_user, world.leader, survey_id, [{0: 4}])

    page = leader.get(edit)
    assert "questions-0-text" not in html(page)
    assert 'name="department_id"' not in html(page)
    locked = nb(
        "Someone has answered already, so the questions and the department can no longer "
        "be changed: every answer is to the same questions."
    )
    assert locked in html(page)
    values = form_of(page) | {"title": "Nytt navn", "closes_on": date.today().isoformat()}
    assert leader.post(edit, values, token_from=edit).status_code == 303
    survey = stored(as_user, world.leader, survey_id)
    assert survey["title"] == "Nytt navn"

    # A form opened before the answer came: its unchanged questions go unsent, so its
    # other changes save ...
    unchanged = opened_before | {"title": "Tredje navn"}
    assert leader.post(edit, unchanged, token_from=edit).status_code == 303
    assert stored(as_user, world.leader, survey_id)["title"] == "Tredje navn"
    # ... but a changed question is refused, with nothing saved (a second such form: the
    # first was saved already, and a form is saved once).
    changed = opened_before | {
        "title": "Fjerde navn",
        "questions-0-text": "Noe annet?",
        "once": "another-form",
    }
    response = leader.post(edit, changed, token_from=edit)
    assert response.status_code == 409
    assert nb("Someone has answered already: the questions stay as they are.") in html(response)
    assert form_of(response)["title"] == "Fjerde navn"
    survey = stored(as_user, world.leader, survey_id)
    assert survey["title"] == "Tredje navn"
    assert survey["questions"][0]["text"] == nb(template.QUESTIONS[0][1])


def test_the_next_round_is_a_copy_with_new_dates(world, signed_in, as_user):
    leader = signed_in(world.leader)
    survey_id = made_id(make(leader))
    show = f"{SURVEYS}{survey_id}"
    refused = leader.post(f"{show}/copy", {"opens_on": ""}, token_from=show)
    assert refused.status_code == 422
    assert 'href="#copy-opens_on"' in html(refused)

    opens = date.today() + timedelta(days=180)
    response = leader.post(
        f"{show}/copy",
        {"opens_on": opens.isoformat(), "closes_on": (opens + timedelta(days=14)).isoformat()},
        token_from=show,
    )
    copy_id = made_id(response)
    assert copy_id != survey_id
    copy = stored(as_user, world.leader, copy_id)
    assert copy["previous_id"] == survey_id
    assert copy["status"] == "planned"
    assert copy["title"] == nb(template.TITLE)
    assert copy["codes_made"] == 0
    assert f'href="/office/surveys/{survey_id}"' in html(leader.get(f"{SURVEYS}{copy_id}"))


# --- Code slips -------------------------------------------------------------------------


def test_a_small_batch_of_codes_is_first_a_warning(world, signed_in, as_user):
    leader = signed_in(world.leader)
    survey_id = made_id(make(leader))
    show = f"{SURVEYS}{survey_id}"
    response = leader.post(f"{show}/codes", {"count": "4"}, token_from=show)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = html(response)
    warning = nb(
        "Only {count} code: with so few answers, an answer may point to the person who "
        "gave it. Hand out at least {floor}.",
        "Only {count} codes: with so few answers, an answer may point to the person who "
        "gave it. Hand out at least {floor}.",
        4,
    ).format(count=4, floor=10)
    assert warning in page
    assert 'name="confirmed" value="true"' in page
    assert form_of(response, "print-codes")["count"] == "4"
    assert stored(as_user, world.leader, survey_id)["codes_made"] == 0


def test_a_bad_number_of_codes_is_refused_beside_its_box(world, signed_in, as_user):
    leader = signed_in(world.leader)
    survey_id = made_id(make(leader))
    show = f"{SURVEYS}{survey_id}"
    for count in ("501", "0", "mange"):
        refused = leader.post(f"{show}/codes", {"count": count}, token_from=show)
        assert refused.status_code == 422, count
        assert 'href="#codes-count"' in html(refused)
        assert form_of(refused, "print-codes")["count"] == count
    assert stored(as_user, world.leader, survey_id)["codes_made"] == 0


def test_a_closed_survey_prints_no_codes(world, signed_in, as_user):
    leader = signed_in(world.leader)
    opens = date.today() - timedelta(days=30)
    closes = date.today() - timedelta(days=1)
    survey_id = made_id(make(leader, opens_on=opens.isoformat(), closes_on=closes.isoformat()))
    show = f"{SURVEYS}{survey_id}"
    page = html(leader.get(show))
    assert nb("The survey has closed: no more codes are made for it.") in page
    assert "print-codes" not in page
    refused = leader.post(f"{show}/codes", {"count": "20"}, token_from=show)
    assert refused.status_code == 410
    assert stored(as_user, world.leader, survey_id)["codes_made"] == 0


def test_the_slips_download_once_confirmed_or_enough(world, signed_in, as_user):
    leader = signed_in(world.leader)
    survey_id = made_id(make(leader))
    show = f"{SURVEYS}{survey_id}"
    confirmed = leader.post(f"{show}/codes", {"count": "4", "confirmed": "true"}, token_from=show)
    assert confirmed.status_code == 200
    assert confirmed.content_type == "application/pdf"
    assert re.fullmatch(
        r'attachment; filename="[a-z0-9-]+\.pdf"', confirmed.headers["Content-Disposition"]
    )
    assert stored(as_user, world.leader, survey_id)["codes_made"] == 4

    enough = leader.post(f"{show}/codes", {"count": "25"}, token_from=show)
    assert enough.status_code == 200
    assert enough.content_type == "application/pdf"
    assert enough.headers["Content-Disposition"].endswith('.pdf"')
    assert stored(as_user, world.leader, survey_id)["codes_made"] == 29


# --- Results ----------------------------------------------------------------------------


def test_results_are_withheld_until_the_threshold_then_shown(world, signed_in, as_user, anonymous):
    leader = signed_in(world.leader)
    survey_id = made_id(make(leader, min_responses="3"))
    results = f"{SURVEYS}{survey_id}/results"
    page = html(leader.get(results))
    withheld = nb("Results are shown when at least %(count)d have answered.") % {"count": 3}
    assert withheld in page

    # Positions: 0 a scale, 5 yes or no, 6 free text.
    answer(
        anonymous,
        as_user,
        world.leader,
        survey_id,
        [{0: 5, 5: True, 6: "Kaffen er god"}, {0: 3, 5: False, 6: "Trygt her"}],
    )
    page = html(leader.get(results))
    assert withheld in page
    assert (
        nb("So far %(num)d has answered.", "So far %(num)d have answered.", 2) % {"num": 2} in page
    )
    assert "Kaffen er god" not in page
    assert "<table" not in page

    answer(anonymous, as_user, world.leader, survey_id, [{0: 4, 5: True, 6: "Mer tur!"}])
    response = leader.get(results)
    assert response.status_code == 200
    page = html(response)
    assert withheld not in page
    assert "Kaffen er god" in page and "Mer tur!" in page
    # The two questions all three answered; the four nobody answered show nothing.
    assert page.count('<table class="distribution">') == 2
    question_withheld = nb(
        "Fewer than %(count)d answered this question: its answers are not shown."
    )
    assert page.count(question_withheld % {"count": 3}) == 4
    # The scale's mean (5 + 3 + 4) / 3, in the page's language; two of three said yes.
    assert "4,0" in page
    assert "67 %" in page
    assert 'class="bar w-35"' in page  # one of three: a third of the bar, in steps of 5


def test_the_previous_round_is_shown_beside(world, signed_in, as_user, anonymous):
    leader = signed_in(world.leader)
    first = made_id(make(leader, min_responses="3"))
    answer(anonymous, as_user, world.leader, first, [{0: 1}, {0: 2}, {0: 3}])
    opens = date.today()
    second = made_id(
        leader.post(
            f"{SURVEYS}{first}/copy",
            {"opens_on": opens.isoformat(), "closes_on": (opens + timedelta(days=7)).isoformat()},
            token_from=f"{SURVEYS}{first}",
        )
    )
    answer(anonymous, as_user, world.leader, second, [{0: 5}, {0: 5}, {0: 4}])
    page = html(leader.get(f"{SURVEYS}{second}/results"))
    assert nb("Previous round: number") in page
    assert nb("previous round: %(value)s") % {"value": "2,0"} in page


def test_the_results_download_as_pdf_and_excel(world, signed_in, as_user, anonymous):
    leader = signed_in(world.leader)
    survey_id = made_id(make(leader, min_responses="3"))
    answer(anonymous, as_user, world.leader, survey_id, [{0: 1}, {0: 2}, {0: 3}])
    base = f"{SURVEYS}{survey_id}/results/file"
    pdf = leader.get(f"{base}?format=pdf")
    assert pdf.status_code == 200
    assert pdf.content_type == "application/pdf"
    assert pdf.headers["Content-Disposition"].endswith('.pdf"')
    xlsx = leader.get(f"{base}?format=xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content_type.startswith("application/vnd.openxmlformats")
    assert xlsx.headers["Content-Disposition"].endswith('.xlsx"')
    assert leader.get(f"{base}?format=json").status_code == 422


# --- Who sees what ----------------------------------------------------------------------


def test_a_leader_of_another_department_finds_no_such_survey(world, signed_in):
    survey_id = made_id(make(signed_in(world.leader)))
    other = f.UserFactory(organisation=world.org_a, role=Role.LEADER, departments=[world.dept_a2])
    browser = signed_in(other)
    for path in ("", "/edit", "/results", "/results/file?format=pdf"):
        assert browser.get(f"{SURVEYS}{survey_id}{path}").status_code == 404, path
    show = f"{SURVEYS}{survey_id}"
    token_from = SURVEYS
    for path in ("/edit", "/copy", "/codes"):
        response = browser.post(f"{show}{path}", {"count": "20"}, token_from=token_from)
        assert response.status_code == 404, path
    assert survey_id not in html(browser.get(SURVEYS))
    # The admin sees every department's.
    assert signed_in(world.admin).get(show).status_code == 200


def test_facilitators_have_no_survey_pages(world, signed_in):
    survey_id = made_id(make(signed_in(world.leader)))
    facilitator = signed_in(world.facilitator)
    assert f'href="{SURVEYS}"' not in html(facilitator.get("/office/"))
    assert f'href="{SURVEYS}"' in html(signed_in(world.leader).get("/office/"))
    for path in (SURVEYS, NEW, f"{SURVEYS}{survey_id}", f"{SURVEYS}{survey_id}/results"):
        assert facilitator.get(path).status_code == 403, path
    response = facilitator.post(
        f"{SURVEYS}{survey_id}/codes", {"count": "20"}, token_from="/office/"
    )
    assert response.status_code == 403
