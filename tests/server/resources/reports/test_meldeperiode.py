"""A participant's NAV reporting period (GET /reports/meldeperiode) against a history
written through the API: absences of every kind, a public holiday (Ascension Day,
Thursday 14 May 2026) and 17 May on a Sunday, a Saturday off the schedule with the
participant there anyway, planned and registered leave, check-in and check-out times,
and a participant who started mid-period. What each day must be on the meldekort is
written out here by hand, day by day; each format is read back as its reader would: the
JSON, the CSV with the csv module, the XLSX with openpyxl, the PDF's text with
pdftotext."""

import csv
import io
import itertools
import re
import subprocess
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from server.database import db
from server.models import AccessLogEntry, Group, SecurityEvent
from tests.conftest import expect
from tests.countries import danish_workshop
from tests.factories import ParticipantFactory, make_plan

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 5, 27, 12, 0, tzinfo=OSLO)  # the Wednesday after the period
START = date(2026, 5, 11)  # a Monday: weeks 20 and 21
DAYS = [START + timedelta(days=n) for n in range(14)]


def d(day: int) -> date:
    return date(2026, 5, day)


def at(day: int, hour: int, minute: int = 0) -> str:
    return datetime(2026, 5, day, hour, minute, tzinfo=OSLO).isoformat()


# What staff registered: (status or absence reason, check-in, check-out).
HISTORY = {
    # Monday to Friday 09-14 (the world's plan), since January.
    "PersonA1": {
        d(11): ("present", at(11, 9, 2), at(11, 14, 20)),  # 5 h 18 min: 5.5
        d(12): ("sick", None, None),
        d(13): ("sick_child", None, None),
        d(15): ("present", at(15, 9), None),  # no check-out: the plan's 5 hours
        d(16): ("present", at(16, 10), at(16, 12, 10)),  # a Saturday: 2 h 10 min: 2.0
        d(18): ("appointment", None, None),
        d(20): ("leave", None, None),  # leave registered on the day
        d(21): ("no_show", None, None),
        d(22): ("other", None, None),
        d(23): ("sick", None, None),  # a Saturday: no programme day to be absent from
    },
    # Monday, Wednesday and Friday 09-14, from Wednesday 13 May.
    "Mid": {
        d(13): ("present", None, None),
        d(18): ("present", at(18, 8, 45), at(18, 13)),  # 4 h 15 min: 4.5
        d(22): ("other", None, None),
    },
}
PLANNED_LEAVE = d(19)  # PersonA1
NPD = "not_programme_day"
# Each day on the meldekort, with its hours and where they come from.
EXPECTED = {
    "PersonA1": {
        d(11): ("attended", 5.5, "registered"),
        d(12): ("sick", None, None),
        d(13): ("sick_child", None, None),
        d(14): (NPD, None, None),  # Ascension Day
        d(15): ("attended", 5.0, "scheduled"),
        d(16): ("attended", 2.0, "registered"),
        d(17): (NPD, None, None),
        d(18): ("welfare", None, None),
        d(19): ("approved", None, None),
        d(20): ("approved", None, None),
        d(21): ("other_absence", None, None),
        d(22): ("other_absence", None, None),
        d(23): (NPD, None, None),
        d(24): (NPD, None, None),
    },
    "Mid": {
        d(11): (NPD, None, None),  # before the start
        d(12): (NPD, None, None),
        d(13): ("attended", 5.0, "scheduled"),
        d(14): (NPD, None, None),
        d(15): ("unregistered", None, None),
        d(16): (NPD, None, None),
        d(17): (NPD, None, None),
        d(18): ("attended", 4.5, "registered"),
        d(19): (NPD, None, None),
        d(20): ("unregistered", None, None),
        d(21): (NPD, None, None),
        d(22): ("other_absence", None, None),
        d(23): (NPD, None, None),
        d(24): (NPD, None, None),
    },
}
CATEGORIES = [
    "attended",
    "sick",
    "sick_child",
    "welfare",
    "approved",
    "other_absence",
    NPD,
    "unregistered",
]
# NAV's own words.
NB = {
    "attended": "Deltatt",
    "sick": "Fravær syk",
    "sick_child": "Fravær sykt barn",
    "welfare": "Fravær velferd eller jobbintervju",
    "approved": "Fravær godkjent av NAV",
    "other_absence": "Annet fravær",
    NPD: "Ikke tiltaksdag",
    "unregistered": "Ikke registrert",
}


