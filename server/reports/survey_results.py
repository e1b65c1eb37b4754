"""A survey's results as files: PDF (a ReportLab bar chart per question) and XLSX (a sheet
of figures with a native bar chart per question, and a sheet of the free-text answers).

Per question: how many answered it, the mean (of a 1-5 scale; for yes or no, the share
of yes), and the distribution as counts and shares, with the previous round's beside it
when there is one. Free text is printed in the order the results hold it, which is
shuffled afresh each time: never sorted, so that nothing follows the order of answering.
Below the survey's threshold a file holds the number of responses and nothing else."""

from collections.abc import Callable

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from server import clock
from server.reports import pdf, spreadsheet
from server.reports.files import File, file_name
from server.services.surveys import QuestionResult, Results
from server.services.surveys.definitions import timezone
from shared.i18n import N_, Texts
from shared.vocab import QuestionKind, ReportFormat

# What the points of a scale mean: 1 (disagree) to 5 (agree).
SCALE_LABELS = {
    # Translators: point 1 of a survey's 1-5 scale.
    "1": N_("Strongly disagree"),
    # Translators: point 2 of a survey's 1-5 scale.
    "2": N_("Disagree"),
    # Translators: point 3 of a survey's 1-5 scale.
    "3": N_("Neither agree nor disagree"),
    # Translators: point 4 of a survey's 1-5 scale.
    "4": N_("Agree"),
    # Translators: point 5 of a survey's 1-5 scale.
    "5": N_("Strongly agree"),
}
# Translators: a column of a survey's results: the answer given (nb "Svaralternativ").
ANSWER = N_("Answer")
THIS_ROUND = colors.HexColor("#4a7a96")
PREVIOUS_ROUND = colors.HexColor("#b9c8d3")
# The longest answer a chart names in full.
CHART_LABEL = 14


def render(results: Results, format: ReportFormat, t: Texts) -> File:
    content = {ReportFormat.XLSX: _xlsx, ReportFormat.PDF: _pdf}[format](results, t)
    # Translators: the start of a file name: lower-case ASCII letters and hyphens only.
    stem = t.gettext("survey-results")
    survey = results.survey
    return File(content, format, file_name(stem, survey.title[:40], survey.opens_on, format=format))


# --- What both files say ----------------------------------------------------------------


def _dates(survey, t: Texts) -> str:
    return f"{t.date(survey.opens_on)} – {t.date(survey.closes_on)}"


def _subtitle(t: Texts) -> str:
    return t.gettext("Results of an anonymous survey")


def _previous(results: Results, t: Texts) -> str | None:
    """The previous round in a line: its title, dates and responses, and whether it had
    too few to compare with."""
    previous = results.previous
    if previous is None:
        return None
    line = t.gettext("{title}, {dates}: {responses}").format(
        title=previous.title,
        dates=_dates(previous, t),
        responses=_responses(results.previous_responses, t),
    )
    if results.previous_responses < previous.min_responses:
        line += " " + t.gettext("(too few to compare)")
    return line


def _responses(count: int, t: Texts) -> str:
    return t.ngettext("{count} response", "{count} responses", count).format(count=t.number(count))


def _withheld(results: Results, t: Texts) -> str:
    return t.gettext(
        "The results are withheld until at least {count} have answered, so that no answer "
        "can point to the person who gave it."
    ).format(count=results.survey.min_responses)


def _heading(index: int, question: QuestionResult) -> str:
    return f"{index}. {question.text}"


def _label(question: QuestionResult, key: str, t: Texts) -> str:
    """An answer as a reader reads it: ``1 – Strongly disagree``, ``Yes``, an option."""
    if question.kind == QuestionKind.SCALE:
        return f"{key} – {t.gettext(SCALE_LABELS[key])}"
    if question.kind == QuestionKind.YES_NO:
        return t.gettext("Yes") if key == "yes" else t.gettext("No")
    return key


def _mean_name(question: QuestionResult, t: Texts) -> str | None:
    if question.kind == QuestionKind.SCALE:
        # Translators: the mean of the answers on a survey's scale of 1 to 5.
        return t.gettext("Mean (1–5)")
    if question.kind == QuestionKind.YES_NO:
        return t.gettext("Share of yes")
    return None


def _share(count: int, n: int | None) -> float | None:
    return count / n if n else None


def _compared(question: QuestionResult) -> bool:
    return question.previous_distribution is not None


def _numbered(results: Results) -> list[tuple[int, QuestionResult]]:
    return list(enumerate(results.questions, start=1))


# --- PDF --------------------------------------------------------------------------------


