"""A survey's results as files (GET /surveys/{id}/results?format=pdf|xlsx), read back the
way their readers read them (the workbook with openpyxl, the PDF's text with pdftotext):
the same figures as the JSON, this round's beside the previous round's, a chart per
question with answers to count, every free-text answer once; and below the threshold,
the number of responses and nothing else."""

import io
import re
import zipfile

import pytest
import time_machine
from openpyxl import load_workbook

from shared.i18n import texts
from tests.conftest import expect
from tests.server.reports.surveys import (
    NORWEGIAN,
    QUESTIONS,
    answer_all,
    flat,
    make_survey,
    pdf_text,
)

AUTUMN = "2025-10-20 10:00:00+02:00"
SPRING = "2026-03-20 10:00:00+01:00"
# The answers of the autumn round and of the spring round: (scale, yes or no, choice,
# text), None for a question left out.
EARLIER = [
    (2, False, "NAV", None),
    (3, True, "NAV", "Mer variert arbeid, takk."),
    (3, True, "En venn", None),
    (4, False, "Kommunen", None),
]
LATER = [
    (5, True, "NAV", "Fin gjeng å jobbe med."),
    (4, True, "En venn", None),
    (4, True, None, "Lunsjen kunne vært bedre."),
    (3, False, "NAV", None),
    (5, None, "Kommunen", "Jeg vil gjerne ha flere dager."),
    (None, True, "NAV", None),
]
FREE_TEXT = [row[3] for row in EARLIER + LATER if row[3]]
T = texts("nb")
SCALE = {
    "1": "Strongly disagree",
    "2": "Disagree",
    "3": "Neither agree nor disagree",
    "4": "Agree",
    "5": "Strongly agree",
}


def label(kind: str, key: str) -> str:
    """An answer as the files name it, in Norwegian."""
    if kind == "scale":
        return f"{key} – {T.gettext(SCALE[key])}"
    if kind == "yes_no":
        return T.gettext("Yes") if key == "yes" else T.gettext("No")
    return key


@pytest.fixture
def rounds(world, as_user, anonymous):
    """An autumn round and its spring copy, both answered; the results of the spring
    round, in JSON."""
    with time_machine.travel(AUTUMN, tick=False):
        api = as_user(world.leader)
        autumn = make_survey(
            api,
            world.dept_a1.id,
            opens_on="2025-10-01",
            closes_on="2025-10-31",
            title="Brukerundersøkelse høsten 2025",
        )
        answer_all(api, anonymous, autumn, EARLIER)
    with time_machine.travel(SPRING, tick=False):
        api = as_user(world.leader)
        spring = expect(
            api.post(
                f"/surveys/{autumn['id']}/copy",
                json={
                    "title": "Brukerundersøkelse våren 2026",
                    "opens_on": "2026-03-01",
                    "closes_on": "2026-03-31",
                },
            ),
            201,
        )
        answer_all(api, anonymous, spring, LATER)
        body = expect(api.get(f"/surveys/{spring['id']}/results"), 200)
        assert body["suppressed"] is False
        assert body["previous_responses"] == len(EARLIER)
        yield api, spring, body


