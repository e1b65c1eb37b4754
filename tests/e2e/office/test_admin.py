"""The administration pages in Chromium: an admin makes a staff account, the new user logs
in, and deactivating the account ends that user's open session."""

from selenium.webdriver.common.by import By

from tests.e2e.browser import OfficeBrowser, chromium
from tests.e2e.office.conftest import ADMIN

USERNAME = "e2e.fasilitator"
FULL_NAME = "Eva Testesen"
GOOD_PASSWORD = "Tindra-Mose-Lykt-8841"
COMMON_PASSWORD = "sommer2026"


def tick(browser: OfficeBrowser, label_text: str) -> None:
    label = browser.driver.find_element(By.XPATH, f'//label[normalize-space()="{label_text}"]')
    box = browser.find(f"#{label.get_attribute('for')}")
    if not box.is_selected():
        box.click()


def test_admin_makes_an_account_which_logs_in_and_is_deactivated(office):
    office.sign_in(*ADMIN)
    office.open("/office/admin/")
    assert office.find("h1")
    assert office.serious_violations() == []
    assert office.find('a[href="/office/admin/staff"]')

    office.open("/office/admin/staff")
    assert office.serious_violations() == []
    office.open("/office/admin/staff/new")
    assert office.serious_violations() == []

    office.fill(
        {
            "username": USERNAME,
            "full_name": FULL_NAME,
            "role": "facilitator",
            "password": COMMON_PASSWORD,
        }
    )
    tick(office, "Songdalen")
    office.click_and_wait('form.staff-form button[type="submit"]')
    # Refused: the message beside the password box, the rest kept as typed.
    assert office.driver.current_url.endswith("/office/admin/staff/new")
    assert office.find("#password-error").text.strip()
    assert office.find("#password").get_attribute("aria-invalid") == "true"
    assert office.find("#error-summary")
    assert office.find("#username").get_attribute("value") == USERNAME
    assert office.find("#full_name").get_attribute("value") == FULL_NAME
    assert office.serious_violations() == []

    office.fill({"password": GOOD_PASSWORD})
    office.click_and_wait('form.staff-form button[type="submit"]')
    assert "/office/admin/staff/" in office.driver.current_url
    assert office.heading == FULL_NAME
    account = office.driver.current_url

    office.open("/office/admin/staff?role=facilitator")
    assert FULL_NAME in office.text
    office.screenshot("office-admin-staff")

    with chromium() as driver:
        newcomer = OfficeBrowser(driver, office.base)
        newcomer.sign_in(USERNAME, GOOD_PASSWORD)
        assert newcomer.driver.current_url.endswith("/office/")
        assert "Songdalen" in newcomer.heading

        office.driver.get(account)
        office.click_and_wait(
            'form[data-confirm][action$="/active"] button[type="submit"]', confirm=True
        )
        assert office.find(".status-ended")

        newcomer.open("/office/")
        assert "/office/login" in newcomer.driver.current_url

    office.open("/office/admin/access-log")
    assert office.find("table")
    assert office.serious_violations() == []
    # The one error the console reports is the refused form's 422, as it should be.
    assert [e for e in office.console_errors() if "status of 422" not in e] == []
