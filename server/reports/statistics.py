"""The yearly statistics as files for outsiders (the annual report, grant givers): CSV,
XLSX (with a native bar chart of the attendance rate by month) and PDF (with a ReportLab
bar chart), in the shape of the annual report's table: one row per activity, a column per
who (women, men, public agency, children and youth, other), the total this year and the
year before; then the contacts, the participants, the outcomes and the attendance rate.

Every count goes through the small-cell suppression (``suppression``): 1 and 2 are
printed ``<3``, and a total that would give a hidden count away is printed ``:``. The
year before's totals are hidden exactly where last year's statistics hid them."""

from dataclasses import dataclass
from datetime import date

from openpyxl.chart import BarChart, Reference
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from server.reports import csvfile, pdf, spreadsheet
from server.reports.files import File, file_name
from server.reports.suppression import Equation, row, shown, suppress
from server.services.reports.statistics import (
    ATTENDANCE_DAY,
    MEETING,
    WHO,
    ActivityRow,
    Statistics,
)
from shared.i18n import Texts
from shared.labels import label
from shared.vocab import FollowUpKind, Outcome, ReportFormat, values

SMALL_MARK = "<3"
HIDDEN_MARK = ":"
OUTCOMES = values(Outcome)
NOT_STATED = "not_stated"


def render(stats: Statistics, format: ReportFormat, t: Texts) -> File:
    content = {ReportFormat.CSV: _csv, ReportFormat.XLSX: _xlsx, ReportFormat.PDF: _pdf}[format](
        stats, t
    )
    # Translators: the start of a file name: lower-case ASCII letters and hyphens only.
    stem = t.gettext("statistics")
    where = stats.department.name if stats.department else stats.organisation
    return File(content, format, file_name(stem, where, str(stats.year), format=format))


# --- What is published ------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """The statistics' counts with their marks: ``get(key)`` is what a file prints."""

    values: dict
    marks: dict

    def get(self, key) -> int | str:
        return shown(self.values[key], self.marks[key], SMALL_MARK, HIDDEN_MARK)


def published(stats: Statistics) -> Published:
    """Every count of the files, suppressed: this year's table with its sums (each row's
    cells to its total; the tally rows' totals to the first and repeat contacts; the
    outcomes to the ended), and the year before's row totals marked as the year before's
    statistics marked them."""
    entries: dict = {}
    equations: list[Equation] = []
    previous: dict = {}
    previous_equations: list[Equation] = []
    for activity in stats.activities:
        cells = [(activity.kind, who) for who in WHO]
        entries |= {(activity.kind, who): activity.counts[who] for who in WHO}
        entries[(activity.kind, "total")] = activity.total
        equations.append(row(cells, (activity.kind, "total")))
        previous |= {(activity.kind, who): activity.previous[who] for who in WHO}
        previous[(activity.kind, "total")] = activity.previous_total
        previous_equations.append(row(cells, (activity.kind, "total")))
    entries |= {"first": stats.contacts["first"], "repeat": stats.contacts["repeat"]}
    equations.append(
        Equation(
            tuple((a.kind, "total") for a in stats.activities if a.is_tally), ("first", "repeat")
        )
    )
    people = stats.participants
    outcomes = {("outcome", key): people["by_outcome"][key] for key in OUTCOMES}
    # Ended with no outcome recorded (none, through the API): a part of the ended too.
    outcomes[("outcome", NOT_STATED)] = people["ended"] - sum(outcomes.values())
    entries |= outcomes
    entries |= {
        "started": people["started"],
        "ended": people["ended"],
        "active": people["active_at_year_end"],
    }
    equations.append(row(list(outcomes), "ended"))
    marks = suppress(entries, equations)
    previous_marks = suppress(previous, previous_equations)
    for activity in stats.activities:
        key = (activity.kind, "previous")
        entries[key] = activity.previous_total
        marks[key] = previous_marks[(activity.kind, "total")]
    return Published(entries, marks)


def published_tally(activities: list[ActivityRow], contacts: dict[str, int]) -> Published:
    """The tally's counts over a period, suppressed by the statistics' rules for its
    rows: each activity's cells add up to its total, and the totals to the first and
    repeat contacts."""
    entries: dict = {"first": contacts["first"], "repeat": contacts["repeat"]}
    equations: list[Equation] = []
    for activity in activities:
        cells = [(activity.kind, who) for who in WHO]
        entries |= {(activity.kind, who): activity.counts[who] for who in WHO}
        entries[(activity.kind, "total")] = activity.total
        equations.append(row(cells, (activity.kind, "total")))
    equations.append(Equation(tuple((a.kind, "total") for a in activities), ("first", "repeat")))
    return Published(entries, suppress(entries, equations))