def _pdf(results: Results, t: Texts) -> bytes:
    survey = results.survey
    facts = [
        (t.gettext("Open for answers"), _dates(survey, t)),
        (t.gettext("Responses"), t.number(results.responses)),
        # Translators: the fewest responses a survey's results are shown from.
        (t.gettext("Results shown from"), _responses(survey.min_responses, t)),
    ]
    previous = _previous(results, t)
    if previous:
        facts.append((t.gettext("Previous round"), previous))
    story = [
        pdf.text(survey.title, "title"),
        pdf.text(_subtitle(t), "subtitle"),
        Spacer(1, 4 * mm),
        pdf.facts(facts),
        Spacer(1, 2 * mm),
    ]
    if results.suppressed:
        story.append(pdf.text(_withheld(results, t), "heading"))
    else:
        for index, question in _numbered(results):
            story += _pdf_question(index, question, t, results)
    return pdf.build(
        story,
        title=survey.title,
        notice=t.gettext("Anonymous survey: no answer can be traced to the person who gave it."),
        made_on=clock.local_today(timezone(survey)),
        t=t,
    )


# The widths of a question's table and, beside it, its chart (millimetres).
TABLE_WIDTH = 108
NUMBER_WIDTH = 14
CHART_WIDTH = pdf.width() - TABLE_WIDTH - 2


def _question_withheld(results: Results, t: Texts) -> str:
    return t.gettext(
        "Fewer than {count} answered this question: its answers are not shown."
    ).format(count=t.number(results.survey.min_responses))


def _pdf_question(index: int, question: QuestionResult, t: Texts, results: Results) -> list:
    heading = pdf.text(_heading(index, question), "heading")
    if question.withheld:
        return [KeepTogether([heading, pdf.text(_question_withheld(results, t))])]
    if question.kind == QuestionKind.TEXT:
        answers = question.answers or []
        if not answers:
            return [KeepTogether([heading, pdf.text(t.gettext("Nobody answered this question."))])]
        header = [t.gettext("Answers ({count})").format(count=t.number(len(answers)))]
        return [heading, *pdf.tables(header, [[a] for a in answers], [pdf.width()])]
    layout = Table(
        [[_pdf_table(question, t), _pdf_chart(question, t)]],
        colWidths=[(TABLE_WIDTH + 2) * mm, CHART_WIDTH * mm],
    )
    layout.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [KeepTogether([heading, layout])]


def _pdf_table(question: QuestionResult, t: Texts):
    """Each answer with its count and share, this round's and the previous round's; then
    how many answered, and the mean."""
    compared = _compared(question)

    def share(count: int, n: int | None) -> str:
        fraction = _share(count, n)
        return "–" if fraction is None else t.percent(fraction)

    def mean(value: float | None) -> str:
        if value is None:
            return "–"
        return t.percent(value) if question.kind == QuestionKind.YES_NO else t.number(value, 1)

    rows = []
    for key, count in question.distribution.items():
        row = [_label(question, key, t), t.number(count), share(count, question.n)]
        if compared:
            before = question.previous_distribution.get(key, 0)
            row += [t.number(before), share(before, question.previous_n)]
        rows.append(row)
    answers = [t.gettext("Answers"), t.number(question.n), ""]
    if compared:
        answers += [t.number(question.previous_n), ""]
    rows.append(answers)
    mean_name = _mean_name(question, t)
    if mean_name:
        rows.append(
            [mean_name, mean(question.mean), ""]
            + ([mean(question.previous_mean), ""] if compared else [])
        )
    # Each round's heading spans its count and its share.
    header = [t.gettext(ANSWER), t.gettext("This round") if compared else t.gettext("Number"), ""]
    if compared:
        header += [t.gettext("Previous round"), ""]
    numbers = len(header) - 1
    widths = [TABLE_WIDTH - numbers * NUMBER_WIDTH] + [NUMBER_WIDTH] * numbers
    table = pdf.table(header, rows, widths, numeric=range(1, len(header)))
    first_sum = len(question.distribution) + 1
    style = [
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("BACKGROUND", (0, first_sum), (-1, -1), colors.HexColor("#f5f7f8")),
    ]
    for column in range(1, len(header), 2):
        style.append(("SPAN", (column, 0), (column + 1, 0)))
    table.setStyle(TableStyle(style))
    return table


def _chart_label(question: QuestionResult, key: str, t: Texts) -> str:
    """An answer as the chart beside its table names it: the scale's points by number."""
    if question.kind == QuestionKind.SCALE:
        return key
    label = _label(question, key, t)
    return label if len(label) <= CHART_LABEL else label[: CHART_LABEL - 1].rstrip() + "…"


