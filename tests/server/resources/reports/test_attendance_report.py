"""The attendance report (GET /reports/attendance) against a history written through the
API: absences of every kind, a Saturday off the schedule, public holidays (1 May, Ascension
Day 14 May), planned leave, a participant who started mid-period and one who ended. The
figures expected are worked out here by hand, day by day, and each format is read back
the way its reader would: the JSON, the CSV with the csv module, the XLSX with openpyxl,
the PDF's text with poppler's pdftotext."""

import csv
import io
import subprocess
import uuid
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from server.database import db
from server.models import AccessLogEntry, SecurityEvent
from tests.conftest import expect
from tests.factories import ParticipantFactory, make_plan

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 5, 20, 15, 0, tzinfo=OSLO)  # a Wednesday
FIRST, LAST = date(2026, 4, 27), date(2026, 5, 31)
PERIOD = {"from": FIRST.isoformat(), "to": LAST.isoformat()}


def d(day: int, month: int = 5) -> date:
    return date(2026, month, day)


# What each participant's days hold, as written below, and what the report must make of
# them. Expected days are the plan's weekdays, less 1 May and 14 May (public holidays),
# less leave, within the participant's time in the programme, up to today (20 May).
HISTORY = {
    "PersonA1": {  # Monday to Friday since January
        d(27, 4): "present",
        d(28, 4): "sick",
        d(29, 4): "sick_child",
        d(30, 4): "appointment",
        d(2): "present",  # a Saturday: present, but not an expected day
        d(4): "leave",
        d(5): "no_show",
        d(6): "other",
        d(7): "present",
    },
    "Mid": {d(11): "present", d(13): "present", d(15): "sick"},  # Mon, Wed, Fri from 11 May
    "Ended": {d(28, 4): "present", d(30, 4): "present", d(5): "no_show"},  # Tue, Thu; to 6 May
}
PLANNED_LEAVE = (d(11), d(12))  # PersonA1
EXPECTED = {
    "PersonA1": {
        d(27, 4), d(28, 4), d(29, 4), d(30, 4),
        d(5), d(6), d(7), d(8), d(13), d(15), d(18), d(19), d(20),
    },
    "Mid": {d(11), d(13), d(15), d(18), d(20)},
    "Ended": {d(28, 4), d(30, 4), d(5)},
}  # fmt: skip
CODES = {
    "present": "O",
    "sick": "S",
    "sick_child": "B",
    "appointment": "A",
    "leave": "P",
    "no_show": "U",
    "other": "X",
}
REASONS = ["sick", "sick_child", "appointment", "leave", "no_show", "other"]


def figures(name: str) -> dict:
    """The participant's figures, from HISTORY and EXPECTED alone."""
    days, expected = HISTORY[name], EXPECTED[name]
    present = {day for day, what in days.items() if what == "present"}
    return {
        "expected_days": len(expected),
        "present_days": len(present),
        "present_on_expected_days": len(present & expected),
        # Planned leave on days of the plan counts as leave, recorded or not.
        "absent": {
            r: sum(1 for what in days.values() if what == r)
            + (len(PLANNED_LEAVE) if r == "leave" and name == "PersonA1" else 0)
            for r in REASONS
        },
        "unregistered_expected_days": len(expected - set(days)),
        "attendance_rate": round(len(present & expected) / len(expected), 4),
    }


