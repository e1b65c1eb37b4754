"""A participant's NAV reporting period as files: a one-page A4 PDF laid out like the
meldekort (each week a row of seven days: the category and the hours), with the totals
and lines to sign; a one-sheet XLSX; a CSV with one row per day."""

from xml.sax.saxutils import escape

from openpyxl.styles import PatternFill
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from server.reports import csvfile, pdf, spreadsheet
from server.reports.files import File, file_name
from server.services.reports.meldeperiode import Meldeperiode, NavDay
from shared.calendar import holiday_name
from shared.i18n import Texts
from shared.labels import label
from shared.meldeperiode import FULL_TIME_HOURS
from shared.vocab import HoursSource, NavDayCategory, ReportFormat

CATEGORIES = list(NavDayCategory)
# The days' backgrounds: to put right, not a programme day, attended.
UNREGISTERED_FILL = colors.HexColor("#fbe3b5")
NOT_PROGRAMME_FILL = colors.HexColor("#f1f1f1")
ATTENDED_FILL = colors.HexColor("#e3f1e3")
UNREGISTERED_XLSX_FILL = PatternFill("solid", fgColor="FBE3B5")


def render(report: Meldeperiode, format: ReportFormat, t: Texts) -> File:
    content = {ReportFormat.CSV: _csv, ReportFormat.XLSX: _xlsx, ReportFormat.PDF: _pdf}[format](
        report, t
    )
    # Translators: the start of a file name: lower-case ASCII letters and hyphens only.
    stem = t.gettext("reporting-period")
    # Never the participant's name: file names end up in mail subjects, download folders
    # and logs. The start of their id tells two files of one period apart.
    name = file_name(
        stem, str(report.participant.id)[:8], report.first_day, report.last_day, format=format
    )
    return File(content, format, name)


def title(report: Meldeperiode, t: Texts) -> str:
    """``Meldeperiode uke 47–48``: NAV names a period by its weeks."""
    first, second = report.weeks
    return t.gettext("Reporting period, weeks {first}–{second}").format(first=first, second=second)


def _period(report: Meldeperiode, t: Texts) -> str:
    return t.gettext("{first} to {last}").format(
        first=t.date(report.first_day), last=t.date(report.last_day)
    )


def _category(day: NavDay, t: Texts) -> str:
    return label(t, day.category, NavDayCategory) if day.category else ""


def _hours(day: NavDay, t: Texts) -> str:
    if day.hours is None:
        return ""
    mark = "*" if day.hours_source == HoursSource.SCHEDULED else ""
    return t.number(day.hours, 1) + mark


def _plan_text(report: Meldeperiode, t: Texts) -> str:
    plan = report.plan
    if plan is None:
        return t.gettext("No plan")
    return t.ngettext(
        "{days} day a week, {hours} hours ({share} of a full-time week of {full} hours)",
        "{days} days a week, {hours} hours ({share} of a full-time week of {full} hours)",
        plan.days_per_week,
    ).format(
        days=plan.days_per_week,
        hours=t.number(plan.weekly_hours, 1),
        share=t.percent(plan.share_of_full_time, 1),
        full=t.number(FULL_TIME_HOURS, 1),
    )


def _participation_text(report: Meldeperiode, t: Texts) -> str:
    plan = report.plan
    if plan is None:
        return ""
    parts = []
    if plan.participation:
        parts.append(label(t, plan.participation))
    if plan.agreed_days_per_week:
        parts.append(
            t.ngettext(
                "{n} day a week agreed", "{n} days a week agreed", plan.agreed_days_per_week
            ).format(n=plan.agreed_days_per_week)
        )
    return ", ".join(parts)


def _facts(report: Meldeperiode, t: Texts) -> list[tuple[str, str]]:
    about = report.subject
    facts = [
        (t.gettext("Participant"), about.participant.full_name),
        (t.gettext("Period"), _period(report, t)),
        (t.gettext("Department"), f"{about.department.name}, {about.organisation}"),
        (t.gettext("Facilitator"), about.facilitator),
        (t.gettext("Schedule"), _plan_text(report, t)),
    ]
    if participation := _participation_text(report, t):
        facts.append((t.gettext("Participation"), participation))
    if about.nav_office:
        facts.append((t.gettext("NAV office"), about.nav_office))
    return facts


def _unregistered_warning(report: Meldeperiode, t: Texts) -> str | None:
    n = report.totals["unregistered_days"]
    if not n:
        return None
    return t.ngettext(
        "{n} programme day has nothing registered: put it right in Spire before the "
        "meldekort is sent.",
        "{n} programme days have nothing registered: put them right in Spire before the "
        "meldekort is sent.",
        n,
    ).format(n=n)


