"""The attendance report as files: CSV (one row per participant), XLSX (a summary sheet,
one sheet per month with the day grid, and the weekly attendance rate with a chart) and
PDF (the summary and each month's grid, on A4 landscape)."""

from datetime import date

from openpyxl.chart import LineChart, Reference
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from server.reports import csvfile, pdf, spreadsheet
from server.reports.files import File, file_name
from server.services.reports.attendance import AttendanceReport, Month, Sums, Week
from shared.i18n import Texts
from shared.labels import DAY_CODE_LEGEND, DAY_CODES, day_code, label
from shared.vocab import AbsenceReason, ReportFormat, values

REASONS = values(AbsenceReason)


def render(report: AttendanceReport, format: ReportFormat, t: Texts) -> File:
    content = {ReportFormat.CSV: _csv, ReportFormat.XLSX: _xlsx, ReportFormat.PDF: _pdf}[format](
        report, t
    )
    # Translators: the start of a file name: lower-case ASCII letters and hyphens only.
    stem = t.gettext("attendance")
    name = file_name(stem, report.department.name, report.first_day, report.last_day, format=format)
    return File(content, format, name)


def _title(report: AttendanceReport, t: Texts) -> str:
    return t.gettext("Attendance {department}").format(department=report.department.name)


def _subtitle(report: AttendanceReport, t: Texts) -> str:
    return t.gettext("{organisation} · {first} to {last} · made {made}").format(
        organisation=report.organisation,
        first=t.date(report.first_day, "short"),
        last=t.date(report.last_day, "short"),
        made=t.date(report.made_on, "short"),
    )


def _summary_header(t: Texts) -> list[str]:
    return [
        t.gettext("Expected days"),
        t.gettext("Days present"),
        *(_reason_header(reason, t) for reason in REASONS),
        t.gettext("Not registered"),
        t.gettext("Attendance %"),
    ]


def _reason_header(reason: str, t: Texts) -> str:
    """The reason's label, short enough for a column (the codes' legend has it whole)."""
    if reason == AbsenceReason.APPOINTMENT:
        # Translators: a column heading: absence for an appointment (NAV, doctor, treatment).
        return t.gettext("Appointment")
    return label(t, reason, AbsenceReason)


def _summary_values(summary: dict) -> list:
    return [
        summary["expected_days"],
        summary["present_days"],
        *(summary["absent"].get(reason, 0) for reason in REASONS),
        summary["unregistered_expected_days"],
        summary["attendance_rate"],
    ]


# --- CSV --------------------------------------------------------------------------------


def _csv(report: AttendanceReport, t: Texts) -> bytes:
    def percent(rate):
        return None if rate is None else round(rate * 100, 1)

    header = [
        t.gettext("Last name"),
        t.gettext("First name"),
        *report.days,
        *_summary_header(t)[:-1],
        t.gettext("Attendance rate (%)"),
    ]

    def rows():
        yield header
        sums = Sums()
        for row in map(sums.add, report.rows()):
            *counts, rate = _summary_values(row.summary)
            yield [
                row.participant.last_name,
                row.participant.first_name,
                *(day_code(t, day.key) for day in row.days),
                *counts,
                percent(rate),
            ]
        *counts, rate = _summary_values(sums.totals)
        yield [t.gettext("Total"), "", *([""] * len(report.days)), *counts, percent(rate)]

    return csvfile.write(rows())


# --- XLSX -------------------------------------------------------------------------------


def _xlsx(report: AttendanceReport, t: Texts) -> bytes:
    book = spreadsheet.workbook()
    sums = _summary_sheet(book, report, t)
    for month in report.months:
        _month_sheet(book, report, month, t)
    _weeks_sheet(book, report, sums.weeks, t)
    return spreadsheet.save(book)