# --- Texts ------------------------------------------------------------------------------


def _title(stats: Statistics, t: Texts) -> str:
    title = t.gettext("Statistics {year}").format(year=stats.year)
    return f"{title} · {stats.department.name}" if stats.department else title


def _subtitle(stats: Statistics, t: Texts) -> str:
    names = ", ".join(d.name for d in stats.departments)
    return t.gettext(
        "{organisation}: {departments} · {year} beside {previous} · made {made}"
    ).format(
        organisation=stats.organisation,
        departments=names,
        year=stats.year,
        previous=stats.previous_year,
        made=t.date(stats.made_on, "short"),
    )


def _header(t: Texts) -> list[str]:
    return [
        t.gettext("Activity"),
        t.gettext("Women"),
        t.gettext("Men"),
        # Translators: a column of the statistics: public agencies (nb "Offentlig instans").
        t.gettext("Public agency"),
        # Translators: a column of the statistics (nb "Barn og unge").
        t.gettext("Children and youth"),
        # Translators: a column of the statistics: other gender or not stated (nb "Annet").
        t.gettext("Other"),
        # Translators: a column of the statistics: the year's total (nb "Totalt i år").
        t.gettext("Total this year"),
        # Translators: a column of the statistics: the year before's (nb "Totalt i fjor").
        t.gettext("Total last year"),
    ]


def _activity_name(activity: ActivityRow, t: Texts) -> str:
    if activity.kind == MEETING:
        return t.gettext("Responsibility-group meetings held")
    if activity.kind == ATTENDANCE_DAY:
        return t.gettext("Days present")
    if activity.is_tally:
        return activity.name or ""
    return label(t, activity.kind, FollowUpKind)


def _sections(stats: Statistics, t: Texts) -> list[tuple[str, list[ActivityRow]]]:
    return [
        (
            t.gettext("Participants: follow-up, meetings and attendance (by gender)"),
            [a for a in stats.activities if not a.is_tally],
        ),
        (
            t.gettext("Anonymous tally (people not enrolled)"),
            [a for a in stats.activities if a.is_tally],
        ),
    ]


def _activity_cells(activity: ActivityRow, shown_: Published) -> list:
    kind = activity.kind
    return [
        *(shown_.get((kind, who)) for who in WHO),
        shown_.get((kind, "total")),
        shown_.get((kind, "previous")),
    ]


def _contacts(shown_: Published, t: Texts) -> list[tuple[str, int | str]]:
    return [
        (t.gettext("First contacts"), shown_.get("first")),
        (t.gettext("Repeat contacts"), shown_.get("repeat")),
    ]


def _participants(stats: Statistics, shown_: Published, t: Texts) -> list[tuple]:
    if stats.counted_to == date(stats.year, 12, 31):
        active = t.gettext("In the programme on 31 December")
    else:
        active = t.gettext("In the programme today ({date})").format(
            date=t.date(stats.counted_to, "short")
        )
    return [
        (t.gettext("Started in the year"), shown_.get("started")),
        (t.gettext("Ended in the year"), shown_.get("ended")),
        (active, shown_.get("active")),
    ]


def _outcomes(shown_: Published, t: Texts) -> list[tuple]:
    rows = [(label(t, key, Outcome), shown_.get(("outcome", key))) for key in OUTCOMES]
    if shown_.values[("outcome", NOT_STATED)]:
        rows.append((t.gettext("Not stated"), shown_.get(("outcome", NOT_STATED))))
    return rows


def _months(stats: Statistics, t: Texts) -> list[tuple[str, float | None]]:
    return [(t.month(m + 1), rate) for m, rate in enumerate(stats.attendance_rate_by_month)]


def _legend(t: Texts) -> list[str]:
    return [
        t.gettext(
            "{mark} = 1 or 2: counts under 3 are not shown, so that nobody is recognised."
        ).format(mark=SMALL_MARK),
        # Translators: explains the mark of a hidden total in the statistics (":").
        t.gettext(
            "{mark} = not shown: with the totals it would let a count under 3 be worked out."
        ).format(mark=HIDDEN_MARK),
    ]


