"""The participants' pages in Chromium: a leader enrols someone, changes them, and a change
made meanwhile in another browser is caught and merged rather than overwritten."""

import re

from tests.e2e.office.conftest import ADMIN, LEADER

PARTICIPANT_URL = re.compile(r"/office/participants/([0-9a-f-]{36})$")


def save(browser) -> None:
    browser.click_and_wait('form.participant-form button[type="submit"]')


def value_of(browser, name: str) -> str:
    return browser.find(f'[name="{name}"]:not([type="hidden"])').get_attribute("value")


def test_a_leader_enrols_changes_and_merges_a_stale_change(office, tablet):
    office.sign_in(*LEADER)
    office.open("/office/participants/")
    assert office.find("table.participant-list")
    assert office.serious_violations() == []
    office.screenshot("office-participants")

    # Enrol.
    office.click_and_wait('a[href^="/office/participants/new"]')
    assert office.find('[name="start_date"]').get_attribute("value")  # today, to begin with
    office.fill(
        {
            "first_name": "Selma",
            "last_name": "Lagerstrøm",
            "gender": "female",
            "phone": "+47 915 55 123",
            "birth_year": "1991",
        }
    )
    save(office)
    found = PARTICIPANT_URL.search(office.driver.current_url)
    assert found, office.driver.current_url
    participant = f"/office/participants/{found.group(1)}"
    assert "Selma Lagerstrøm" in office.heading
    assert "+4791555123" in office.text
    assert office.serious_violations() == []
    assert office.console_errors() == []

    # Change one box.
    office.click_and_wait(f'a[href="{participant}/edit"]')
    assert office.serious_violations() == []
    office.fill({"nav_office": "NAV Søgne"})
    save(office)
    assert office.driver.current_url.endswith(participant)
    assert "NAV Søgne" in office.text

    # Two browsers open the form; the first saves; the second's form is stale.
    tablet.sign_in(*ADMIN)
    tablet.open(f"{participant}/edit")
    office.open(f"{participant}/edit")
    office.fill({"phone": "+47 915 55 999"})
    save(office)
    tablet.fill({"nav_contact": "Eva Veileder"})
    save(tablet)
    assert tablet.driver.current_url.endswith(f"{participant}/edit")
    changed = [row.get_attribute("data-field") for row in tablet.find_all("tr.difference")]
    assert changed == ["phone"]
    assert "+4791555999" in tablet.find('tr.difference[data-field="phone"] .stored').text
    # What the second person typed is still in its box; the other box shows what is stored.
    assert value_of(tablet, "nav_contact") == "Eva Veileder"
    assert value_of(tablet, "phone") == "+4791555999"
    assert tablet.serious_violations() == []
    tablet.screenshot("office-participant-merge")
    save(tablet)
    assert tablet.driver.current_url.endswith(participant)
    assert "Eva Veileder" in tablet.text and "+4791555999" in tablet.text
    assert "NAV Søgne" in tablet.text


def test_a_demo_participants_overview(office):
    office.sign_in(*LEADER)
    office.open("/office/participants/")
    # Ola Nilsen is in Songdalen (a fresh browser shows the first department by name).
    if "Songdalen" not in office.heading:
        office.fill({"department": "Songdalen"})
        office.click_and_wait('form.picker button[type="submit"]')
    assert "Songdalen" in office.heading
    office.fill({"q": "nilsen"})
    office.click_and_wait('form.filters button[type="submit"]')
    rows = office.find_all("table.participant-list tbody tr")
    assert len(rows) == 1
    office.click_and_wait("table.participant-list tbody a")
    assert "Ola Nilsen" in office.heading
    assert office.find_all("section.panel")
    assert office.find_all('nav ul.tabs a[aria-current="page"]')
    assert office.serious_violations() == []
    assert office.console_errors() == []
    office.screenshot("office-participant")
    office.click_and_wait('nav ul.tabs a[href$="/followups"]')
    assert office.find_all("table.followup-list tbody tr")
    assert office.serious_violations() == []
    office.screenshot("office-participant-followups")
    overview = office.driver.current_url.rsplit("/", 1)[0]
    for tab in ("meetings", "access-log"):
        office.click_and_wait(f'nav ul.tabs a[href$="/{tab}"]')
        assert office.find_all('nav ul.tabs a[aria-current="page"]')
        assert office.serious_violations() == [], tab
    office.driver.get(f"{overview}/end")
    assert office.find('form[data-confirm] [name="outcome"]')
    assert office.serious_violations() == []


def test_a_refused_enrolment_shows_what_to_fix(office):
    office.sign_in(*LEADER)
    office.open("/office/participants/new")
    office.fill({"first_name": "Uten", "birth_year": "1850"})
    # The browser's own check would stop a form without its required boxes: let the
    # server say what is wrong instead, as it must for any client.
    office.driver.execute_script(
        "document.querySelector('form.participant-form').noValidate = true"
    )
    save(office)
    summary = office.find("#error-summary")
    assert summary.find_elements("css selector", "a[href='#last_name']")
    assert value_of(office, "first_name") == "Uten"
    assert office.driver.switch_to.active_element == summary
    assert office.serious_violations() == []
    office.screenshot("office-participant-new-refused")