def _summary_sheet(book, report: AttendanceReport, t: Texts) -> Sums:
    header = [t.gettext("Participant"), *_summary_header(t)]
    ws = spreadsheet.sheet(
        book, t.gettext("Summary"), [28] + [12] * (len(header) - 1), freeze="B5", header_rows="4:4"
    )
    spreadsheet.title(ws, _title(report, t), _subtitle(report, t))
    spreadsheet.header(ws, header)
    sums = Sums()
    for row in map(sums.add, report.rows()):
        ws.append(_summary_cells(ws, row.participant.full_name, row.summary))
    ws.append(_summary_cells(ws, t.gettext("Total"), sums.totals, font=spreadsheet.BOLD))
    ws.append([])
    ws.append([spreadsheet.cell(ws, t.gettext("Codes"), font=spreadsheet.BOLD)])
    for key in DAY_CODES:
        ws.append([spreadsheet.cell(ws, day_code(t, key)), t.gettext(DAY_CODE_LEGEND[key])])
    return sums


def _summary_cells(ws, name: str, summary: dict, font=None) -> list:
    *counts, rate = _summary_values(summary)
    return [
        spreadsheet.cell(ws, name, font=font),
        *(spreadsheet.cell(ws, n, font=font) for n in counts),
        spreadsheet.cell(ws, rate, font=font, number_format=spreadsheet.PERCENT_FORMAT),
    ]


def _month_sheet(book, report: AttendanceReport, month: Month, t: Texts) -> None:
    days = [d for d in report.days if month.first_day <= d <= month.last_day]
    header = [
        t.gettext("Participant"),
        *(f"{t.weekday(d.isoweekday())[:2]} {d.day}" for d in days),
        t.gettext("Expected days"),
        t.gettext("Days present"),
        t.gettext("Attendance rate"),
    ]
    ws = spreadsheet.sheet(
        book,
        _month_name(month.first_day, t),
        [28] + [5.5] * len(days) + [11, 11, 11],
        freeze="B5",
        header_rows="4:4",
    )
    spreadsheet.title(
        ws,
        f"{_title(report, t)} · {_month_name(month.first_day, t)}",
        _subtitle(report, t),
    )
    spreadsheet.header(ws, header)
    closed = {d for d in days if d in report.holidays or d.isoweekday() > 5}
    for row in report.rows(month.first_day, month.last_day):
        summary = row.summary
        ws.append(
            [
                spreadsheet.cell(ws, row.participant.full_name),
                # Plain values where no style is needed: a year of a large department
                # is hundreds of thousands of cells. Codes are never formulas.
                *(
                    spreadsheet.cell(ws, day_code(t, day.key), fill=spreadsheet.MUTED_FILL)
                    if day.day in closed
                    else day_code(t, day.key)
                    for day in row.days
                ),
                spreadsheet.cell(ws, summary["expected_days"]),
                spreadsheet.cell(ws, summary["present_days"]),
                spreadsheet.cell(
                    ws, summary["attendance_rate"], number_format=spreadsheet.PERCENT_FORMAT
                ),
            ]
        )


def _month_name(day: date, t: Texts) -> str:
    """``november 2026``."""
    return f"{t.month(day.month)} {day.year}"


def _weeks_sheet(book, report: AttendanceReport, weeks: list[Week], t: Texts) -> None:
    ws = spreadsheet.sheet(
        book, t.gettext("Weekly attendance"), [10, 14, 14, 14, 14], freeze="A5", wide=False
    )
    spreadsheet.title(ws, t.gettext("Attendance rate by week"), _subtitle(report, t))
    spreadsheet.header(
        ws,
        [
            t.gettext("Week"),
            t.gettext("From"),
            t.gettext("Expected days"),
            t.gettext("Present on expected days"),
            t.gettext("Attendance rate"),
        ],
    )
    for week in weeks:
        ws.append(
            [
                spreadsheet.cell(ws, week.monday.isocalendar().week),
                spreadsheet.cell(ws, week.monday),
                spreadsheet.cell(ws, week.expected_days),
                spreadsheet.cell(ws, week.present_on_expected_days),
                spreadsheet.cell(
                    ws, week.attendance_rate, number_format=spreadsheet.PERCENT_FORMAT
                ),
            ]
        )
    if weeks:
        chart = LineChart()
        chart.title = t.gettext("Attendance rate by week")
        chart.y_axis.title = t.gettext("Attendance rate")
        chart.x_axis.title = t.gettext("Week")
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.legend = None
        chart.height, chart.width = 9, 18
        last = 4 + len(weeks)
        chart.add_data(Reference(ws, min_col=5, min_row=4, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=5, max_row=last))
        ws.add_chart(chart, "G4")


