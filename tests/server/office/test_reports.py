"""The office's reports page: each report downloads in one click through the services and
renderers of the API's report routes, logged as an export as from the API; a refused one
comes back as the page with the message beside its form; the tally's figures suppressed
as the statistics are."""

import re
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from server.database import db
from server.models import AccessLogEntry, SecurityEvent, TallyActivity
from shared.vocab import TallyWho
from tests import factories as f

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 6, 17, 14, 0, tzinfo=OSLO)  # a Wednesday
REPORTS = "/office/reports/"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def value_of(html: str, box_id: str) -> str:
    found = re.search(rf'id="{box_id}" name="[^"]+" value="([^"]*)"', html)
    assert found, box_id
    return found.group(1)


def test_the_page_fills_in_sensible_defaults(world, signed_in):
    page = signed_in(world.leader).get(REPORTS)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert value_of(html, "attendance-from") == "2026-06-01"
    assert value_of(html, "attendance-to") == "2026-06-30"
    # The reporting period that includes today: from last week's Monday.
    assert value_of(html, "meldeperiode-period_start") == "2026-06-08"
    assert value_of(html, "statistics-year") == "2025"
    assert str(world.participant_a1.id) in html
    assert str(world.participant_a2.id) not in html


def test_a_facilitator_gets_no_reports(world, signed_in):
    facilitator = signed_in(world.facilitator)
    assert facilitator.get(REPORTS).status_code == 403
    query = f"department_id={world.dept_a1.id}&from=2026-06-01&to=2026-06-30&format=csv"
    assert facilitator.get(f"{REPORTS}attendance?{query}").status_code == 403


def test_the_attendance_report_downloads_and_is_logged_as_an_export(world, signed_in):
    f.AttendanceFactory(
        participant=world.participant_a1, author=world.leader, date=date(2026, 6, 2)
    )
    db.session.commit()
    query = f"department_id={world.dept_a1.id}&from=2026-06-01&to=2026-06-30&format=xlsx"
    response = signed_in(world.leader).get(f"{REPORTS}attendance?{query}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(BytesIO(response.data))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert any("PersonA1" in cell for cell in cells)
    logged = db.session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.action == "export", AccessLogEntry.resource == "attendance_report"
        )
    ).all()
    assert [entry.participant_id for entry in logged] == [world.participant_a1.id]
    event = db.session.scalars(select(SecurityEvent).where(SecurityEvent.type == "export")).one()
    assert event.detail["via"] == "office"


def test_a_refused_period_comes_back_beside_its_form(world, signed_in):
    query = f"department_id={world.dept_a1.id}&from=2026-06-30&to=2026-06-01&format=pdf"
    response = signed_in(world.leader).get(f"{REPORTS}attendance?{query}")
    assert response.status_code == 422
    assert response.content_type.startswith("text/html")
    html = response.get_data(as_text=True)
    assert 'href="#attendance-to"' in html
    # What was asked for is kept.
    assert value_of(html, "attendance-from") == "2026-06-30"
    exports = select(SecurityEvent).where(SecurityEvent.type == "export")
    assert db.session.scalars(exports).all() == []


def test_the_reporting_period_downloads_and_no_consent_is_a_409_page(world, signed_in):
    leader = signed_in(world.leader)
    query = f"participant_id={world.participant_a1.id}&period_start=2026-06-08&format=pdf"
    response = leader.get(f"{REPORTS}meldeperiode?{query}")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")

    refused = f.ParticipantFactory(department=world.dept_a1, consent_nav_reporting=False)
    db.session.commit()
    query = f"participant_id={refused.id}&period_start=2026-06-08&format=pdf"
    response = leader.get(f"{REPORTS}meldeperiode?{query}")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html
    assert html.index('id="error-summary"') > html.index('id="meldeperiode-heading"')
    assert html.index('id="error-summary"') < html.index('id="progress-heading"')