def totals(name: str) -> dict:
    counts = Counter(category for category, _, _ in EXPECTED[name].values())
    return {
        "days": {category: counts.get(category, 0) for category in CATEGORIES},
        "hours": sum(hours or 0 for _, hours, _ in EXPECTED[name].values()),
        "unregistered_days": counts.get("unregistered", 0),
    }


def nb_hours(hours: float | None, source: str | None) -> str:
    if hours is None:
        return ""
    return f"{hours:.1f}".replace(".", ",") + ("*" if source == "scheduled" else "")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def history(world, as_user):
    """The history above, written by the department's facilitator through the API;
    PersonA1 in a group the facilitator is responsible for."""
    staff = as_user(world.facilitator)
    mid = ParticipantFactory(department=world.dept_a1, first_name="Mid", start_date=d(13))
    make_plan(mid, world.admin, weekdays=(1, 3, 5))
    group = Group(
        organisation_id=world.org_a.id,
        department_id=world.dept_a1.id,
        name="Kafeen",
        responsible_user_id=world.facilitator.id,
    )
    db.session.add(group)
    db.session.flush()
    world.participant_a1.group_id = group.id
    db.session.commit()
    people = {"PersonA1": world.participant_a1, "Mid": mid}
    for name, days in HISTORY.items():
        for day, (what, check_in, check_out) in days.items():
            body = {"participant_id": str(people[name].id), "date": day.isoformat()}
            if what == "present":
                body |= {"status": "present", "check_in_at": check_in, "check_out_at": check_out}
            else:
                body |= {"status": "absent", "absence_reason": what}
            expect(staff.put(f"/attendance/{uuid.uuid4()}", json=body), 201)
    leave = {"first_day": PLANNED_LEAVE.isoformat(), "last_day": PLANNED_LEAVE.isoformat()}
    expect(staff.post(f"/participants/{world.participant_a1.id}/leaves", json=leave), 201)
    return people


def report(api, participant, format="json", language="nb", **query):
    query = {
        "participant_id": str(participant.id),
        "period_start": START.isoformat(),
        "format": format,
        **query,
    }
    return api.get(
        "/reports/meldeperiode", query_string=query, headers={"Accept-Language": language}
    )


@pytest.mark.parametrize("name", ["PersonA1", "Mid"])
def test_the_json_has_each_day_in_navs_categories(world, as_user, history, name):
    body = expect(report(as_user(world.leader), history[name]), 200)
    assert (body["period_start"], body["period_end"], body["weeks"]) == (
        "2026-05-11",
        "2026-05-24",
        [20, 21],
    )
    assert body["title"] == "Meldeperiode uke 20–21"
    assert body["participant"]["id"] == str(history[name].id)
    assert body["department"] == {"id": str(world.dept_a1.id), "name": "Songdalen"}
    assert body["organisation"] == "Org A"
    assert body["counted_to"] == "2026-05-24"
    days = {date.fromisoformat(day["date"]): day for day in body["days"]}
    assert list(days) == DAYS
    for day, (category, hours, source) in EXPECTED[name].items():
        got = days[day]
        assert (got["category"], got["hours"], got["hours_source"]) == (
            category,
            hours,
            source,
        ), day
        assert got["label"] == NB[category]
        assert got["week"] == day.isocalendar().week
    assert body["totals"] == totals(name)
    assert body["complete"] is (totals(name)["unregistered_days"] == 0)


def test_what_spire_holds_stays_visible_beside_the_category(world, as_user, history):
    body = expect(report(as_user(world.leader), history["PersonA1"]), 200)
    days = {day["date"]: day for day in body["days"]}
    assert days["2026-05-19"]["entry"] == "leave"  # planned leave, nothing registered
    assert days["2026-05-23"]["entry"] == "sick"  # registered on a Saturday ...
    assert days["2026-05-23"]["programme_day"] is False  # ... which is no programme day
    assert days["2026-05-14"]["entry"] is None
    assert days["2026-05-14"]["programme_day"] is False  # Ascension Day
    assert days["2026-05-20"]["programme_day"] is True  # leave on a day of the plan