def _pdf_chart(question: QuestionResult, t: Texts) -> Drawing:
    """The distribution as horizontal bars, in per cent of those who answered, the first
    answer at the top; the previous round's bars below this round's, in a lighter colour."""
    compared = _compared(question)
    keys = list(question.distribution)
    series = [[100 * (_share(question.distribution[k], question.n) or 0) for k in keys]]
    colours = [THIS_ROUND]
    if compared:
        previous = question.previous_distribution
        # A group's first series is drawn lowest: the previous round first puts this
        # round's bar on top.
        series.insert(
            0, [100 * (_share(previous.get(k, 0), question.previous_n) or 0) for k in keys]
        )
        colours.insert(0, PREVIOUS_ROUND)
    width = CHART_WIDTH * mm
    legend_height = 6 * mm if compared else 0
    bars_height = max(len(keys) * (7 if compared else 5) * mm, 14 * mm)
    height = legend_height + bars_height + 7 * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 18 * mm, 5 * mm
    chart.width, chart.height = width - chart.x - 4 * mm, bars_height
    chart.data = series
    chart.categoryAxis.categoryNames = [_chart_label(question, k, t) for k in keys]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 25
    chart.valueAxis.labelTextFormat = _axis_label(t)
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dde3e7")
    chart.barSpacing = 1
    chart.groupSpacing = 4
    for number, colour in enumerate(colours):
        chart.bars[number].fillColor = colour
        chart.bars[number].strokeColor = None
    drawing.add(chart)
    if compared:
        legend = Legend()
        legend.x, legend.y = chart.x, height - 1 * mm
        legend.boxAnchor = "nw"
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.fontName, legend.fontSize = "Helvetica", 7
        legend.dx = legend.dy = 6
        legend.dxTextSpace = 3
        legend.deltax = 4
        legend.autoXPadding = 10
        legend.colorNamePairs = [
            (THIS_ROUND, t.gettext("This round")),
            (PREVIOUS_ROUND, t.gettext("Previous round")),
        ]
        drawing.add(legend)
    return drawing


def _axis_label(t: Texts) -> Callable[[float], str]:
    return lambda value: t.percent(value / 100)


# --- XLSX -------------------------------------------------------------------------------

WRAPPED = Alignment(wrap_text=True, vertical="top")
MEAN_FORMAT = "0.00"
SHARE_FORMAT = "0%"
# Rows a question's block takes at least: its chart's height (in rows of 15 points).
CHART_ROWS = 14


def _xlsx(results: Results, t: Texts) -> bytes:
    book = spreadsheet.workbook()
    ws = spreadsheet.sheet(book, t.gettext("Results"), [44, 13, 10, 15, 10], wide=True)
    spreadsheet.title(ws, results.survey.title, _subtitle(t))
    rows = _Rows(ws)
    survey = results.survey
    rows.pair(t.gettext("Open for answers"), _dates(survey, t))
    rows.pair(t.gettext("Responses"), results.responses)
    rows.pair(t.gettext("Results shown from"), survey.min_responses)
    previous = _previous(results, t)
    if previous:
        rows.pair(t.gettext("Previous round"), previous)
    rows.append([])
    if results.suppressed:
        rows.append([spreadsheet.cell(ws, _withheld(results, t), font=spreadsheet.BOLD)])
        return spreadsheet.save(book)
    free_text = t.gettext("Free-text answers")
    for index, question in _numbered(results):
        if question.withheld:
            rows.heading(_heading(index, question))
            rows.append([rows.cell(_question_withheld(results, t))])
            rows.append([])
        elif question.kind == QuestionKind.TEXT:
            _xlsx_text_summary(rows, index, question, free_text, t)
        else:
            _xlsx_question(rows, index, question, t)
    texts = [
        (i, q) for i, q in _numbered(results) if q.kind == QuestionKind.TEXT and not q.withheld
    ]
    if texts:
        _xlsx_free_text(book, results, texts, free_text, t)
    return spreadsheet.save(book)


class _Rows:
    """A write-only sheet's rows, counted: charts refer to rows by number."""

    def __init__(self, ws):
        self.ws = ws
        self.count = 3  # the title's rows

    def append(self, cells: list) -> int:
        self.ws.append(cells)
        self.count += 1
        return self.count

    def pair(self, name: str, value) -> None:
        self.append([spreadsheet.cell(self.ws, name, font=spreadsheet.BOLD), self.cell(value)])

    def cell(self, value, number_format=None):
        return spreadsheet.cell(self.ws, value, number_format=number_format)

    def header(self, values: list[str]) -> int:
        spreadsheet.header(self.ws, values)
        self.count += 1
        return self.count

    def heading(self, text: str) -> int:
        return self.append(
            [spreadsheet.cell(self.ws, text, font=spreadsheet.BOLD, fill=spreadsheet.MUTED_FILL)]
        )


