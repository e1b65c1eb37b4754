"""A leader downloads an attendance report from the reports page, in Chromium."""

from tests.e2e.office.conftest import LEADER


def test_a_leader_downloads_the_attendance_report(office):
    office.sign_in(*LEADER)
    office.open("/office/reports/")
    assert len(office.find_all("section.panel form")) == 4
    assert office.find("#attendance-from").get_attribute("value")
    assert office.serious_violations() == []
    assert office.console_errors() == []
    office.screenshot("office-reports")

    office.fill({"format": "xlsx"})
    office.find('form[action$="/reports/attendance"] button[type="submit"]').click()
    workbook = office.wait_for_download(".xlsx")
    # An .xlsx file is a zip archive.
    assert workbook.read_bytes().startswith(b"PK")


def test_the_tally_figures_page(office):
    office.sign_in(*LEADER)
    office.open("/office/reports/tallies")
    assert office.find_all("table.tally-figures th[scope='row']")
    assert office.serious_violations() == []