def test_a_period_not_from_a_monday_is_refused(world, signed_in):
    query = f"participant_id={world.participant_a1.id}&period_start=2026-06-09&format=csv"
    response = signed_in(world.leader).get(f"{REPORTS}meldeperiode?{query}")
    assert response.status_code == 422
    assert 'href="#meldeperiode-period_start"' in response.get_data(as_text=True)


def test_the_progress_report_downloads(world, signed_in):
    query = f"participant_id={world.participant_a1.id}&format=pdf"
    response = signed_in(world.leader).get(f"{REPORTS}progress?{query}")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_the_progress_report_wants_a_participant(world, signed_in):
    response = signed_in(world.leader).get(f"{REPORTS}progress?participant_id=&format=pdf")
    assert response.status_code == 422
    assert 'href="#progress-participant_id"' in response.get_data(as_text=True)


def test_another_departments_participant_is_not_found(world, signed_in):
    query = f"participant_id={world.participant_a2.id}&format=pdf"
    assert signed_in(world.leader).get(f"{REPORTS}progress?{query}").status_code == 404


def test_the_yearly_statistics_download_for_all_departments(world, signed_in):
    response = signed_in(world.admin).get(
        f"{REPORTS}statistics?year=2025&department_id=&format=csv"
    )
    assert response.status_code == 200
    assert response.content_type.startswith("text/csv")
    assert response.headers["Content-Disposition"].endswith('-2025.csv"')


def test_a_json_format_is_no_download(world, signed_in):
    response = signed_in(world.admin).get(f"{REPORTS}statistics?year=2025&format=json")
    assert response.status_code == 422
    assert 'href="#statistics-format"' in response.get_data(as_text=True)


def activity(world, name: str) -> TallyActivity:
    return db.session.scalars(
        select(TallyActivity).where(
            TallyActivity.organisation_id == world.org_a.id, TallyActivity.name == name
        )
    ).one()


def test_the_tally_figures_count_by_who_and_hide_small_numbers(world, signed_in):
    drop_in = activity(world, "Innom-stikk")
    for who, count, first in (
        (TallyWho.FEMALE, 5, True),
        (TallyWho.MALE, 4, False),
        (TallyWho.AGENCY, 1, False),
    ):
        f.TallyFactory(
            department=world.dept_a1,
            activity=drop_in,
            author=world.leader,
            who=who,
            count=count,
            first_contact=first,
            date=date(2026, 6, 3),
        )
    # Another department's, and one outside the period, do not count.
    f.TallyFactory(
        department=world.dept_a2,
        activity=drop_in,
        author=world.admin,
        count=7,
        date=date(2026, 6, 3),
    )
    f.TallyFactory(
        department=world.dept_a1,
        activity=drop_in,
        author=world.leader,
        count=9,
        date=date(2026, 5, 3),
    )
    db.session.commit()
    leader = signed_in(world.leader)
    query = f"from=2026-06-01&to=2026-06-17&department_id={world.dept_a1.id}"
    response = leader.get(f"{REPORTS}tallies?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    row = re.search(r"<th scope=\"row\">Innom-stikk</th>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r'<td class="number">([^<]*)</td>', row)
    # Women, men, agency, children, other, total: the 1 is shown as <3, and the smallest
    # count of 3 or more beside it (the men's 4) is hidden, so that the total (10, the
    # other department's and May's left out) cannot give the 1 away.
    assert cells == ["5", ":", "&lt;3", "0", "0", "10"]
    contacts = re.search(r'<dl class="facts contacts">(.*?)</dl>', html, re.S).group(1)
    assert re.findall(r"<dd>([^<]*)</dd>", contacts) == ["5", "5"]


def test_the_tally_figures_refuse_a_period_backwards(world, signed_in):
    response = signed_in(world.leader).get(f"{REPORTS}tallies?from=2026-06-10&to=2026-06-01")
    assert response.status_code == 422
    assert 'id="to-error"' in response.get_data(as_text=True)