def _hours_note(t: Texts) -> str:
    return t.gettext(
        "Hours: from check-in to check-out, to the nearest half hour; * the plan's hours "
        "that day, where the times were not both registered."
    )


# --- CSV --------------------------------------------------------------------------------


def _csv_header(t: Texts) -> list[str]:
    return [
        t.gettext("Date"),
        t.gettext("Weekday"),
        t.gettext("Week"),
        t.gettext("Programme day"),
        t.gettext("NAV category"),
        t.gettext("Hours"),
        t.gettext("Hours from"),
    ]


def _day_values(day: NavDay, t: Texts) -> list:
    return [
        day.day,
        t.weekday(day.day.isoweekday()),
        day.week,
        t.gettext("Yes") if day.programme_day else t.gettext("No"),
        _category(day, t),
        day.hours,
        label(t, day.hours_source, HoursSource) if day.hours_source else "",
    ]


def _csv(report: Meldeperiode, t: Texts) -> bytes:
    """Who and what first (as in the PDF's head), a blank line, a row per day, a blank
    line, and the totals."""
    totals = [
        [label(t, category, NavDayCategory), report.totals["days"][category]]
        for category in CATEGORIES
    ]
    return csvfile.write(
        [
            [title(report, t)],
            *([name, value] for name, value in _facts(report, t)),
            [],
            _csv_header(t),
            *(_day_values(day, t) for day in report.days),
            [],
            [t.gettext("Totals")],
            *totals,
            [t.gettext("Hours"), float(report.totals["hours"])],
        ]
    )


# --- XLSX -------------------------------------------------------------------------------


def _xlsx(report: Meldeperiode, t: Texts) -> bytes:
    book = spreadsheet.workbook()
    facts = _facts(report, t)
    header_row = 3 + len(facts) + 1 + 1
    ws = spreadsheet.sheet(
        book,
        title(report, t),
        [12, 12, 7, 12, 34, 8, 20],
        freeze=f"A{header_row + 1}",
        header_rows=f"{header_row}:{header_row}",
        wide=False,
    )
    spreadsheet.title(
        ws, f"{title(report, t)} · {report.participant.full_name}", _period(report, t)
    )
    for name, value in facts:
        ws.append(
            [spreadsheet.cell(ws, name, font=spreadsheet.BOLD), None, spreadsheet.cell(ws, value)]
        )
    ws.append([])
    spreadsheet.header(ws, _csv_header(t))
    for day in report.days:
        values = _day_values(day, t)
        fill = _xlsx_fill(day)
        ws.append(
            [
                spreadsheet.cell(ws, value, fill=fill, number_format="0.0" if n == 5 else None)
                for n, value in enumerate(values)
            ]
        )
    ws.append([])
    ws.append([spreadsheet.cell(ws, t.gettext("Totals"), font=spreadsheet.BOLD)])
    for category in CATEGORIES:
        ws.append(
            [
                spreadsheet.cell(ws, label(t, category, NavDayCategory)),
                None,
                None,
                None,
                None,
                spreadsheet.cell(ws, report.totals["days"][category]),
            ]
        )
    ws.append(
        [
            spreadsheet.cell(ws, t.gettext("Hours"), font=spreadsheet.BOLD),
            None,
            None,
            None,
            None,
            spreadsheet.cell(
                ws, report.totals["hours"], font=spreadsheet.BOLD, number_format="0.0"
            ),
        ]
    )
    ws.append([])
    if warning := _unregistered_warning(report, t):
        ws.append([spreadsheet.cell(ws, warning, font=spreadsheet.BOLD)])
    ws.append(
        [
            spreadsheet.cell(
                ws,
                t.gettext(
                    "Hours: from check-in to check-out, to the nearest half hour; else the "
                    "plan's hours that day."
                ),
            )
        ]
    )
    # Room to sign a printout, as on the PDF: a line to write on, and who signs there.
    ws.append([])
    ws.append([])
    for who in (
        t.gettext("Date and signature, participant"),
        t.gettext("Date and signature, facilitator"),
    ):
        ws.append([spreadsheet.cell(ws, "_" * 40)])
        ws.append([spreadsheet.cell(ws, who)])
        ws.append([])
    return spreadsheet.save(book)


def _xlsx_fill(day: NavDay):
    if day.category == NavDayCategory.UNREGISTERED:
        return UNREGISTERED_XLSX_FILL
    if day.category == NavDayCategory.NOT_PROGRAMME_DAY:
        return spreadsheet.MUTED_FILL
    return None


# --- PDF --------------------------------------------------------------------------------

_CELL = ParagraphStyle(
    "nav-cell", parent=pdf.STYLES["cell"], fontSize=8.5, leading=10.5, alignment=TA_CENTER
)
_DAY = ParagraphStyle("nav-day", parent=_CELL, fontName="Helvetica-Bold")
_HOURS = ParagraphStyle("nav-hours", parent=_CELL, fontSize=10, leading=12)


