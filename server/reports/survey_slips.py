"""Slips of survey codes to print on A4 and cut along the dashed lines, ten to a page.

Each slip holds the survey's title, one code in large letters and a QR code that opens
the survey page with the code in the address's fragment (``https://host/s/#ABCD-EFGH``),
which the browser keeps to itself: the server never sees a code in an address. The
slips come in a random order, whatever order the codes were made in, so that the order
they are handed out in ties no code to a person."""

import random
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from server.models import Survey
from server.reports.files import File, file_name
from shared.i18n import Texts
from shared.vocab import ReportFormat

COLUMNS, ROWS = 2, 5
# The slips' grid on the page: room at the edges for printers that cannot print there,
# and above it a line for whoever prints them.
LEFT, RIGHT, BOTTOM, TOP = 10 * mm, A4[0] - 10 * mm, 10 * mm, A4[1] - 14 * mm
SLIP_WIDTH = (RIGHT - LEFT) / COLUMNS
SLIP_HEIGHT = (TOP - BOTTOM) / ROWS
PADDING = 5 * mm
QR_SIZE = 30 * mm
CODE_FONT, CODE_SIZE = "Courier-Bold", 21
CUT_LINE = colors.HexColor("#9aa7b0")

_TITLE = ParagraphStyle("slip-title", fontName="Helvetica-Bold", fontSize=10, leading=12.5)
_SMALL = ParagraphStyle("slip-small", fontName="Helvetica", fontSize=8, leading=10)
_ANONYMOUS = ParagraphStyle("slip-anonymous", parent=_SMALL, fontName="Helvetica-Oblique")
_shuffle = random.SystemRandom().shuffle


def render(survey: Survey, codes: list[str], page_url: str, texts: Texts) -> File:
    """The slips of ``codes`` (``ABCD-EFGH``) as a PDF; ``page_url`` is the survey page's
    address (``https://host/s/``), each QR code that address with ``#CODE``."""
    shuffled = list(codes)
    _shuffle(shuffled)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, lang=str(texts.locale).replace("_", "-"))
    canvas.setTitle(survey.title)
    canvas.setAuthor("Spire")
    per_page = COLUMNS * ROWS
    for start in range(0, len(shuffled), per_page):
        page = shuffled[start : start + per_page]
        _page_heading(canvas, texts)
        _cut_lines(canvas, len(page))
        for index, code in enumerate(page):
            column, row = index % COLUMNS, index // COLUMNS
            x = LEFT + column * SLIP_WIDTH
            y = TOP - (row + 1) * SLIP_HEIGHT
            _slip(canvas, x, y, survey.title, code, page_url, texts)
        canvas.showPage()
    canvas.save()
    # Translators: the start of a file name: lower-case ASCII letters and hyphens only.
    stem = texts.gettext("survey-codes")
    name = file_name(stem, survey.title[:40], survey.opens_on, format=ReportFormat.PDF)
    return File(buffer.getvalue(), ReportFormat.PDF, name)


def _page_heading(canvas: Canvas, texts: Texts) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(colors.grey)
    canvas.drawString(
        LEFT,
        TOP + 4 * mm,
        texts.gettext(
            "Cut along the dashed lines and hand the slips out at random. Each code gives one "
            "answer."
        ),
    )
    canvas.restoreState()


def _cut_lines(canvas: Canvas, slips: int) -> None:
    """Dashed lines around and between the slips of a page (a last page only as far down
    as it has slips)."""
    rows = -(-slips // COLUMNS)
    bottom = TOP - rows * SLIP_HEIGHT
    canvas.saveState()
    canvas.setStrokeColor(CUT_LINE)
    canvas.setLineWidth(0.5)
    canvas.setDash(3, 3)
    for row in range(rows + 1):
        y = TOP - row * SLIP_HEIGHT
        canvas.line(LEFT, y, RIGHT, y)
    for column in range(COLUMNS + 1):
        x = LEFT + column * SLIP_WIDTH
        canvas.line(x, bottom, x, TOP)
    canvas.restoreState()


def _slip(
    canvas: Canvas, x: float, y: float, title: str, code: str, page_url: str, texts: Texts
) -> None:
    """One slip whose lower left corner is (x, y): the title and the code at the left, the
    QR code at the right, and how to answer across the bottom."""
    inner = SLIP_WIDTH - 2 * PADDING
    how = texts.gettext("Scan the QR code, or go to {url} and type the code.")
    anonymous = texts.gettext(
        "The code is not linked to you: nobody can tell which answers are yours."
    )
    bottom = y + PADDING
    for line, style in ((anonymous, _ANONYMOUS), (how.format(url=page_url), _SMALL)):
        paragraph = Paragraph(escape(line), style)
        _, height = paragraph.wrapOn(canvas, inner, SLIP_HEIGHT)
        paragraph.drawOn(canvas, x + PADDING, bottom)
        bottom += height + 1 * mm

    top = y + SLIP_HEIGHT - PADDING
    qr_left = x + SLIP_WIDTH - PADDING - QR_SIZE
    # The QR code's own white border (four modules) reaches into the padding.
    _qr(canvas, f"{page_url}#{code}", qr_left + 2 * mm, top - QR_SIZE + 2 * mm)

    text_width = qr_left - x - PADDING
    heading = _fitted_title(canvas, title, text_width, 2)
    _, heading_height = heading.wrapOn(canvas, text_width, SLIP_HEIGHT)
    heading.drawOn(canvas, x + PADDING, top - heading_height)

    canvas.saveState()
    canvas.setFont(CODE_FONT, CODE_SIZE)
    code_top = top - heading_height - 4 * mm
    canvas.drawString(x + PADDING, code_top - CODE_SIZE * 0.8, code)
    canvas.restoreState()


def _fitted_title(canvas: Canvas, title: str, width: float, lines: int) -> Paragraph:
    """The title in at most ``lines`` lines: smaller type first, then cut with an
    ellipsis."""
    for size in (10, 9, 8):
        style = ParagraphStyle(
            f"slip-title-{size}", parent=_TITLE, fontSize=size, leading=size * 1.2
        )
        paragraph = Paragraph(escape(title), style)
        paragraph.wrapOn(canvas, width, SLIP_HEIGHT)
        if len(paragraph.blPara.lines) <= lines:
            return paragraph
    # Cut after a whole word where one fits, else (a single long word) after a letter.
    words = title.split()
    cuts = [" ".join(words[:n]) for n in range(len(words) - 1, 0, -1)]
    cuts += [words[0][:n] for n in range(len(words[0]) - 1, 0, -1)]
    for cut in cuts:
        paragraph = Paragraph(escape(cut) + " …", style)
        paragraph.wrapOn(canvas, width, SLIP_HEIGHT)
        if len(paragraph.blPara.lines) <= lines:
            break
    return paragraph


def _qr(canvas: Canvas, value: str, x: float, y: float) -> None:
    widget = QrCodeWidget(value, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        QR_SIZE,
        QR_SIZE,
        transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0],
    )
    drawing.add(widget)
    drawing.drawOn(canvas, x, y)