def results_file(api, survey_id, format: str):
    response = api.get(
        f"/surveys/{survey_id}/results", query_string={"format": format}, headers=NORWEGIAN
    )
    assert response.status_code == 200, response.get_json(silent=True)
    return response


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def block(rows: list[list], heading: str) -> list[list]:
    """The rows of a question's block on the results sheet: from its heading to the first
    empty row."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == heading)
    found = []
    for row in rows[start + 1 :]:
        if not any(value is not None for value in row):
            break
        found.append(row)
    return found


def test_the_workbook_holds_the_figures_of_the_json_with_a_chart_per_question(rounds):
    api, spring, body = rounds
    response = results_file(api, spring["id"], "xlsx")
    stem = T.gettext("survey-results")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{stem}-brukerundersokelse-varen-2026-2026-03-01.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [T.gettext("Results"), T.gettext("Free-text answers")]
    rows = rows_of(book.worksheets[0])
    assert rows[0][0] == "Brukerundersøkelse våren 2026"
    facts = {row[0]: row[1] for row in rows[3:8] if row and row[0]}
    assert facts[T.gettext("Responses")] == body["responses"] == len(LATER)
    assert facts[T.gettext("Results shown from")] == body["min_responses"] == 3
    assert "Brukerundersøkelse høsten 2025" in facts[T.gettext("Previous round")]

    charted = 0
    for number, question in enumerate(body["questions"], start=1):
        lines = block(rows, f"{number}. {question['text']}")
        if question["kind"] == "text":
            assert lines[0][:2] == [T.gettext("Answers"), question["n"]]
            continue
        charted += 1
        header, *lines = lines
        assert header[:5] == [
            T.gettext("Answer"),
            T.gettext("This round"),
            T.gettext("Share"),
            T.gettext("Previous round"),
            T.gettext("Share"),
        ]
        distribution = question["distribution"]
        previous = question["previous_distribution"]
        # In the question's order (the JSON's keys come sorted).
        keys = {"scale": list(SCALE), "yes_no": ["yes", "no"]}.get(
            question["kind"], question["options"]
        )
        assert [line[0] for line in lines[: len(keys)]] == [
            label(question["kind"], key) for key in keys
        ]
        for key, line in zip(keys, lines, strict=False):
            assert line[1] == distribution[key]
            assert line[2] == pytest.approx(distribution[key] / question["n"])
            assert line[3] == previous[key]
            assert line[4] == pytest.approx(previous[key] / question["previous_n"])
        sums = {line[0]: line for line in lines[len(distribution) :]}
        answered = sums[T.gettext("Answers")]
        assert (answered[1], answered[3]) == (question["n"], question["previous_n"])
        if question["kind"] == "choice":
            assert len(sums) == 1  # no mean of options
            continue
        name = T.gettext("Mean (1–5)" if question["kind"] == "scale" else "Share of yes")
        assert (sums[name][1], sums[name][3]) == (question["mean"], question["previous_mean"])
    assert charted == 3
    # The figures the test rests on: the spring round's scale (5, 4, 4, 3, 5; one left it).
    scale = body["questions"][0]
    assert (scale["n"], scale["mean"], scale["previous_mean"]) == (5, 4.2, 3.0)
    assert body["questions"][1]["mean"] == 0.8  # four yes of five

    # A native bar chart per question with answers to count, this round beside the last.
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        charts = sorted(
            n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)
        )
        assert len(charts) == charted
        for name in charts:
            xml = archive.read(name).decode()
            assert "barChart" in xml
            assert len(re.findall(r"<(?:c:)?ser>", xml)) == 2
            assert T.gettext("Previous round") in xml

    # The free text: every answer of this round once, none of the round before.
    free = [row[0] for row in rows_of(book.worksheets[1]) if row and row[0]]
    spring_texts = [row[3] for row in LATER if row[3]]
    for text in spring_texts:
        assert free.count(text) == 1
    assert "Mer variert arbeid, takk." not in free


def read(text: str) -> str:
    """Text as the PDF test compares it: on one line, and "80 %" as "80%" (pdftotext
    reads the narrow space before a per cent sign as none at all, at times)."""
    return re.sub(r" %", "%", flat(text))


def test_the_pdf_shows_the_figures_and_every_free_text_answer_once(rounds, tmp_path):
    api, spring, body = rounds
    response = results_file(api, spring["id"], "pdf")
    assert response.headers["Content-Type"] == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    words = read(text)
    assert "Brukerundersøkelse våren 2026" in text
    assert read(f"{T.gettext('Responses')} 6") in words
    for question in body["questions"]:
        assert read(question["text"]) in words
        if question["kind"] == "text":
            continue
        # Each answer with its count and share, beside the previous round's.
        for key, count in question["distribution"].items():
            before = question["previous_distribution"][key]
            line = [
                label(question["kind"], key),
                str(count),
                T.percent(count / question["n"]),
                str(before),
                T.percent(before / question["previous_n"]),
            ]
            assert read(" ".join(line)) in words, line
        answered = f"{T.gettext('Answers')} {question['n']} {question['previous_n']}"
        assert read(answered) in words
    # The means as the language writes them, this round's and the previous one's.
    assert read(f"{T.gettext('Mean (1–5)')} 4,2 3,0") in words
    assert read(f"{T.gettext('Share of yes')} {T.percent(0.8)} {T.percent(0.5)}") in words
    # This round's free text, each answer once; none of the round before.
    spring_texts = [row[3] for row in LATER if row[3]]
    assert body["questions"][3]["n"] == len(spring_texts)
    for answer in spring_texts:
        assert words.count(answer) == 1
    assert "Mer variert arbeid, takk." not in words


def test_below_the_threshold_the_files_hold_no_figure_and_no_free_text(
    world, as_user, anonymous, tmp_path
):
    with time_machine.travel(SPRING, tick=False):
        api = as_user(world.leader)
        survey = make_survey(
            api, world.dept_a1.id, opens_on="2026-03-01", closes_on="2026-03-31", min_responses=5
        )
        answer_all(api, anonymous, survey, LATER[:4])
        body = expect(api.get(f"/surveys/{survey['id']}/results"), 200)
        assert (body["suppressed"], body["responses"]) == (True, 4)
        pdf = results_file(api, survey["id"], "pdf")
        xlsx = results_file(api, survey["id"], "xlsx")

    withheld = T.gettext(
        "The results are withheld until at least {count} have answered, so that no answer "
        "can point to the person who gave it."
    ).format(count=5)
    words = read(pdf_text(pdf.data, tmp_path))
    assert read(withheld) in words
    assert f"{T.gettext('Responses')} 4" in words
    for secret in [*FREE_TEXT, *(q["text"] for q in QUESTIONS), "NAV", "En venn", "%"]:
        assert secret not in words, secret
    # No figure but the count, the threshold, the dates and the page number.
    numbers = set(re.findall(r"\d+", words))
    assert numbers <= {"4", "5", "1", "31", "2026", "20"}, numbers

    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == [T.gettext("Results")]
    cells = [v for row in rows_of(book.worksheets[0]) for v in row if v is not None]
    assert withheld in cells
    assert sorted(v for v in cells if isinstance(v, int | float)) == [4, 5]
    for value in cells:
        for secret in [*FREE_TEXT, *(q["text"] for q in QUESTIONS), "NAV", "En venn"]:
            assert secret not in str(value)
    with zipfile.ZipFile(io.BytesIO(xlsx.data)) as archive:
        assert not [n for n in archive.namelist() if n.startswith("xl/charts/")]
