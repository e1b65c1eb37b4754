"""The plan editor, the versions side by side and the attendance month, in Chromium."""

from datetime import date, timedelta

from selenium.webdriver.common.by import By

from tests.e2e.conftest import call
from tests.e2e.office.conftest import LEADER


def demo_participant(base: str) -> dict:
    """A participant of the leader's with a plan, the last one by name (the other browser
    tests look at the first ones)."""
    status, body = call(
        base, "POST", "/api/v1/auth/login", {"username": LEADER[0], "password": LEADER[1]}
    )
    assert status == 200, body
    token = body["access_token"]
    status, participants = call(
        base, "GET", "/api/v1/participants?page_size=100&status=active", token=token
    )
    assert status == 200, participants
    for participant in reversed(participants):
        if (
            call(base, "GET", f"/api/v1/participants/{participant['id']}/plan", token=token)[0]
            == 200
        ):
            return participant
    raise AssertionError("no demo participant with a plan")


def set_value(office, name: str, value: str) -> None:
    """A date or time box set as a person picking from its picker would leave it."""
    element = office.find(f'[name="{name}"]')
    office.driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        element,
        value,
    )


def first_empty_goal(office) -> int:
    for element in office.find_all('input[name^="goals-"][name$="-title"]'):
        if not element.get_attribute("value"):
            return int(element.get_attribute("name").split("-")[1])
    raise AssertionError("no empty goal row")


def test_a_leader_writes_the_plan_compares_versions_and_marks_a_day(office):
    participant = demo_participant(office.base)
    plan = f"/office/participants/{participant['id']}/plan"
    office.open(plan)
    office.sign_in(*LEADER)
    office.open(plan)
    assert office.find("h1").text.startswith(participant["first_name"])
    assert office.serious_violations() == []

    # Write a new version: a goal, a work area, Monday's hours, Saturday off.
    office.open(plan + "/edit")
    row = first_empty_goal(office)
    office.fill(
        {
            f"goals-{row}-title": "Lage lunsj til gruppa",
            f"goals-{row}-description": "Handle inn og lage mat en dag i uka",
            "notes": "Skrevet i nettleseren",
        }
    )
    office.find_all('input[name="work_areas"][type="text"]')[0].send_keys("Sykkelverksted")
    # With the script, one more empty goal row is a click away.
    rows = len(office.find_all("fieldset.goal-row"))
    office.find("button[data-add-goal]").click()
    assert len(office.find_all("fieldset.goal-row")) == rows + 1
    assert office.find(f'input[name="goals-{rows}-title"]').get_attribute("value") == ""
    set_value(office, "schedule-0-start", "08:30")
    set_value(office, "schedule-0-end", "13:30")
    assert office.serious_violations() == []
    office.screenshot("office-plan-editor")
    office.press(office.find('form.plan-editor button[type="submit"]').text)
    assert office.driver.current_url.endswith(plan), office.find("main").text[:500]
    shown = office.text
    assert "Lage lunsj til gruppa" in shown
    assert "Sykkelverksted" in shown
    assert "08:30" in shown and "13:30" in shown

    # Edit it again, and compare the two newest versions.
    office.open(plan + "/edit")
    office.fill({f"goals-{row}-title": "Lage lunsj to dager i uka"})
    office.press(office.find('form.plan-editor button[type="submit"]').text)
    assert "Lage lunsj to dager i uka" in office.text
    office.open(plan + "/versions")
    columns = office.find_all(".side-by-side > section")
    assert len(columns) == 2
    assert "Lage lunsj til gruppa" in columns[0].text
    assert "Lage lunsj to dager i uka" in columns[1].text
    assert office.find_all(".side-by-side ins")
    assert office.serious_violations() == []

    # Yesterday (or the last weekday before): registered present, then marked absent,
    # sick, from the month grid.
    day = date.today() - timedelta(days=1)
    while day.isoweekday() > 5:
        day -= timedelta(days=1)
    office.open(f"/office/participants/{participant['id']}/attendance/{day.isoformat()}")
    office.fill({"status": "present", "absence_reason": "–"})
    set_value(office, "check_in", "09:00")
    office.press(office.find('form.day-form button[type="submit"]').text)

    month = f"/office/participants/{participant['id']}/attendance?month={day:%Y-%m}"
    office.open(month)
    assert office.find(f"#day-{day.isoformat()}").get_attribute("data-entry") == "present"
    assert office.serious_violations() == []
    office.driver.get(office.find(f"#day-{day.isoformat()} a").get_attribute("href"))
    office.wait_for("form.day-form")
    office.fill({"status": "absent", "absence_reason": "sick", "note": "Ringte og meldte seg syk"})
    office.press(office.find('form.day-form button[type="submit"]').text)
    assert f"month={day:%Y-%m}" in office.driver.current_url
    cell = office.find(f"#day-{day.isoformat()}")
    assert cell.get_attribute("data-entry") == "sick"
    office.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", cell)
    office.screenshot("office-attendance")
    assert office.console_errors() == []

    # The day's page: the record, and the history of what it was.
    office.driver.get(cell.find_element(By.TAG_NAME, "a").get_attribute("href"))
    office.wait_for("form.day-form")
    assert "Ringte og meldte seg syk" in office.find(".day-record").text
    changes = office.find_all("table.history tbody tr")
    assert changes
    assert any(row.find_elements(By.TAG_NAME, "td")[-1].text for row in changes)
