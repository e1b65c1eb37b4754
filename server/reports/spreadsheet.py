"""Spreadsheets (XLSX) in the house style, written row by row: openpyxl's write-only
workbooks keep no cell in memory once its row is written, so a year of a large
department costs no more memory than a month. Every sheet prints on A4 (landscape when
wide), fitted to the page's width, with its header rows repeated on every page."""

import re
from collections.abc import Sequence
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

HEADER_FILL = PatternFill("solid", fgColor="E8EEF2")
MUTED_FILL = PatternFill("solid", fgColor="F1F1F1")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
CENTRE = Alignment(horizontal="center")
RIGHT = Alignment(horizontal="right")
PAPER_A4 = "9"  # the code of A4 in the file format
DATE_FORMAT = "DD.MM.YYYY"
PERCENT_FORMAT = "0.0%"
# What a sheet's name may not hold, and its length, in Excel.
_NOT_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


def workbook() -> Workbook:
    return Workbook(write_only=True)


def sheet(
    book: Workbook,
    title: str,
    widths: Sequence[float],
    *,
    freeze: str | None = None,
    header_rows: str | None = None,
    wide: bool = True,
):
    """A new sheet: column widths (characters), panes frozen above and left of ``freeze``
    (``"B4"``), ``header_rows`` (``"3:3"``) printed on every page."""
    ws = book.create_sheet(_NOT_IN_TITLE.sub("-", title)[:31])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    if freeze:
        ws.freeze_panes = freeze
    if header_rows:
        ws.print_title_rows = header_rows
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    return ws


def cell(ws, value, *, font=None, fill=None, number_format=None, alignment=None):
    """One cell of a row. Text is always text: a name typed as ``=1+1`` is not a formula;
    control characters a workbook cannot hold (any but tab and line breaks) are left out."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    result = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        result.data_type = "s"
    elif isinstance(value, date) and number_format is None:
        number_format = DATE_FORMAT
    if font is not None:
        result.font = font
    if fill is not None:
        result.fill = fill
    if number_format is not None:
        result.number_format = number_format
    if alignment is not None:
        result.alignment = alignment
    return result


def header(ws, values: Sequence) -> None:
    ws.append([cell(ws, v, font=BOLD, fill=HEADER_FILL) for v in values])


def title(ws, text: str, subtitle: str | None = None) -> None:
    """The sheet's first rows: its title, what it covers, and an empty row."""
    ws.append([cell(ws, text, font=TITLE)])
    ws.append([cell(ws, subtitle or "")])
    ws.append([])


def save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
