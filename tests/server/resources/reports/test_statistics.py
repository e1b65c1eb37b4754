"""The yearly statistics (GET /reports/statistics) against the known history of
tests/server/services/reports/history.py: the JSON gives a leader the exact figures worked
out there; each file is read back the way its reader would (the CSV with the csv module,
the XLSX with openpyxl, the PDF's text with poppler's pdftotext) and must show the same
figures with every count of 1 or 2 as <3, and nothing from which a reader could work a
hidden count out: the brute force of the suppression's tests runs on what each file shows."""

import csv
import io
import re
import subprocess
import zipfile

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import func, select

from server.database import db
from server.models import AccessLogEntry, SecurityEvent
from server.reports.suppression import HIDDEN, SMALL, Equation, row
from tests.conftest import expect
from tests.server.reports.test_suppression import recoverable
from tests.server.services.reports import history
from tests.server.services.reports.history import NOW, OUTCOMES, WHO, expected

# The Norwegian labels of the rows that are not tally activities, in the files' order.
LABELS = {
    "conversation": "Samtale",
    "phone": "Telefon/SMS/e-post",
    "home_visit": "Hjemmebesøk/treffmøte",
    "accompaniment": "Følge i hjelpeapparatet",
    "other": "Annet",
    "meeting": "Ansvarsgruppemøter holdt",
    "attendance_day": "Dager oppmøtt",
}
OUTCOME_LABELS = {
    "ordinary_work": "Ordinært arbeid",
    "education": "Utdanning",
    "other_measure": "Annet tiltak",
    "disability_benefit": "Uføretrygd",
    "dropped_out": "Avbrutt",
    "other": "Annet",
}
HEADER = [
    "Aktivitet",
    "Kvinner",
    "Menn",
    "Offentlig instans",
    "Barn og unge",
    "Annet",
    "Totalt i år",
    "Totalt i fjor",
]


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def built(world):
    return history.build(world)


def statistics(api, format="json", language="nb", **query):
    query = {"year": 2026, "format": format, **query}
    return api.get("/reports/statistics", query_string=query, headers={"Accept-Language": language})


def songdalen(world, api, format="json", **query):
    return statistics(api, format, department_id=str(world.dept_a1.id), **query)


# --- JSON -------------------------------------------------------------------------------


def test_the_json_gives_a_leader_the_exact_figures(world, as_user, built):
    body = expect(songdalen(world, as_user(world.leader)), 200)
    want = expected(2026, {"a1"}, built["activities"])
    assert {key: body[key] for key in want} == want
    assert body["department"] == {"id": str(world.dept_a1.id), "name": "Songdalen"}
    assert (body["counted_to"], body["made_on"]) == ("2026-11-30", "2026-11-30")
    # Only the tally rows carry a name; every row has every column.
    for activity in body["activities"]:
        assert ("name" in activity) == activity["kind"].startswith("tally:")
        assert set(activity) >= {*WHO, "kind", "total", "previous_total"}
    # Small counts are exact in JSON: the phone follow-ups are 1 and 1.
    phone = next(a for a in body["activities"] if a["kind"] == "phone")
    assert (phone["female"], phone["male"], phone["total"]) == (1, 1, 2)


def test_a_year_gone_by_and_the_whole_organisation(world, as_user, built):
    body = expect(statistics(as_user(world.admin), year=2025), 200)
    assert body["department"] is None
    assert {d["name"] for d in body["departments"]} == {"Songdalen", "Arendal"}
    want = expected(2025, {"a1", "a2"}, built["activities"])
    assert {key: body[key] for key in want} == want
    assert body["counted_to"] == "2025-12-31"


@pytest.mark.parametrize(
    ("who", "status", "departments"),
    [
        ("admin", 200, ["Arendal", "Songdalen"]),
        ("leader", 200, ["Songdalen"]),
        ("facilitator", 403, None),
    ],
)
def test_without_a_department_each_role_gets_its_own(world, as_user, who, status, departments):
    response = statistics(as_user(world.user(who)))
    assert response.status_code == status, response.get_json()
    if departments:
        assert sorted(d["name"] for d in response.json["departments"]) == departments
        assert response.json["department"] is None


@pytest.mark.parametrize(
    "query",
    [
        {"year": 1999},
        {"year": 2027},  # next year: it has not happened
        {"year": "tjuetjueseks"},
        {"year": 2026, "format": "docx"},
        {"year": 2026, "department_id": "songdalen"},
        {},
    ],
)
def test_a_bad_year_or_format_is_refused(world, as_user, query):
    response = as_user(world.leader).get("/reports/statistics", query_string=query)
    assert response.status_code == 422, response.get_json()
    assert response.json["code"] == 422


