"""Too many unknown codes from one address: the page says to wait, and after the wait
the same browser opens the survey."""

import json
import time
import urllib.error
import urllib.request

from tests.e2e.survey.conftest import THROTTLE
from tests.e2e.survey.test_answering import SHOWN, nb, wait_for_text

LOOKUP = "/api/v1/public/survey-lookup"


def unknown_code(base: str) -> tuple[int, int]:
    """Try a code that does not exist: the status and, when throttled, the seconds left."""
    request = urllib.request.Request(
        base + LOOKUP,
        data=json.dumps({"code": "ZZZZ-ZZZZ"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error.code, int(error.headers.get("Retry-After") or 0)
    raise AssertionError("an unknown code was accepted")


def throttled_for_a_while(base: str, seconds: int) -> int:
    """Try unknown codes until the address is throttled for at least ``seconds`` more
    (a window an earlier test opened may be about to end); the seconds left."""
    for _ in range(3):
        for _ in range(THROTTLE[0] + 1):
            status, left = unknown_code(base)
            if status == 429:
                break
        assert status == 429
        if left >= seconds:
            return left
        time.sleep(left + 1)
    raise AssertionError("never throttled for long enough")


def test_too_many_unknown_codes_ask_to_wait(phone, make_survey, codes_for):
    survey = make_survey()
    (code,) = codes_for(survey)
    phone.open("/s/")
    phone.wait_for("#code-form:not([hidden])")
    left = throttled_for_a_while(phone.base, seconds=8)

    phone.find("#code").send_keys(code)
    phone.find("#code-form button").click()
    wait_for_text(
        phone,
        "#status",
        nb("Too many tries with unknown codes from here. Wait a few minutes and try again."),
    )
    assert phone.find_all(SHOWN) == []

    time.sleep(left + 1)
    phone.find("#code-form button").click()  # the code is still in its box
    phone.wait_for(SHOWN)
    assert phone.heading == survey["title"]
