"""Signing in to the office and the start page, in Chromium."""

from tests.e2e.office.conftest import LEADER


def test_a_leader_signs_in_and_sees_the_day(office):
    office.open("/office/")
    assert "/office/login" in office.driver.current_url
    office.sign_in(*LEADER)
    assert office.driver.current_url.endswith("/office/")
    assert "Songdalen" in office.heading or "Arendal" in office.heading
    assert "Oppmøte i dag" in office.text
    assert office.serious_violations() == []
    assert office.console_errors() == []
    office.screenshot("office-start")
