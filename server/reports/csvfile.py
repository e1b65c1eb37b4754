"""CSV that opens right in Norwegian and Danish Excel: semicolons between fields, UTF-8
with a byte order mark (else Excel reads it as Windows-1252), a decimal comma, and dates
written ``31.12.2026``. Text that Excel would run as a formula is kept as text."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

# A cell starting with one of these is a formula to a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def value(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float):
        return f"{cell:.1f}".replace(".", ",")
    if isinstance(cell, date):
        return cell.strftime("%d.%m.%Y")
    text = str(cell)
    if text.startswith(FORMULA_STARTS) and not _a_number(text):
        return "'" + text
    return text


def _a_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def write(rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([value(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