def code(name: str, day: date) -> str:
    if day in HISTORY[name]:
        return CODES[HISTORY[name][day]]
    if name == "PersonA1" and day in PLANNED_LEAVE:
        return "P"
    return "?" if day in EXPECTED[name] else ""


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def history(world, as_user):
    """The history above, written by the department's facilitator through the API."""
    staff = as_user(world.facilitator)
    mid = ParticipantFactory(department=world.dept_a1, first_name="Mid", start_date=d(11))
    make_plan(mid, world.admin, weekdays=(1, 3, 5))
    ended = ParticipantFactory(department=world.dept_a1, first_name="Ended")
    make_plan(ended, world.admin, weekdays=(2, 4))
    elsewhere = ParticipantFactory(department=world.dept_a2, first_name="Elsewhere")
    make_plan(elsewhere, world.admin)
    people = {"PersonA1": world.participant_a1, "Mid": mid, "Ended": ended}
    for name, days in HISTORY.items():
        for day, what in days.items():
            body = {"participant_id": str(people[name].id), "date": day.isoformat()}
            if what == "present":
                body["status"] = "present"
            else:
                body |= {"status": "absent", "absence_reason": what}
            expect(staff.put(f"/attendance/{uuid.uuid4()}", json=body), 201)
    leave = {"first_day": PLANNED_LEAVE[0].isoformat(), "last_day": PLANNED_LEAVE[1].isoformat()}
    expect(staff.post(f"/participants/{world.participant_a1.id}/leaves", json=leave), 201)
    leader = as_user(world.leader)
    ended_read = leader.get(f"/participants/{ended.id}")
    expect(
        leader.post(
            f"/participants/{ended.id}/end",
            json={"end_date": "2026-05-06", "outcome": "ordinary_work"},
            headers={"If-Match": ended_read.headers["ETag"]},
        ),
        200,
    )
    return people


def report(api, department, format="json", **query):
    """The report as a Norwegian leader reads it."""
    query = {"department_id": str(department.id), **PERIOD, "format": format, **query}
    return api.get("/reports/attendance", query_string=query, headers={"Accept-Language": "nb"})


def test_the_json_report_holds_each_participants_days_and_figures(world, as_user, history):
    body = expect(report(as_user(world.leader), world.dept_a1), 200)
    assert (body["from"], body["to"], body["counted_to"]) == (
        "2026-04-27",
        "2026-05-31",
        "2026-05-20",
    )
    assert body["department"] == {"id": str(world.dept_a1.id), "name": "Songdalen"}
    rows = {row["participant"]["first_name"]: row for row in body["rows"]}
    assert set(rows) == {"PersonA1", "Mid", "Ended"}  # not Elsewhere, of another department
    days = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
    for name, row in rows.items():
        summary = {k: v for k, v in row["summary"].items() if k in figures(name)}
        assert summary == figures(name), name
        assert [cell["date"] for cell in row["days"]] == [day.isoformat() for day in days]
        assert [cell["code"] for cell in row["days"]] == [code(name, day) for day in days], name
        assert {
            date.fromisoformat(cell["date"]) for cell in row["days"] if cell["expected"]
        } == EXPECTED[name]
        # The two months add up to the period.
        april, may = row["months"]
        assert (april["from"], april["to"], may["from"]) == (
            "2026-04-27",
            "2026-04-30",
            "2026-05-01",
        )
        assert april["expected_days"] + may["expected_days"] == figures(name)["expected_days"]
    everyone = [figures(name) for name in HISTORY]
    expected_days = sum(f["expected_days"] for f in everyone)
    present = sum(f["present_on_expected_days"] for f in everyone)
    assert body["totals"]["expected_days"] == expected_days
    assert body["totals"]["attendance_rate"] == round(present / expected_days, 4)
    weeks = {week["monday"]: week for week in body["weeks"]}
    # Week 18: PersonA1 on 27-30 April (present 27th), Ended on 28 and 30 April (present both).
    assert weeks["2026-04-27"] == {
        "week": 18,
        "monday": "2026-04-27",
        "expected_days": 6,
        "present_on_expected_days": 3,
        "attendance_rate": 0.5,
    }
    # Week 22 is after today: nothing expected yet, no rate.
    assert weeks["2026-05-25"]["expected_days"] == 0
    assert weeks["2026-05-25"]["attendance_rate"] is None