# --- PDF --------------------------------------------------------------------------------

GRID_FONT = 7


def _pdf(report: AttendanceReport, t: Texts) -> bytes:
    header = [t.gettext("Participant"), *_summary_header(t)]
    name_width, expected_width, rate_width = 46, 24, 28
    rest = (pdf.width(wide=True) - name_width - expected_width - rate_width) / (len(header) - 3)
    sums = Sums()
    rows = [
        _summary_texts(row.participant.full_name, row.summary, t)
        for row in map(sums.add, report.rows())
    ]
    story = [
        pdf.text(_title(report, t), "title"),
        pdf.text(_subtitle(report, t), "subtitle"),
        Spacer(1, 5 * mm),
        *pdf.tables(
            header,
            rows + [_summary_texts(t.gettext("Total"), sums.totals, t)],
            [name_width, expected_width] + [rest] * (len(header) - 3) + [rate_width],
            numeric=range(1, len(header)),
            total=True,
        ),
        Spacer(1, 4 * mm),
        pdf.text(
            "   ·   ".join(
                f"{day_code(t, key)}: {t.gettext(DAY_CODE_LEGEND[key])}" for key in DAY_CODES
            ),
            "cell",
        ),
    ]
    for month in report.months:
        story += [PageBreak(), *_month_grid(report, month, t)]
    return pdf.build(
        story,
        title=_title(report, t),
        notice=t.gettext("Confidential: holds personal data."),
        made_on=report.made_on,
        t=t,
        wide=True,
    )


def _summary_texts(name: str, summary: dict, t: Texts) -> list[str]:
    *counts, rate = _summary_values(summary)
    return [name, *(str(n) for n in counts), pdf.rate(rate, t)]


def _month_grid(report: AttendanceReport, month: Month, t: Texts) -> list:
    """One month's grid as a compact table: a narrow column per day, weekends and public
    holidays shaded."""
    days = [d for d in report.days if month.first_day <= d <= month.last_day]
    header = [t.gettext("Participant"), *(str(d.day) for d in days), day_code(t, "present"), "%"]
    cells = [header]
    for row in report.rows(month.first_day, month.last_day):
        summary = row.summary
        cells.append(
            [
                row.participant.full_name,
                *(day_code(t, day.key) for day in row.days),
                str(summary["present_days"]),
                pdf.rate(summary["attendance_rate"], t),
            ]
        )
    name_width = 44
    day_width = min(6.5, (pdf.width(wide=True) - name_width - 22) / len(days))
    style = [
        ("FONTSIZE", (0, 0), (-1, -1), GRID_FONT),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("BACKGROUND", (0, 0), (-1, 0), pdf.HEADER_BACKGROUND),
        ("GRID", (0, 0), (-1, -1), 0.4, pdf.RULE),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for column, day in enumerate(days, start=1):
        if day in report.holidays or day.isoweekday() > 5:
            style.append(("BACKGROUND", (column, 1), (column, -1), colors.HexColor("#f1f1f1")))
    # A page's worth of rows a table (see pdf.ROWS_PER_TABLE), each with the header.
    grids = []
    for n in range(1, max(len(cells), 2), pdf.ROWS_PER_TABLE):
        grid = Table(
            [header, *cells[n : n + pdf.ROWS_PER_TABLE]],
            colWidths=[name_width * mm] + [day_width * mm] * len(days) + [9 * mm, 13 * mm],
            repeatRows=1,
        )
        grid.setStyle(TableStyle(style))
        grids.append(grid)
    return [
        pdf.text(f"{_title(report, t)} · {_month_name(month.first_day, t)}", "heading"),
        Spacer(1, 2 * mm),
        *grids,
    ]