# --- CSV --------------------------------------------------------------------------------


def _csv(stats: Statistics, t: Texts) -> bytes:
    shown_ = published(stats)

    def percent(rate):
        return None if rate is None else round(rate * 100, 1)

    def rows():
        yield [_title(stats, t)]
        yield [_subtitle(stats, t)]
        yield []
        yield _header(t)
        for heading, activities in _sections(stats, t):
            yield [heading]
            for activity in activities:
                yield [_activity_name(activity, t), *_activity_cells(activity, shown_)]
        yield []
        yield [t.gettext("Contacts (anonymous tally)"), t.gettext("Number")]
        yield from _contacts(shown_, t)
        yield []
        yield [t.gettext("Participants"), t.gettext("Number")]
        yield from _participants(stats, shown_, t)
        yield []
        yield [t.gettext("Ended in the year, by outcome"), t.gettext("Number")]
        yield from _outcomes(shown_, t)
        yield []
        yield [t.gettext("Attendance rate"), t.gettext("Attendance rate (%)")]
        yield [t.gettext("The whole year"), percent(stats.attendance_rate)]
        for month, rate in _months(stats, t):
            yield [month, percent(rate)]
        yield []
        for line in _legend(t):
            yield [line]

    return csvfile.write(rows())


# --- XLSX -------------------------------------------------------------------------------


def _xlsx(stats: Statistics, t: Texts) -> bytes:
    shown_ = published(stats)
    book = spreadsheet.workbook()
    header = _header(t)
    ws = spreadsheet.sheet(
        book, t.gettext("Statistics {year}").format(year=stats.year), [46] + [13] * 7, wide=False
    )
    spreadsheet.title(ws, _title(stats, t), _subtitle(stats, t))
    line = 3  # rows written so far

    def append(cells):
        nonlocal line
        ws.append(cells)
        line += 1

    def number(value, font=None):
        # A hidden count is text, right-aligned among the numbers.
        alignment = spreadsheet.RIGHT if isinstance(value, str) else None
        return spreadsheet.cell(ws, value, font=font, alignment=alignment)

    def block(heading: str, rows):
        append(
            [
                spreadsheet.cell(ws, heading, font=spreadsheet.BOLD, fill=spreadsheet.HEADER_FILL),
                spreadsheet.cell(
                    ws, t.gettext("Number"), font=spreadsheet.BOLD, fill=spreadsheet.HEADER_FILL
                ),
            ]
        )
        for name, value in rows:
            append([spreadsheet.cell(ws, name), number(value)])
        append([])

    spreadsheet.header(ws, header)
    line += 1
    for heading, activities in _sections(stats, t):
        append([spreadsheet.cell(ws, heading, font=spreadsheet.BOLD, fill=spreadsheet.MUTED_FILL)])
        for activity in activities:
            append(
                [
                    spreadsheet.cell(ws, _activity_name(activity, t)),
                    *(number(v) for v in _activity_cells(activity, shown_)),
                ]
            )
    append([])
    block(t.gettext("Contacts (anonymous tally)"), _contacts(shown_, t))
    block(t.gettext("Participants"), _participants(stats, shown_, t))
    block(t.gettext("Ended in the year, by outcome"), _outcomes(shown_, t))
    append(
        [
            spreadsheet.cell(
                ws,
                t.gettext("Attendance rate"),
                font=spreadsheet.BOLD,
                fill=spreadsheet.HEADER_FILL,
            ),
            spreadsheet.cell(
                ws,
                t.gettext("Attendance rate"),
                font=spreadsheet.BOLD,
                fill=spreadsheet.HEADER_FILL,
            ),
        ]
    )
    append(
        [
            spreadsheet.cell(ws, t.gettext("The whole year"), font=spreadsheet.BOLD),
            spreadsheet.cell(
                ws,
                stats.attendance_rate,
                font=spreadsheet.BOLD,
                number_format=spreadsheet.PERCENT_FORMAT,
            ),
        ]
    )
    first_month = line + 1
    for month, rate in _months(stats, t):
        append(
            [
                spreadsheet.cell(ws, month),
                spreadsheet.cell(ws, rate, number_format=spreadsheet.PERCENT_FORMAT),
            ]
        )
    last_month = line
    chart = BarChart()
    chart.type = "col"
    chart.title = t.gettext("Attendance rate by month")
    chart.y_axis.title = t.gettext("Attendance rate")
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.legend = None
    chart.height, chart.width = 8, 16
    chart.add_data(Reference(ws, min_col=2, min_row=first_month, max_row=last_month))
    chart.set_categories(Reference(ws, min_col=1, min_row=first_month, max_row=last_month))
    ws.add_chart(chart, f"C{first_month - 1}")
    append([])
    for text in _legend(t):
        append([spreadsheet.cell(ws, text)])
    return spreadsheet.save(book)


