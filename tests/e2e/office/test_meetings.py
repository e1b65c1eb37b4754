"""A leader plans a responsibility-group meeting, writes it up with an action item and
downloads the summary, in Chromium."""

from datetime import date, timedelta

from tests.e2e.office.conftest import LEADER


def set_moment(office, name: str, value: str) -> None:
    """A date-and-time box, set as the browser's own picker would."""
    box = office.find(f'input[name="{name}"]')
    office.driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        box,
        value,
    )


def test_a_leader_plans_writes_up_and_sends_a_meeting(office):
    office.sign_in(*LEADER)
    office.open("/office/meetings/")
    assert office.find_all("h1")
    assert office.serious_violations() == []
    office.screenshot("office-meetings")

    office.open("/office/meetings/new")
    participant = office.find('select[name="participant"] option').get_attribute("value")
    office.click_and_wait('form.choose-participant button[type="submit"]')
    assert f"participant={participant}" in office.driver.current_url

    assert office.serious_violations() == []
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    set_moment(office, "scheduled_at", f"{yesterday}T10:00")
    office.fill(
        {
            "location": "Møterommet",
            "agenda": "Praksisplass og veien videre",
            "new_name": "Kari Nordmann",
            "new_organisation": "NAV Songdalen",
            "new_role": "Veileder",
        }
    )
    office.click_and_wait('form[data-keep] button[type="submit"]')
    assert "/office/meetings/" in office.driver.current_url
    meeting_url = office.driver.current_url
    assert "Kari Nordmann" in office.text
    assert "Praksisplass og veien videre" in office.text

    office.find('a[href$="/edit"]').click()
    office.wait_for('textarea[name="minutes"]')
    assert office.serious_violations() == []
    office.fill(
        {
            "status": "held",
            "minutes": "Deltakeren trives i verkstedet.\nHun vil prøve butikk.",
            "decisions": "Prøve praksis hos Coop fra januar.",
        }
    )
    office.click_and_wait('form.write-up button[type="submit"]')
    assert office.driver.current_url == meeting_url
    assert "Deltakeren trives i verkstedet." in office.text
    assert "Prøve praksis hos Coop fra januar." in office.text

    # Opened again, each box carries what it held, lines and all: only a box changed since
    # is sent, so the place alone is saved.
    office.find('a[href$="/edit"]').click()
    office.wait_for('textarea[name="minutes"]')
    same = office.driver.execute_script(
        "const form = document.querySelector('form.write-up');"
        "return ['minutes', 'decisions', 'location', 'scheduled_at'].every("
        "name => form.elements['original_' + name].value === form.elements[name].value);"
    )
    assert same is True
    office.fill({"location": "Biblioteket"})
    office.click_and_wait('form.write-up button[type="submit"]')
    assert office.driver.current_url == meeting_url
    assert "Biblioteket" in office.text
    assert "Hun vil prøve butikk." in office.text

    office.fill(
        {
            "description": "Ringe Coop om praksisplass",
            "responsible": "Kari Nordmann",
        }
    )
    office.click_and_wait('form.add-action button[type="submit"]')
    assert "Ringe Coop om praksisplass" in office.text
    office.click_and_wait("form.tick button")
    assert office.find_all("form.tick .status-done")

    office.driver.get(meeting_url.split("#")[0])
    assert office.serious_violations() == []
    assert office.console_errors() == []
    office.screenshot("office-meeting")

    office.find('a[href$="/summary.pdf"]').click()
    summary = office.wait_for_download(".pdf")
    assert summary.read_bytes().startswith(b"%PDF")