def _xlsx_question(rows: _Rows, index: int, question: QuestionResult, t: Texts) -> None:
    ws = rows.ws
    compared = _compared(question)
    first = rows.heading(_heading(index, question))
    header = [
        t.gettext(ANSWER),
        t.gettext("This round") if compared else t.gettext("Number"),
        t.gettext("Share"),
    ]
    if compared:
        header += [t.gettext("Previous round"), t.gettext("Share")]
    header_row = rows.header(header)
    for key, count in question.distribution.items():
        cells = [
            rows.cell(_label(question, key, t)),
            rows.cell(count),
            rows.cell(_share(count, question.n), SHARE_FORMAT),
        ]
        if compared:
            before = question.previous_distribution.get(key, 0)
            cells += [
                rows.cell(before),
                rows.cell(_share(before, question.previous_n), SHARE_FORMAT),
            ]
        rows.append(cells)
    last_answer = rows.count
    bold = spreadsheet.BOLD
    answered = [spreadsheet.cell(ws, t.gettext("Answers"), font=bold), rows.cell(question.n)]
    if compared:
        answered += [None, rows.cell(question.previous_n)]
    rows.append(answered)
    mean_name = _mean_name(question, t)
    if mean_name:
        number_format = (
            spreadsheet.PERCENT_FORMAT if question.kind == QuestionKind.YES_NO else MEAN_FORMAT
        )
        means = [
            spreadsheet.cell(ws, mean_name, font=bold),
            rows.cell(question.mean, number_format),
        ]
        if compared:
            means += [None, rows.cell(question.previous_mean, number_format)]
        rows.append(means)
    _xlsx_chart(rows, question, first, header_row, last_answer, t)
    while rows.count < first + CHART_ROWS:
        rows.append([])
    rows.append([])


def _xlsx_chart(
    rows: _Rows, question: QuestionResult, first: int, header: int, last: int, t: Texts
) -> None:
    """A native bar chart of the shares, the first answer at the top, beside the block."""
    ws = rows.ws
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.height, chart.width = 7, 13
    chart.gapWidth = 60
    columns = [(3, t.gettext("This round"))]
    if _compared(question):
        columns.append((5, t.gettext("Previous round")))
    for column, name in columns:
        chart.add_data(Reference(ws, min_col=column, min_row=header + 1, max_row=last))
        chart.series[-1].tx = SeriesLabel(v=name)
    for series, colour in zip(chart.series, ("4A7A96", "B9C8D3"), strict=False):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.noFill = True
    chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
    chart.x_axis.scaling.orientation = "maxMin"  # the first answer at the top
    chart.y_axis.crosses = "max"  # and the shares' axis at the bottom
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.number_format = "0%"
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if len(columns) == 1:
        chart.legend = None
    else:
        chart.legend.position = "b"
    ws.add_chart(chart, f"G{first}")


def _xlsx_text_summary(
    rows: _Rows, index: int, question: QuestionResult, sheet: str, t: Texts
) -> None:
    rows.heading(_heading(index, question))
    rows.append(
        [spreadsheet.cell(rows.ws, t.gettext("Answers"), font=spreadsheet.BOLD), question.n]
    )
    rows.append(
        [rows.cell(t.gettext("The answers are on the sheet “{sheet}”.").format(sheet=sheet))]
    )
    rows.append([])


def _xlsx_free_text(
    book, results: Results, questions: list[tuple[int, QuestionResult]], name: str, t: Texts
) -> None:
    ws = spreadsheet.sheet(book, name, [110], wide=False)
    spreadsheet.title(
        ws,
        results.survey.title,
        t.gettext("In random order: the order says nothing about who answered, or when."),
    )
    for index, question in questions:
        ws.append(
            [
                spreadsheet.cell(
                    ws,
                    _heading(index, question),
                    font=spreadsheet.BOLD,
                    fill=spreadsheet.HEADER_FILL,
                )
            ]
        )
        answers = question.answers or []
        if not answers:
            ws.append([spreadsheet.cell(ws, t.gettext("Nobody answered this question."))])
        for answer in answers:
            ws.append([spreadsheet.cell(ws, answer, alignment=WRAPPED)])
        ws.append([])