def test_the_statistics_name_nobody_but_their_download_is_an_export_event(world, as_user, built):
    log_rows = db.session.scalar(select(func.count()).select_from(AccessLogEntry))
    assert songdalen(world, as_user(world.leader), "xlsx").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AccessLogEntry)) == log_rows
    event = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.type == "export").order_by(SecurityEvent.at)
    ).all()[-1]
    assert event.user_id == world.leader.id
    assert event.detail["resource"] == "statistics"
    assert event.detail["participants"] == 0
    assert (event.detail["year"], event.detail["department_id"]) == (2026, str(world.dept_a1.id))


# --- The files: what each shows, checked against the exact figures -----------------------


def check_published(body: dict, table: list[list[str]], contacts, participants, outcomes):
    """The rows a file shows (label and seven cells), its contacts, participants and
    outcomes (label -> text), against the exact figures of the JSON: every count shown
    is the exact one, 1 and 2 are never shown, and no hidden count is recoverable from
    what is shown (brute force, with every sum the figures are tied by)."""
    activities = body["activities"]
    assert len(table) == len(activities)
    values, marks, equations = {}, {}, []

    def note(key, exact: int, text: str):
        values[key] = exact
        if text == "<3":
            assert exact in (1, 2), (key, exact)
            marks[key] = SMALL
        elif text == ":":
            marks[key] = HIDDEN
        else:
            assert int(text) == exact, (key, text, exact)
            assert exact not in (1, 2), key
            marks[key] = None

    for activity, (name, *cells) in zip(activities, table, strict=True):
        kind = activity["kind"]
        assert name == (activity["name"] if kind.startswith("tally:") else LABELS[kind])
        for who, text in zip(WHO, cells[:5], strict=True):
            note((kind, who), activity[who], text)
            if activity[who] in (1, 2):
                assert text == "<3"  # a small cell is always <3, never a mere ":"
        note((kind, "total"), activity["total"], cells[5])
        equations.append(row([(kind, who) for who in WHO], (kind, "total")))
        # The year before's total: a number, or hidden, never 1 or 2.
        if cells[6] not in ("<3", ":"):
            assert int(cells[6]) == activity["previous_total"] not in (1, 2)
    tally_totals = tuple((a["kind"], "total") for a in activities if a["kind"].startswith("tally:"))
    note("first", body["contacts"]["first"], contacts["Førstegangshenvendelser"])
    note("repeat", body["contacts"]["repeat"], contacts["Gjentatte henvendelser"])
    equations.append(Equation(tally_totals, ("first", "repeat")))
    people = body["participants"]
    note("started", people["started"], participants["Startet i året"])
    note("ended", people["ended"], participants["Avsluttet i året"])
    note("active", people["active_at_year_end"], participants["Deltakere i dag (30.11.2026)"])
    for outcome in OUTCOMES:
        note(("outcome", outcome), people["by_outcome"][outcome], outcomes[OUTCOME_LABELS[outcome]])
    equations.append(row([("outcome", o) for o in OUTCOMES], "ended"))
    assert recoverable(values, marks, equations) == []
    return marks


def test_the_history_gives_small_cells_and_hidden_totals(world, as_user, built):
    """What the file tests below rest on: this year's Songdalen has rows whose total is
    hidden, rows that keep theirs by hiding a second cell, and hidden contacts."""
    body = expect(songdalen(world, as_user(world.leader)), 200)
    rows = {a["kind"]: a for a in body["activities"]}
    assert [rows["phone"][w] for w in WHO] == [1, 1, 0, 0, 0]  # total hidden
    assert [rows["conversation"][w] for w in WHO] == [2, 3, 0, 0, 0]  # 3 hidden instead
    assert body["participants"]["by_outcome"]["education"] == 1


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def blocks(lines: list[list[str]], header_first: str) -> dict[str, str]:
    """label -> value of the two-column block whose header begins with ``header_first``."""
    start = next(i for i, line in enumerate(lines) if line and line[0] == header_first)
    found = {}
    for line in lines[start + 1 :]:
        if not line or not line[0]:
            break
        found[line[0]] = line[1]
    return found


def test_the_csv(world, as_user, built):
    api = as_user(world.leader)
    body = expect(songdalen(world, api), 200)
    response = songdalen(world, api, "csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="statistikk-songdalen-2026.csv"'
    )
    lines = read_csv(response.data)
    assert lines[0] == ["Statistikk 2026 · Songdalen"]
    start = lines.index(HEADER)
    table = []
    for line in lines[start + 1 :]:
        if not line:
            break
        if len(line) > 1:  # not a section's heading
            table.append(line)
    marks = check_published(
        body,
        table,
        blocks(lines, "Henvendelser (anonym registrering)"),
        blocks(lines, "Deltakere"),
        blocks(lines, "Avsluttet i året, etter avslutningsårsak"),
    )
    assert marks[("phone", "total")] == HIDDEN
    assert marks[("conversation", "male")] == HIDDEN
    assert marks["first"] == marks["repeat"] == HIDDEN
    assert marks["ended"] == HIDDEN
    rates = blocks(lines, "Oppmøteprosent")
    rate = body["attendance_rate"]
    assert rates["Hele året"] == f"{rate * 100:.1f}".replace(".", ",")
    march = body["attendance_rate_by_month"][2]
    assert rates["mars"] == f"{march * 100:.1f}".replace(".", ",")
    assert rates["desember"] == ""  # still to come
    assert any(line and line[0].startswith("<3 = 1 eller 2") for line in lines)


