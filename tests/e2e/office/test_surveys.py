"""A leader makes a survey from the ready template, prints its code slips and, once
participants have answered on their phones, reads the results, in Chromium."""

import re

from tests.e2e.conftest import call
from tests.e2e.office.conftest import LEADER


def test_a_leader_makes_a_survey_prints_codes_and_reads_the_results(office):
    office.sign_in(*LEADER)
    office.open("/office/surveys/")
    assert office.serious_violations() == []
    office.press(office.find("a.button[href$='/surveys/new']").text)

    # The ready survey fills the form: a title, an introduction and its questions.
    assert office.find('input[name="title"]').get_attribute("value")
    assert office.find('textarea[name="questions-0-text"]').get_attribute("value")
    assert office.serious_violations() == []
    assert office.console_errors() == []
    office.screenshot("office-survey-new")

    office.fill({"title": "Brukerundersøkelse høsten"})
    office.click_and_wait('form.survey-form button[type="submit"]')
    found = re.search(r"/office/surveys/([0-9a-f-]{36})$", office.driver.current_url)
    assert found, office.driver.current_url
    survey_id = found.group(1)
    assert office.heading == "Brukerundersøkelse høsten"

    office.fill({"count": "12"})
    office.find('form.print-codes button[type="submit"]').click()
    slips = office.wait_for_download(".pdf")
    assert slips.name.endswith(".pdf")

    # Six participants answer with codes of their own, on their phones.
    status, login = call(
        office.base, "POST", "/api/v1/auth/login", {"username": LEADER[0], "password": LEADER[1]}
    )
    assert status == 200
    token = login["access_token"]
    status, survey = call(office.base, "GET", f"/api/v1/surveys/{survey_id}", token=token)
    assert status == 200
    questions = survey["questions"]
    status, made = call(
        office.base, "POST", f"/api/v1/surveys/{survey_id}/codes", {"count": 6}, token=token
    )
    assert status == 201
    # Five write something: as many as the threshold, so the free text is shown.
    remarks = [
        "Fint å være her.",
        "Trives godt.",
        "Mer tur på fredager!",
        "Hyggelige folk.",
        "Godt med lunsj.",
        "",
    ]
    for number, code in enumerate(made["codes"]):
        answers = {}
        for position, question in enumerate(questions):
            if question["kind"] == "scale":
                answers[question["id"]] = min(5, 2 + (number + position) % 4)
            elif question["kind"] == "yes_no":
                answers[question["id"]] = number != 3
            elif remarks[number]:
                answers[question["id"]] = remarks[number]
        status, _ = call(
            office.base,
            "POST",
            "/api/v1/public/survey-responses",
            {"code": code, "answers": answers},
        )
        assert status == 201

    office.open(f"/office/surveys/{survey_id}/results")
    assert office.find_all("table.distribution")
    assert "Mer tur på fredager!" in office.text
    assert office.serious_violations() == []
    assert office.console_errors() == []
    office.screenshot("office-survey-results")