# --- PDF --------------------------------------------------------------------------------


def _pdf(stats: Statistics, t: Texts) -> bytes:
    shown_ = published(stats)
    header = _header(t)
    name_width = 50
    rest = (pdf.width() - name_width) / (len(header) - 1)
    cells, section_rows = [], []
    for heading, activities in _sections(stats, t):
        section_rows.append(len(cells) + 1)  # after the header row
        cells.append([heading] + [""] * (len(header) - 1))
        for activity in activities:
            cells.append(
                [
                    _activity_name(activity, t),
                    *(str(v) for v in _activity_cells(activity, shown_)),
                ]
            )
    table = pdf.table(header, cells, [name_width] + [rest] * (len(header) - 1), numeric=range(1, 8))
    table.setStyle(COMPACT)
    for index in section_rows:
        table.setStyle(
            TableStyle(
                [
                    ("SPAN", (0, index), (-1, index)),
                    ("BACKGROUND", (0, index), (-1, index), colors.HexColor("#f1f1f1")),
                ]
            )
        )
    story = [
        pdf.text(_title(stats, t), "title"),
        pdf.text(_subtitle(stats, t), "subtitle"),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 2 * mm),
        *(pdf.text(line, "small") for line in _legend(t)),
        Spacer(1, 3 * mm),
        _figures_side_by_side(stats, shown_, t),
        KeepTogether(
            [
                pdf.text(
                    t.gettext("Attendance rate by month ({rate} over the year)").format(
                        rate=pdf.rate(stats.attendance_rate, t) or "–"
                    ),
                    "heading",
                ),
                _month_chart(stats, t),
            ]
        ),
    ]
    return pdf.build(
        story,
        title=_title(stats, t),
        notice=t.gettext("Anonymous figures: counts under 3 are not shown."),
        made_on=stats.made_on,
        t=t,
    )


# Rows a little tighter than the house grid's: the year fits on one page with its chart.
COMPACT = TableStyle([("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])


def _figures_side_by_side(stats: Statistics, shown_: Published, t: Texts):
    """Contacts and participants on the left, outcomes on the right."""
    width = (pdf.width() - 6) / 2
    left = pdf.table(
        [t.gettext("Contacts and participants"), t.gettext("Number")],
        [
            [name, str(value)]
            for name, value in (*_contacts(shown_, t), *_participants(stats, shown_, t))
        ],
        [width - 22, 22],
        numeric=[1],
    )
    left.setStyle(COMPACT)
    right = pdf.table(
        [t.gettext("Ended in the year, by outcome"), t.gettext("Number")],
        [[name, str(value)] for name, value in _outcomes(shown_, t)],
        [width - 22, 22],
        numeric=[1],
    )
    right.setStyle(COMPACT)
    layout = Table([[left, right]], colWidths=[(width + 3) * mm, (width + 3) * mm])
    layout.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return layout


def _month_chart(stats: Statistics, t: Texts) -> Drawing:
    width, height = pdf.width() * mm, 46 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 10 * mm
    chart.width, chart.height = width - 16 * mm, height - 16 * mm
    rates = [None if r is None else round(r * 100, 1) for r in stats.attendance_rate_by_month]
    chart.data = [[0 if r is None else r for r in rates]]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labelTextFormat = "%d %%"
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.categoryNames = [t.month(m, "abbreviated") for m in range(1, 13)]
    chart.categoryAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#4a7a96")
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    # Each month's rate above its bar; no bar and a dash for a month with no expected day.
    step = chart.width / 12
    for month, rate in enumerate(rates):
        text = "–" if rate is None else t.number(rate, 0)
        top = chart.y + chart.height * ((rate or 0) / 100) + 2
        drawing.add(
            String(
                chart.x + step * (month + 0.5),
                top,
                text,
                fontSize=7,
                textAnchor="middle",
                fillColor=colors.HexColor("#333333"),
            )
        )
    return drawing
