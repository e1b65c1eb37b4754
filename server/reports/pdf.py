"""The house style of Spire's PDFs: A4, the same paragraph styles and grid, and a footer
on every page saying what the document holds, when Spire made it and the page number."""

from collections.abc import Sequence
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from shared.i18n import Texts

_BASE = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("title", parent=_BASE["Title"], alignment=TA_LEFT, fontSize=18),
    "subtitle": ParagraphStyle("subtitle", parent=_BASE["Normal"], textColor=colors.grey),
    "heading": ParagraphStyle("heading", parent=_BASE["Heading2"], spaceBefore=10),
    "body": ParagraphStyle("body", parent=_BASE["BodyText"], fontSize=11, leading=15),
    "cell": ParagraphStyle("cell", parent=_BASE["BodyText"], fontSize=10, leading=13),
    "number": ParagraphStyle(
        "number", parent=_BASE["BodyText"], fontSize=10, leading=13, alignment=TA_RIGHT
    ),
    "head": ParagraphStyle(
        "head", parent=_BASE["BodyText"], fontName="Helvetica-Bold", fontSize=9, leading=11
    ),
    "small": ParagraphStyle("small", parent=_BASE["Normal"], fontSize=8, textColor=colors.grey),
}
HEADER_BACKGROUND = colors.HexColor("#e8eef2")
RULE = colors.HexColor("#9aa7b0")
GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
)
MARGIN = 18 * mm


def text(value: str | None, style: str = "body") -> Paragraph:
    """Typed text as a paragraph: markup characters escaped, line breaks kept."""
    return Paragraph(escape(value or "").replace("\n", "<br/>"), STYLES[style])


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    numeric: Sequence[int] = (),
    total: bool = False,
) -> Table:
    """A table with a repeated header row; columns whose index is in ``numeric`` are set
    right-aligned; with ``total``, the last row is a total, in bold. Widths in millimetres."""

    def cell(column: int, value: str, bold: bool = False) -> Paragraph:
        paragraph = text(value, "number" if column in numeric else "cell")
        if bold:
            paragraph = Paragraph(f"<b>{paragraph.text}</b>", paragraph.style)
        return paragraph

    # A narrow header may break after a slash ("NAV/lege/behandling"), not inside a word.
    cells = [[text(h.replace("/", "/ "), "head") for h in header]]
    last = len(rows) - 1
    cells += [
        [cell(i, c, total and n == last) for i, c in enumerate(row)] for n, row in enumerate(rows)
    ]
    # A row taller than a page (a long description) is split across pages, not refused.
    result = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1, splitInRow=1)
    result.setStyle(GRID)
    return result


# Rows per table in a long list: reportlab measures every row left each time it splits a
# table across pages, so one table of thousands of rows costs time that grows with the
# square of its length; tables of a page's length each cost the same.
ROWS_PER_TABLE = 30


def rate(fraction: float | None, t: Texts) -> str:
    """A rate as a report prints it (``87,5 %``); blank where there is none."""
    return "" if fraction is None else t.percent(fraction, 1)


def tables(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    numeric: Sequence[int] = (),
    total: bool = False,
) -> list[Table]:
    """``table`` for a list of any length: tables of at most ROWS_PER_TABLE rows, each
    with the header, one after the other."""
    chunks = [rows[n : n + ROWS_PER_TABLE] for n in range(0, len(rows), ROWS_PER_TABLE)]
    return [
        table(header, chunk, widths, numeric, total and n == len(chunks) - 1)
        for n, chunk in enumerate(chunks or [rows])
    ]


def build(
    story: list,
    *,
    title: str,
    notice: str,
    made_on: date,
    t: Texts,
    wide: bool = False,
) -> bytes:
    """The document as PDF bytes: A4 (landscape when ``wide``), with ``notice`` (what the
    document holds and who may read it) and "Made in Spire <date> · page N" on every page."""
    size = landscape(A4) if wide else A4

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 12 * mm, notice)
        canvas.drawRightString(
            size[0] - MARGIN,
            12 * mm,
            t.gettext("Made in Spire {date} · page {page}").format(
                date=t.date(made_on), page=document.page
            ),
        )
        canvas.restoreState()

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=22 * mm,
        title=title,
        author="Spire",
        lang=str(t.locale).replace("_", "-"),
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def width(wide: bool = False) -> float:
    """The width text may take on the page, in millimetres."""
    size = landscape(A4) if wide else A4
    return (size[0] - 2 * MARGIN) / mm


def facts(pairs: Sequence[tuple[str, str]], name_width: float = 40) -> Table:
    """What a document is about as name and value, a pair a line, without rules (a
    participant, their period, their department ...). Widths in millimetres."""
    rows = [
        [Paragraph(f"<b>{escape(name)}</b>", STYLES["cell"]), text(value, "cell")]
        for name, value in pairs
    ]
    result = Table(rows, colWidths=[name_width * mm, (width() - name_width) * mm])
    result.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return result


def figures(pairs: Sequence[tuple[str, str]], columns: int = 2, total: bool = False) -> Table:
    """Counts with their names, in ``columns`` pairs of columns side by side, read down
    each pair in turn; with ``total``, the last pair in bold."""
    per_column = -(-len(pairs) // columns)
    padded = list(pairs) + [("", "")] * (per_column * columns - len(pairs))
    last = len(pairs) - 1

    def cells(index: int) -> list:
        name, value = padded[index]
        bold = total and index == last
        wrap = (lambda p: Paragraph(f"<b>{p.text}</b>", p.style)) if bold else (lambda p: p)
        return [wrap(text(name, "cell")), wrap(text(value, "number"))]

    rows = [
        [c for column in range(columns) for c in cells(column * per_column + row)]
        for row in range(per_column)
    ]
    gap, number = 8, 16
    name = (width() - columns * number - (columns - 1) * gap) / columns
    widths = []
    for column in range(columns):
        widths += [name, number] + ([gap] if column < columns - 1 else [])
    if columns > 1:
        rows = [_with_gaps(row, columns) for row in rows]
    result = Table(rows, colWidths=[w * mm for w in widths])
    style = [
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for column in range(columns):
        first = column * 3
        filled = sum(1 for i in range(per_column) if column * per_column + i <= last)
        if filled:
            style.append(("LINEBELOW", (first, 0), (first + 1, filled - 1), 0.4, RULE))
    result.setStyle(TableStyle(style))
    return result


def _with_gaps(row: list, columns: int) -> list:
    """A row of pairs with an empty cell between pairs."""
    result = []
    for column in range(columns):
        result += row[column * 2 : column * 2 + 2] + ([""] if column < columns - 1 else [])
    return result
