"""The office's session in Chromium: a form with a forged token and a cookie kept after
logging out are refused; signing in works with the keyboard alone; the pages fit a screen
at 200 % zoom and a tablet."""

import pytest
from selenium.webdriver.common.keys import Keys

from tests.e2e.browser import OfficeBrowser, chromium
from tests.e2e.office.conftest import LEADER

COOKIE = "__Host-spire-office"


def test_signing_in_with_the_keyboard_alone(office):
    office.open("/office/login")
    focused = office.driver.switch_to.active_element
    # Tab from the top: the skip link, then the boxes in order.
    for _ in range(8):
        focused.send_keys(Keys.TAB)
        focused = office.driver.switch_to.active_element
        if focused.get_attribute("name") == "username":
            break
    assert focused.get_attribute("name") == "username"
    focused.send_keys(LEADER[0], Keys.TAB)
    office.driver.switch_to.active_element.send_keys(LEADER[1], Keys.ENTER)
    office.wait_for("main h1")
    assert office.driver.current_url.endswith("/office/")


def test_a_forged_form_token_is_refused(office):
    office.sign_in(*LEADER)
    office.driver.execute_script(
        "document.querySelector('form.logout input[name=csrf_token]').value = 'forged';"
    )
    office.press(office.find("form.logout button").text)
    assert "/office/logout" in office.driver.current_url
    assert "Skjemaet kunne ikke sendes" in office.heading
    # Still signed in: the forged form did nothing.
    office.open("/office/")
    assert "/office/login" not in office.driver.current_url


def test_a_cookie_kept_after_logging_out_opens_nothing(office):
    office.sign_in(*LEADER)
    kept = office.driver.get_cookie(COOKIE)
    assert kept["httpOnly"] and kept["secure"] and kept["sameSite"] == "Lax"
    office.press(office.find("form.logout button").text)
    assert "/office/login" in office.driver.current_url
    office.driver.delete_all_cookies()
    office.driver.add_cookie({k: kept[k] for k in ("name", "value", "path", "secure", "httpOnly")})
    office.open("/office/")
    assert "/office/login" in office.driver.current_url


@pytest.mark.parametrize(("width", "height"), [(640, 500), (820, 1180)], ids=["zoom-200", "tablet"])
def test_the_start_page_fits_without_scrolling_sideways(office_server, width, height):
    with chromium(width=width, height=height) as driver:
        page = OfficeBrowser(driver, office_server.base)
        page.sign_in(*LEADER)
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
        )
        assert overflow <= 0
        assert page.serious_violations() == []