def test_the_csv_opens_in_norwegian_excel(world, as_user, history):
    response = report(as_user(world.leader), world.dept_a1, "csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="oppmote-songdalen-2026-04-27-2026-05-31.csv"'
    assert response.data.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel looks for
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:3] == ["Etternavn", "Fornavn", "27.04.2026"]
    assert header[-2:] == ["Ikke registrert", "Oppmøteprosent (%)"]
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:-1]}
    assert set(by_name) == set(HISTORY)
    for name, row in by_name.items():
        expected = figures(name)
        assert row["Forventede dager"] == str(expected["expected_days"])
        assert row["Dager oppmøtt"] == str(expected["present_days"])
        assert row["Syk"] == str(expected["absent"]["sick"])
        assert row["Sykt barn"] == str(expected["absent"]["sick_child"])
        rate = f"{expected['attendance_rate'] * 100:.1f}".replace(".", ",")
        assert row["Oppmøteprosent (%)"] == rate  # a decimal comma: 15,4
        assert row["07.05.2026"] == code(name, d(7))
        assert row["11.05.2026"] == code(name, d(11))
    assert by_name["PersonA1"]["Oppmøteprosent (%)"] == "15,4"
    assert rows[-1][0] == "Totalt"


def test_the_workbook_has_a_sheet_per_month_a_print_setup_and_a_chart(world, as_user, history):
    response = report(as_user(world.leader), world.dept_a1, "xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Oppsummering", "april 2026", "mai 2026", "Oppmøte per uke"]
    for sheet in book.worksheets:
        assert sheet.page_setup.paperSize == 9  # A4
    summary, april, may, weeks = book.worksheets
    assert summary.page_setup.orientation == "landscape"
    assert (summary.freeze_panes, may.freeze_panes) == ("B5", "B5")
    assert summary.print_title_rows == "$4:$4"
    header = [cell.value for cell in summary[4]]
    rows = {
        row[0]: dict(zip(header, row, strict=False))
        for row in summary.iter_rows(5, 7, values_only=True)
    }
    for name, expected in (
        ("PersonA1 Hansen", figures("PersonA1")),
        ("Mid Hansen", figures("Mid")),
    ):
        assert rows[name]["Forventede dager"] == expected["expected_days"]
        assert rows[name]["Oppmøte %"] == expected["attendance_rate"]
    assert summary.cell(5, len(header)).number_format == "0.0%"
    # May's grid: a column per day, headed by weekday and date, codes by participant.
    may_header = [cell.value for cell in may[4]]
    assert may_header[1:3] == ["fr 1", "lø 2"]
    grid = {row[0]: row[1:32] for row in may.iter_rows(5, 7, values_only=True)}
    for name, first_name in (("PersonA1 Hansen", "PersonA1"), ("Ended Hansen", "Ended")):
        assert [cell or "" for cell in grid[name]] == [code(first_name, d(n)) for n in range(1, 32)]
    # The weekly rates, and a native chart drawn from them.
    assert [row[4] for row in weeks.iter_rows(5, 5, values_only=True)] == [0.5]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        assert len(charts) == 1
        assert b"<lineChart>" in archive.read(charts[0])


def test_the_pdf_says_the_same(world, as_user, history, tmp_path):
    response = report(as_user(world.leader), world.dept_a1, "pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    pages = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    assert len([page for page in pages if page.strip()]) == 3  # the summary, April, May
    first = pages[0]
    assert "Oppmøte Songdalen" in first
    lines = {line.split()[0]: line.split() for line in first.splitlines() if "Hansen" in line}
    a1 = figures("PersonA1")
    assert lines["PersonA1"][2:11] == [
        str(n)
        for n in (
            a1["expected_days"],
            a1["present_days"],
            *a1["absent"].values(),
            a1["unregistered_expected_days"],
        )
    ]
    assert lines["PersonA1"][-2:] == ["15,4", "%"]
    assert lines["Ended"][-2:] == ["66,7", "%"]
    may = pages[2]
    row = next(line for line in may.splitlines() if line.startswith("PersonA1"))
    # O on Saturday 2, P on the 4th, U, X, O, then ? on the 8th.
    assert row.split()[2:10] == ["O", "P", "U", "X", "O", "?", "P", "P"]


def test_each_download_is_an_export_of_every_participant_named(world, as_user, history):
    before = db.session.scalar(select(db.func.count()).select_from(AccessLogEntry))
    assert report(as_user(world.leader), world.dept_a1, "xlsx").status_code == 200
    assert report(as_user(world.leader), world.dept_a1, "xlsx").status_code == 200
    exports = db.session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.action == "export", AccessLogEntry.resource == "attendance_report"
        )
    ).all()
    named = {p.id for p in history.values()}
    assert sorted(e.participant_id for e in exports) == sorted([*named, *named])
    assert {e.user_id for e in exports} == {world.leader.id}
    assert db.session.scalar(select(db.func.count()).select_from(AccessLogEntry)) > before
    event = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.type == "export").order_by(SecurityEvent.at)
    ).all()[-1]
    assert event.detail["resource"] == "attendance_report"
    assert event.detail["participants"] == 3