def test_the_plan_and_the_facilitator(world, as_user, history):
    leader = as_user(world.leader)
    a1 = expect(report(leader, history["PersonA1"]), 200)
    # Monday to Friday, 09-14: 25 of 37.5 hours.
    assert a1["plan"] == {
        "days_per_week": 5,
        "weekly_hours": 25.0,
        "share_of_full_time": 0.6667,
        "participation": None,
        "agreed_days_per_week": None,
    }
    assert a1["facilitator"] == world.facilitator.full_name  # the group's responsible
    mid = history["Mid"]
    mid.participation, mid.days_per_week = "part_time", 3
    db.session.commit()
    body = expect(report(leader, mid), 200)
    assert body["plan"]["days_per_week"] == 3
    assert body["plan"]["share_of_full_time"] == 0.4
    assert (body["plan"]["participation"], body["plan"]["agreed_days_per_week"]) == (
        "part_time",
        3,
    )
    assert body["facilitator"] == world.leader.full_name  # no group: the one reporting


def test_the_csv_has_a_row_per_day(world, as_user, history):
    response = report(as_user(world.leader), history["PersonA1"], "csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    short_id = str(history["PersonA1"].id)[:8]  # never the name
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="meldeperiode-{short_id}-2026-05-11-2026-05-24.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    # Who and what first, then the days, then the totals, the blocks split by blank lines.
    head, table, totals = [
        list(block) for blank, block in itertools.groupby(rows, key=bool) if blank
    ]
    assert head[0] == ["Meldeperiode uke 20–21"]
    facts = dict(head[1:])
    assert facts["Deltaker"] == "PersonA1 Hansen"
    as_json = expect(report(as_user(world.leader), history["PersonA1"]), 200)
    assert facts["Tilrettelegger"] == as_json["facilitator"]
    header, *days = table
    assert header == [
        "Dato",
        "Ukedag",
        "Uke",
        "Tiltaksdag",
        "Kategori hos NAV",
        "Timer",
        "Timer fra",
    ]
    assert len(days) == 14
    sources = {"registered": "Inn- og utsjekk", "scheduled": "Fra planen", None: ""}
    for row, (day, (category, hours, source)) in zip(
        days, EXPECTED["PersonA1"].items(), strict=True
    ):
        assert row[0] == day.strftime("%d.%m.%Y")
        assert row[2] == str(day.isocalendar().week)
        assert row[4] == NB[category], day
        assert row[5] == ("" if hours is None else f"{hours:.1f}".replace(".", ","))
        assert row[6] == sources[source]
    assert days[0][1] == "mandag"
    assert [row[3] for row in days[3:5]] == ["Nei", "Ja"]  # Ascension Day; Friday
    assert totals[0] == ["Totalt"]
    counted = {name: int(n) for name, n in totals[1:-1]}
    for category in set(NB) - {None}:
        expected = sum(1 for c, _, _ in EXPECTED["PersonA1"].values() if c == category)
        assert counted[NB[category]] == expected, category
    hours = sum(h for _, h, _ in EXPECTED["PersonA1"].values() if h)
    assert totals[-1] == ["Timer", f"{hours:.1f}".replace(".", ",")]


def test_the_workbook_is_one_sheet_that_prints_on_a4(world, as_user, history):
    response = report(as_user(world.leader), history["Mid"], "xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert len(book.worksheets) == 1
    sheet = book.worksheets[0]
    assert sheet.title == "Meldeperiode uke 20–21"
    assert sheet.page_setup.paperSize == 9
    assert sheet.page_setup.orientation == "portrait"
    values = list(sheet.iter_rows(values_only=True))
    header_at = next(n for n, row in enumerate(values) if row[0] == "Dato")
    assert sheet.print_title_rows == f"${header_at + 1}:${header_at + 1}"
    days = values[header_at + 1 : header_at + 15]
    for row, (day, (category, hours, _)) in zip(days, EXPECTED["Mid"].items(), strict=True):
        assert row[0].date() == day
        assert (row[4], row[5]) == (NB[category], hours), day
    facts = {row[0]: row[2] for row in values[3:header_at] if row[0]}
    assert facts["Deltaker"] == "Mid Hansen"
    assert facts["Tilrettelegger"] == world.leader.full_name
    counts = {row[0]: row[5] for row in values[header_at + 15 :] if row[0] in NB.values()}
    assert counts == {NB[c]: n for c, n in totals("Mid")["days"].items()}
    assert any(row[0] == "Timer" and row[5] == 9.5 for row in values[header_at + 15 :])
    signed = [row[0] for row in values if row[0] and str(row[0]).startswith("Dato og underskrift")]
    assert signed == ["Dato og underskrift, deltaker", "Dato og underskrift, tilrettelegger"]
    assert any(
        isinstance(row[0], str) and row[0].startswith("2 tiltaksdager har ingenting registrert")
        for row in values
    )


def pdf_text(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_the_pdf_is_one_page_like_the_meldekort(world, as_user, history, tmp_path):
    response = report(as_user(world.leader), history["PersonA1"], "pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    pages = pdf_text(response.data, tmp_path)
    assert len(pages) == 1
    page = pages[0]
    assert "Meldeperiode uke 20–21" in page
    assert "PersonA1 Hansen" in page
    assert "11. mai 2026 til 24. mai 2026" in page
    assert world.facilitator.full_name in page
    assert "5 dager i uken, 25,0 timer (66,7 % av en fulltidsuke på 37,5 timer)" in page
    lines = [line.split() for line in page.splitlines()]
    # Two weeks of seven days, Monday first, with their dates.
    headers = [line for line in lines if line[:1] == ["man"]]
    assert len(headers) == 2
    assert [line for line in lines if line[:1] == ["11.5."]] == [
        ["11.5.", "12.5.", "13.5.", "14.5.", "15.5.", "16.5.", "17.5."]
    ]
    assert [line for line in lines if line[:1] == ["Uke"]] == [["Uke", "20"], ["Uke", "21"]]
    # The hours of each week (week 21 has none), then the total.
    hours = [line[1:] for line in lines if line[:1] == ["Timer"]]
    week_20 = [nb_hours(*EXPECTED["PersonA1"][d(n)][1:]) for n in range(11, 18)]
    assert hours == [[h for h in week_20 if h], []]
    assert hours[0] == ["5,5", "5,0*", "2,0"]
    # The totals: the days in each of NAV's categories, and the hours.
    flat = re.sub(r"\s+", " ", page)
    assert "Timer 12,5 " in flat
    for category, n in totals("PersonA1")["days"].items():
        assert f"{NB[category]} {n} " in flat, category
    # The public holidays say which they are.
    assert "himmelfartsdag" in page and "Grunnlovsdag" in page
    assert "Dato og underskrift, deltaker" in page
    assert "Dato og underskrift, tilrettelegger" in page
    assert "ingenting registrert" not in page


def test_the_pdf_says_what_must_be_put_right(world, as_user, history, tmp_path):
    response = report(as_user(world.leader), history["Mid"], "pdf")
    (page,) = pdf_text(response.data, tmp_path)
    flat = re.sub(r"\s+", " ", page)
    assert "2 tiltaksdager har ingenting registrert: rett dem opp i Spire før meldekortet" in flat
    assert "Ikke registrert 2 " in flat


def test_danish(world, as_user, history):
    body = expect(report(as_user(world.leader), history["PersonA1"], language="da"), 200)
    assert body["title"] == "Meldeperiode uge 20–21"
    assert body["days"][0]["label"] == "Deltaget"
    refused = ParticipantFactory(department=world.dept_a1, consent_nav_reporting=False)
    response = report(as_user(world.leader), refused, language="da")
    assert response.status_code == 409
    assert response.json["message"] == (
        "Borgeren har ikke givet samtykke til, at rapporter sendes til NAV."
    )


def test_the_running_period_shows_what_is_known(world, as_user, history, frozen_clock):
    """On Thursday 14 May, the programme days to come have no category yet; the days off
    and the planned leave are known already, and so is what was registered ahead."""
    frozen_clock.move_to(datetime(2026, 5, 14, 8, 0, tzinfo=OSLO))
    leader = as_user(world.leader)
    body = expect(report(leader, history["Mid"]), 200)
    assert body["counted_to"] == "2026-05-14"
    categories = {day["date"]: day["category"] for day in body["days"]}
    assert categories["2026-05-13"] == "attended"
    assert categories["2026-05-15"] is None  # Friday, to come
    assert categories["2026-05-20"] is None
    assert categories["2026-05-16"] == NPD
    assert categories["2026-05-22"] == "other_absence"  # registered ahead
    assert body["complete"] is False
    assert body["totals"]["unregistered_days"] == 0
    a1 = expect(report(leader, history["PersonA1"]), 200)
    assert {day["date"]: day["category"] for day in a1["days"]}["2026-05-19"] == "approved"


def test_without_consent_nothing_is_made_and_nothing_logged(world, as_user):
    participant = ParticipantFactory(department=world.dept_a1, consent_nav_reporting=False)
    make_plan(participant, world.admin)
    response = report(as_user(world.leader), participant, "pdf")
    assert response.status_code == 409
    assert response.json["message"] == (
        "Deltakeren har ikke samtykket til at rapporter sendes til NAV."
    )
    assert not exports("meldeperiode")


@pytest.mark.parametrize(
    ("who", "where", "status"),
    [
        ("facilitator", "own", 403),
        ("facilitator", "other_dept", 404),
        ("leader", "other_dept", 404),
        ("leader", "other_org", 404),
        ("admin", "other_dept", 200),
    ],
)
def test_only_leaders_and_admins_of_the_participant(world, as_user, who, where, status):
    response = report(as_user(world.user(who)), world.participant(where), "csv")
    assert response.status_code == status, response.get_json(silent=True)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period_start": "2026-05-12"}, "period_start"),  # a Tuesday
        ({"period_start": "2026-06-01"}, "period_start"),  # a Monday still to come
        ({"period_start": "2025-12-15"}, "period_start"),  # ends before PersonA1 started
        ({"period_start": "2026-05-11", "format": "docx"}, "format"),
        ({"period_start": ""}, "period_start"),
    ],
)
def test_a_bad_period_is_refused(world, as_user, query, field):
    response = report(as_user(world.leader), world.participant_a1, **query)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["query"]


def test_not_a_monday_says_so(world, as_user):
    response = report(as_user(world.leader), world.participant_a1, period_start="2026-05-13")
    assert response.json["errors"]["query"]["period_start"] == [
        "En meldeperiode begynner på en mandag."
    ]


def exports(resource: str) -> list[AccessLogEntry]:
    return db.session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.action == "export", AccessLogEntry.resource == resource
        )
    ).all()