def test_the_workbook(world, as_user, built):
    api = as_user(world.leader)
    body = expect(songdalen(world, api), 200)
    response = songdalen(world, api, "xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Statistikk 2026"]
    sheet = book.worksheets[0]
    assert sheet.page_setup.paperSize == 9
    lines = [
        ["" if v is None else str(v) for v in line] for line in sheet.iter_rows(values_only=True)
    ]
    lines = [line[: max((i + 1 for i, v in enumerate(line) if v), default=0)] for line in lines]
    start = lines.index(HEADER)
    table = []
    for line in lines[start + 1 :]:
        if not line:
            break
        if len(line) > 1:
            table.append(line)
    check_published(
        body,
        table,
        blocks(lines, "Henvendelser (anonym registrering)"),
        blocks(lines, "Deltakere"),
        blocks(lines, "Avsluttet i året, etter avslutningsårsak"),
    )
    # The rates are numbers formatted as percentages, and a native bar chart shows them.
    whole_year = next(r for r in sheet.iter_rows() if r[0].value == "Hele året")
    assert whole_year[1].value == body["attendance_rate"]
    assert whole_year[1].number_format == "0.0%"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        assert b"<c:barChart>" in archive.read(charts[0]) or b"<barChart>" in archive.read(
            charts[0]
        )


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "statistics.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pdf(world, as_user, built, tmp_path):
    api = as_user(world.leader)
    body = expect(songdalen(world, api), 200)
    response = songdalen(world, api, "pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert text.count("\f") == 1  # one page
    assert "Statistikk 2026 · Songdalen" in text
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    table = []
    for activity in body["activities"]:
        name = (
            activity["name"] if activity["kind"].startswith("tally:") else LABELS[activity["kind"]]
        )
        line = next(
            line
            for line in lines[len(table) :]
            if line.startswith(name + " ") and line[len(name)] == " "
        )
        lines_index = lines.index(line)
        cells = line[len(name) :].split()
        assert len(cells) == 7, line
        table.append([name, *cells])
        lines[lines_index] = ""  # a name used twice (Telefon/SMS/e-post) is read in order

    below = text[text.index("Henvendelser og deltakere") :]

    def pairs(labels):
        # The two small tables below the big one sit side by side: each label is
        # followed, after a gap, by its count.
        found = {}
        for label in labels:
            found[label] = re.search(re.escape(label) + r"\s{2,}(\S+)", below).group(1)
        return found

    check_published(
        body,
        table,
        pairs(["Førstegangshenvendelser", "Gjentatte henvendelser"]),
        pairs(["Startet i året", "Avsluttet i året", "Deltakere i dag (30.11.2026)"]),
        pairs(list(OUTCOME_LABELS.values())),
    )
    rate = body["attendance_rate"]
    assert f"{rate * 100:.1f} %".replace(".", ",") in text.replace("\u00a0", " ")


def test_the_files_speak_danish(world, as_user, built, tmp_path):
    api = as_user(world.leader)
    lines = read_csv(songdalen(world, api, "csv", language="da").data)
    assert lines[0] == ["Statistik 2026 · Songdalen"]
    assert ["Aktivitet", "Kvinder", "Mænd", "Offentlig myndighed"] == lines[3][:4]
    response = songdalen(world, api, "pdf", language="da")
    assert response.headers["Content-Disposition"].endswith('"statistik-songdalen-2026.pdf"')
    assert "Afholdte netværksmøder" in pdf_text(response.data, tmp_path)


def test_the_command_line_writes_the_same_file(world, runner, as_user, built, tmp_path):
    target = tmp_path / "statistikk.csv"
    result = runner.invoke(
        args=[
            "report", "statistics", "--year", "2026", "--department", "songdalen",
            "--user", world.leader.username, "--format", "csv", "--output", str(target),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == songdalen(world, as_user(world.leader), "csv").data
    everything = tmp_path / "alle.xlsx"
    result = runner.invoke(
        args=["report", "statistics", "--year", "2025", "--user", world.admin.username,
              "--output", str(everything)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert load_workbook(everything).sheetnames == ["Statistikk 2025"]
    refused = runner.invoke(
        args=["report", "statistics", "--year", "2026", "--user", world.facilitator.username]
    )
    assert refused.exit_code == 1
    assert "Rollen din gir ikke tilgang til dette." in refused.output