@pytest.mark.parametrize(
    ("who", "department", "status"),
    [
        ("facilitator", "own", 403),
        ("facilitator", "other_dept", 404),
        ("leader", "other_dept", 404),
        ("leader", "other_org", 404),
        ("admin", "other_dept", 200),
    ],
)
def test_only_leaders_and_admins_of_the_department(world, as_user, who, department, status):
    response = report(as_user(world.user(who)), world.department(department), "csv")
    assert response.status_code == status, response.get_json(silent=True)


@pytest.mark.parametrize(
    "query",
    [
        {**PERIOD, "from": "2026-05-31", "to": "2026-05-01"},  # backwards
        {**PERIOD, "from": "2025-01-01"},  # longer than 366 days
        {**PERIOD, "format": "docx"},
        {"from": "2026-05-01"},  # no end
        {**PERIOD, "department_id": "songdalen"},
    ],
)
def test_a_bad_period_or_format_is_refused(world, as_user, query):
    query = {"department_id": str(world.dept_a1.id), **query}
    response = as_user(world.leader).get("/reports/attendance", query_string=query)
    assert response.status_code == 422, response.json
    assert response.json["code"] == 422


def test_typed_text_never_becomes_a_formula(world, as_user):
    sly = ParticipantFactory(department=world.dept_a1, first_name="=HYPERLINK(1)", last_name="@x")
    make_plan(sly, world.admin)
    api = as_user(world.leader)
    text = report(api, world.dept_a1, "csv").data.decode("utf-8-sig")
    assert "'@x;'=HYPERLINK(1)" in text
    book = load_workbook(io.BytesIO(report(api, world.dept_a1, "xlsx").data))
    names = [row[0] for row in book["Oppsummering"].iter_rows(5, 6, values_only=True)]
    assert "=HYPERLINK(1) @x" in names


def test_the_command_line_writes_the_same_report(world, runner, history, tmp_path, as_user):
    target = tmp_path / "oppmote.csv"
    result = runner.invoke(
        args=[
            "report", "attendance", "--department", "songdalen",
            "--from", PERIOD["from"], "--to", PERIOD["to"],
            "--user", world.leader.username, "--format", "csv", "--output", str(target),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    event = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.type == "export").order_by(SecurityEvent.at)
    ).all()[-1]
    assert (event.user_id, event.detail["via"]) == (world.leader.id, "command_line")
    api_csv = report(as_user(world.leader), world.dept_a1, "csv").data
    assert target.read_bytes() == api_csv
    refused = runner.invoke(
        args=["report", "attendance", "--department", "songdalen", "--from", PERIOD["from"],
              "--to", PERIOD["to"], "--user", world.facilitator.username]
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "Rollen din gir ikke tilgang til dette." in refused.output


def test_planned_leave_over_a_weekend_is_leave_on_the_days_of_the_plan(world, as_user):
    staff = as_user(world.facilitator)
    leave = {"first_day": "2026-05-15", "last_day": "2026-05-18"}  # Friday to Monday
    expect(staff.post(f"/participants/{world.participant_a1.id}/leaves", json=leave), 201)
    query = {"from": "2026-05-15", "to": "2026-05-18"}
    (row,) = expect(report(as_user(world.leader), world.dept_a1, **query), 200)["rows"]
    assert [day["code"] for day in row["days"]] == ["P", "", "", "P"]
    assert row["summary"]["absent"]["leave"] == 2
    assert row["summary"]["expected_days"] == 0
