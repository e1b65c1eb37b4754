"""A participant answers a survey on their phone: with the code from the slip's QR code
(in the address's fragment) or typed by hand, and every refusal the page explains."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from shared import i18n
from tests.e2e.conftest import call
from tests.e2e.survey.conftest import screen

PAGE = "/s/"
SHOWN = "#answers:not([hidden]) fieldset"


def nb(text: str) -> str:
    """A text as the page shows it in bokmål (the test names it by its English source)."""
    return i18n.texts("nb").gettext(text)


def wait_for_text(phone, css: str, text: str, seconds: float = 10) -> None:
    WebDriverWait(phone.driver, seconds).until(
        lambda driver: text in driver.find_element(By.CSS_SELECTOR, css).text,
        f"{css} never said {text!r}",
    )


def focused_id(phone) -> str:
    return phone.driver.switch_to.active_element.get_attribute("id")


def choose(phone, question: int, option: int) -> None:
    """Tap the ``option``-th answer (from 1) of the ``question``-th question."""
    phone.find(f"#q{question} .option:nth-of-type({option})").click()


def results(leader, survey: dict) -> dict:
    status, body = leader("GET", f"/api/v1/surveys/{survey['id']}/results?format=json")
    assert status == 200, body
    return body


def test_answering_with_the_code_from_the_slip(phone, leader, make_survey, codes_for):
    survey = make_survey()
    code, *others = codes_for(survey, 3)
    phone.open(PAGE + "#" + code)
    phone.wait_for(SHOWN)

    # The code has left the address bar (and so the history); the survey is shown.
    assert phone.driver.current_url == phone.base + PAGE
    assert phone.heading == survey["title"]
    assert focused_id(phone) == "heading"
    assert survey["intro"] in phone.find("#intro").text
    legends = [legend.text for legend in phone.find_all("#questions legend")]
    assert legends == [f"{n}. {q['text']}" for n, q in enumerate(survey["questions"], 1)]
    assert phone.find("html").get_attribute("lang") == "nb"
    assert (
        nb(
            "With your answers we keep only which survey they belong to: not your code, not who "
            "you are, not when you answered."
        )
        in phone.text
    )
    scale = phone.find("#q1 .scale-ends").text
    assert nb("Strongly disagree") in scale and nb("Strongly agree") in scale
    assert phone.driver.execute_script("return document.documentElement.scrollWidth") <= 390
    assert phone.driver.execute_script("return window.innerWidth") == 390

    choose(phone, 1, 4)
    choose(phone, 2, 5)
    choose(phone, 3, 4)
    choose(phone, 6, 1)  # yes
    choose(phone, 7, 2)  # Sykkel
    phone.find("#q8-text").send_keys("Fine folk og god kaffe.")
    assert phone.find("#q8-counter").text == nb("{count} of {max} characters").format(
        count=23, max=2000
    )
    assert phone.serious_violations() == []
    phone.screenshot("survey-questions")

    phone.find("#answers button[type=submit]").click()
    phone.wait_for("#thanks:not([hidden])")
    assert phone.find("#thanks-heading").text == nb("Thank you! Your answer has been sent.")
    assert focused_id(phone) == "thanks-heading"
    assert phone.find_all("#questions fieldset") == []
    assert phone.serious_violations() == []
    phone.screenshot("survey-thanks")
    assert phone.console_errors() == []

    # What was stored: the page's answers, beside two more that let the results show.
    for other in others:
        first = survey["questions"][0]["id"]
        assert (
            call(
                phone.base,
                "POST",
                "/api/v1/public/survey-responses",
                {"code": other, "answers": {first: 2}},
            )[0]
            == 201
        )
    figures = results(leader, survey)
    assert figures["responses"] == 3 and not figures["suppressed"]
    by_text = {q["text"]: q for q in figures["questions"]}
    questions = survey["questions"]
    assert by_text[questions[0]["text"]]["distribution"] == {"1": 0, "2": 2, "3": 0, "4": 1, "5": 0}
    # The questions only this participant answered, or nobody, stay below the threshold:
    # withheld, free text and all.
    for number in (1, 3, 5, 6, 7):
        withheld = by_text[questions[number]["text"]]
        assert withheld["withheld"] and withheld["n"] is None and withheld["answers"] is None

    # The same slip again: the code has been used.
    phone.open(PAGE + "#" + code)
    wait_for_text(
        phone,
        "#status",
        nb(
            "This code has been used. Each code gives one answer. If you have not answered "
            "yourself, ask for a new code."
        ),
    )
    assert focused_id(phone) == "status"
    assert phone.driver.current_url == phone.base + PAGE
    assert phone.find_all(SHOWN) == []
    assert phone.find("#code").get_attribute("value") == ""  # room for another code
    assert phone.serious_violations() == []
    phone.screenshot("survey-used")


def test_an_unknown_code_is_explained_and_kept_to_correct(phone):
    phone.open(PAGE + "#ABCD-EFGH")
    wait_for_text(
        phone,
        "#status",
        nb(
            "We do not know that code. Check that it is typed as it stands on the slip, and "
            "try again."
        ),
    )
    assert focused_id(phone) == "status"
    assert phone.find("#code").get_attribute("value") == "ABCD-EFGH"
    assert phone.driver.current_url == phone.base + PAGE
    assert phone.serious_violations() == []


def test_a_code_typed_by_hand_in_small_letters_without_the_dash(
    phone, leader, make_survey, codes_for
):
    survey = make_survey()
    (code,) = codes_for(survey)
    phone.open(PAGE)
    assert phone.find("#code").is_displayed()
    assert phone.serious_violations() == []
    phone.find("#code").send_keys(code.replace("-", "").lower() + Keys.ENTER)
    phone.wait_for(SHOWN)
    assert phone.heading == survey["title"]
    # On a small phone too, nothing scrolls sideways.
    screen(phone.driver, 360, 740)
    assert phone.driver.execute_script("return window.innerWidth") == 360
    assert phone.driver.execute_script("return document.documentElement.scrollWidth") <= 360
    phone.find("#q8-text").send_keys("Skrevet for hånd.")
    phone.find("#answers button[type=submit]").click()
    phone.wait_for("#thanks:not([hidden])")
    assert results(leader, survey)["responses"] == 1


def test_an_empty_code_asks_for_one(phone):
    phone.open(PAGE)
    phone.find("#code-form button").click()
    wait_for_text(phone, "#status", nb("Type the code from your slip."))
    assert focused_id(phone) == "status"


def test_sending_nothing_says_what_is_missing(phone, make_survey, codes_for):
    survey = make_survey()
    (code,) = codes_for(survey)
    phone.open(PAGE + "#" + code)
    phone.wait_for(SHOWN)
    # A choice made and taken back again: nothing is answered.
    choose(phone, 1, 3)
    phone.find("#q1 .clear").click()
    assert phone.find_all("#q1 input:checked") == []
    phone.find("#answers button[type=submit]").click()
    wait_for_text(phone, "#send-status", nb("Answer at least one question."))
    assert nb("Some answers need another look:") in phone.find("#send-status").text
    assert focused_id(phone) == "send-status"
    assert phone.find_all(SHOWN)  # still there, to answer
    assert phone.serious_violations() == []


def test_a_survey_not_open_yet(phone, make_survey, codes_for):
    survey = make_survey(opens_in=3)
    (code,) = codes_for(survey)
    phone.open(PAGE + "#" + code)
    wait_for_text(phone, "#status", nb("The survey has not opened yet."))
    assert phone.find_all(SHOWN) == []


def test_no_contact_keeps_every_answer_to_send_again(
    phone, survey_server, leader, make_survey, codes_for
):
    survey = make_survey()
    (code,) = codes_for(survey)
    phone.open(PAGE + "#" + code)
    phone.wait_for(SHOWN)
    choose(phone, 2, 3)
    choose(phone, 6, 2)  # no
    phone.find("#q8-text").send_keys("Sendt på nytt.")

    survey_server.stop()
    try:
        phone.find("#answers button[type=submit]").click()
        wait_for_text(
            phone,
            "#send-status",
            nb(
                "Your answers were not sent: no contact with the server. Nothing you chose or "
                "wrote is lost. Check the connection and send again."
            ),
        )
        assert focused_id(phone) == "send-status"
    finally:
        survey_server.start()
    assert phone.find("#q2 .option:nth-of-type(3) input").is_selected()
    assert phone.find("#q6 .option:nth-of-type(2) input").is_selected()
    assert phone.find("#q8-text").get_attribute("value") == "Sendt på nytt."

    phone.find("#answers button[type=submit]").click()
    phone.wait_for("#thanks:not([hidden])")
    assert results(leader, survey)["responses"] == 1