def _pdf(report: Meldeperiode, t: Texts) -> bytes:
    story = [
        pdf.text(title(report, t), "title"),
        pdf.text(
            t.gettext("Attendance for NAV's meldekort · {name}").format(
                name=report.participant.full_name
            ),
            "subtitle",
        ),
        Spacer(1, 4 * mm),
        pdf.facts(_facts(report, t), 38),
        Spacer(1, 5 * mm),
    ]
    for week_days in (report.days[:7], report.days[7:]):
        story += [_week_grid(week_days, report.subject.country, t), Spacer(1, 3 * mm)]
    story.append(pdf.text(_hours_note(t), "small"))
    if warning := _unregistered_warning(report, t):
        story += [Spacer(1, 2 * mm), _warning(warning)]
    story += [
        Spacer(1, 4 * mm),
        KeepTogether([pdf.text(t.gettext("Totals"), "heading"), _totals_table(report, t)]),
        Spacer(1, 12 * mm),
        _signatures(t),
    ]
    return pdf.build(
        story,
        title=f"{title(report, t)} · {report.participant.full_name}",
        notice=t.gettext("Confidential: holds personal data."),
        made_on=report.made_on,
        t=t,
    )


def _week_grid(days: list[NavDay], country: str, t: Texts) -> Table:
    """One week as the meldekort shows it: seven columns, Monday to Sunday; a public
    holiday says which under its category."""
    label_width = 20
    day_width = (pdf.width() - label_width) / 7
    week = t.gettext("Week {n}").format(n=days[0].week)
    cells = [
        [
            Paragraph(f"<b>{week}</b>", _CELL),
            *(
                Paragraph(
                    f"{t.weekday(day.day.isoweekday())[:3]}<br/>{t.date(day.day, 'd.M.')}",
                    _DAY,
                )
                for day in days
            ),
        ],
        [
            Paragraph(t.gettext("Category"), _CELL),
            *(Paragraph(_category_cell(d, country, t), _CELL) for d in days),
        ],
        [Paragraph(t.gettext("Hours"), _CELL), *(Paragraph(_hours(d, t), _HOURS) for d in days)],
    ]
    grid = Table(
        cells,
        colWidths=[label_width * mm] + [day_width * mm] * 7,
        rowHeights=[None, 15 * mm, None],
    )
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), pdf.HEADER_BACKGROUND),
        ("BACKGROUND", (0, 0), (0, -1), pdf.HEADER_BACKGROUND),
        ("GRID", (0, 0), (-1, -1), 0.5, pdf.RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for column, day in enumerate(days, start=1):
        fill = {
            NavDayCategory.UNREGISTERED: UNREGISTERED_FILL,
            NavDayCategory.NOT_PROGRAMME_DAY: NOT_PROGRAMME_FILL,
            NavDayCategory.ATTENDED: ATTENDED_FILL,
        }.get(day.category)
        if fill is not None:
            style.append(("BACKGROUND", (column, 1), (column, -1), fill))
    grid.setStyle(TableStyle(style))
    return grid


def _category_cell(day: NavDay, country: str, t: Texts) -> str:
    """The category as paragraph markup, with the holiday's name in small grey type."""
    text = escape(_category(day, t))
    holiday = holiday_name(day.day, country, t.language)
    if holiday:
        text += f'<br/><font size="7" color="#666666">{escape(holiday)}</font>'
    return text


def _warning(message: str) -> Table:
    box = Table([[pdf.text(message, "cell")]], colWidths=[pdf.width() * mm])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), UNREGISTERED_FILL),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#c98a00")),
            ]
        )
    )
    return box


def _totals_table(report: Meldeperiode, t: Texts):
    """The days of each category and the hours, in two pairs of columns."""
    pairs = [
        (label(t, category, NavDayCategory), str(report.totals["days"][category]))
        for category in CATEGORIES
    ]
    pairs.append((t.gettext("Hours"), t.number(report.totals["hours"], 1)))
    return pdf.figures(pairs, columns=2, total=True)


def _signatures(t: Texts) -> KeepTogether:
    """Date and signature of the participant and of the facilitator."""
    gap = 10
    column = (pdf.width() - gap) / 2
    table = Table(
        [
            ["", "", ""],
            [
                pdf.text(t.gettext("Date and signature, participant"), "small"),
                "",
                pdf.text(t.gettext("Date and signature, facilitator"), "small"),
            ],
        ],
        colWidths=[column * mm, gap * mm, column * mm],
        rowHeights=[14 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (0, 0), 0.7, colors.black),
                ("LINEBELOW", (2, 0), (2, 0), 0.7, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([table])