def test_each_download_is_an_export(world, as_user, history):
    leader = as_user(world.leader)
    for format in ("json", "csv", "xlsx", "pdf"):
        assert report(leader, history["PersonA1"], format).status_code == 200
    logged = exports("meldeperiode")
    assert [e.participant_id for e in logged] == [history["PersonA1"].id] * 4
    assert {e.user_id for e in logged} == {world.leader.id}
    event = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.type == "export").order_by(SecurityEvent.at)
    ).all()[-1]
    assert event.detail == {
        "resource": "meldeperiode",
        "participants": 1,
        "period_start": "2026-05-11",
    }


def test_the_command_line_writes_the_same_report(world, runner, history, tmp_path, as_user):
    target = tmp_path / "meldeperiode.csv"
    participant = str(history["PersonA1"].id)
    result = runner.invoke(
        args=[
            "report", "meldeperiode", "--participant", participant,
            "--period-start", "2026-05-11", "--user", world.leader.username,
            "--format", "csv", "--output", str(target),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == report(as_user(world.leader), history["PersonA1"], "csv").data
    pdf = tmp_path / "meldeperiode.pdf"
    result = runner.invoke(
        args=["report", "meldeperiode", "--participant", participant, "--period-start",
              "2026-05-11", "--user", world.leader.username, "-o", str(pdf)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    tuesday = runner.invoke(
        args=["report", "meldeperiode", "--participant", participant, "--period-start",
              "2026-05-12", "--user", world.leader.username, "-o", str(pdf)]
    )  # fmt: skip
    assert tuesday.exit_code == 1
    assert "En meldeperiode begynner på en mandag." in tuesday.output
    refused = runner.invoke(
        args=["report", "meldeperiode", "--participant", participant, "--period-start",
              "2026-05-11", "--user", world.facilitator.username]
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "Rollen din gir ikke tilgang til dette." in refused.output


def test_a_danish_organisation_has_no_nav_reports(world, as_user):
    """NAV is Norway's: a Danish workshop's citizens get neither report (409), in Danish."""
    workshop = danish_workshop()
    leader = as_user(workshop.leader)
    period = report(leader, workshop.citizen, language="")
    progress_report = leader.get(
        f"/reports/participants/{workshop.citizen.id}/progress", headers={"Accept-Language": ""}
    )
    for response in (period, progress_report):
        assert response.status_code == 409
        assert response.json["message"] == (
            "Indberetninger til NAV er for norske organisationer; "
            "denne organisation er i et andet land."
        )
