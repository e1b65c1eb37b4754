"""The meeting summary (PDF, in the reader's language) sent to the members of a
responsibility group.

It holds what the group agreed and nothing internal: who the members are, the agenda, the
decisions, the action items and the next meeting. Never the minutes, never follow-up notes.
"""

from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from server.models import Meeting, Participant
from shared.i18n import Texts
from shared.labels import label
from shared.vocab import MeetingStatus

_BASE = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("title", parent=_BASE["Title"], alignment=TA_LEFT, fontSize=18),
    "subtitle": ParagraphStyle("subtitle", parent=_BASE["Normal"], textColor=colors.grey),
    "heading": ParagraphStyle("heading", parent=_BASE["Heading2"], spaceBefore=10),
    "body": ParagraphStyle("body", parent=_BASE["BodyText"], fontSize=11, leading=15),
    "cell": ParagraphStyle("cell", parent=_BASE["BodyText"], fontSize=10, leading=13),
    "small": ParagraphStyle("small", parent=_BASE["Normal"], fontSize=8, textColor=colors.grey),
}
GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef2")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa7b0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
)


def _text(value: str | None, style: str = "body") -> Paragraph:
    """Typed text as a paragraph: markup characters escaped, line breaks kept."""
    return Paragraph(escape(value or "").replace("\n", "<br/>"), STYLES[style])


def _table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    cells = [[_text(h, "cell") for h in header]] + [[_text(c, "cell") for c in r] for r in rows]
    # A row taller than a page (a long description) is split across pages, not refused.
    table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1, splitInRow=1)
    table.setStyle(GRID)
    return table


def file_name(day: date, t: Texts) -> str:
    """``ansvarsgruppemote-2026-06-10.pdf``: plain ASCII, which every mail program keeps."""
    # Translators: a file name: lower-case ASCII letters and hyphens only.
    stem = t.gettext("responsibility-group-meeting")
    return f"{stem}-{day.isoformat()}.pdf"


def render(meeting: Meeting, participant: Participant, made_on: date, t: Texts) -> bytes:
    zone = ZoneInfo(participant.department.effective_timezone)
    name = f"{participant.first_name} {participant.last_name}"
    story = [
        _text(t.gettext("Responsibility group meeting for {name}").format(name=name), "title"),
        _text(t.gettext("Summary for the members of the responsibility group"), "subtitle"),
        Spacer(1, 6 * mm),
        _table(
            [t.gettext("When"), t.gettext("Where"), t.gettext("Status")],
            [
                [
                    t.date_and_time(meeting.scheduled_at.astimezone(zone)),
                    meeting.location or "",
                    label(t, meeting.status, MeetingStatus),
                ]
            ],
            [70, 70, 34],
        ),
        _text(t.gettext("Members"), "heading"),
    ]
    if meeting.members:
        story.append(
            _table(
                [
                    t.gettext("Name"),
                    t.gettext("Organisation"),
                    t.gettext("Role"),
                    t.gettext("Contact"),
                ],
                [
                    [
                        m.name,
                        m.organisation,
                        m.role or "",
                        "\n".join(filter(None, (m.phone, m.email))),
                    ]
                    for m in meeting.members
                ],
                [42, 46, 36, 50],
            )
        )
    else:
        story.append(_text(t.gettext("No members are registered.")))
    if meeting.agenda:
        story += [_text(t.gettext("Agenda"), "heading"), _text(meeting.agenda)]
    story += [
        _text(t.gettext("Decisions"), "heading"),
        _text(meeting.decisions or t.gettext("No decisions are registered.")),
        _text(t.gettext("Action items"), "heading"),
    ]
    if meeting.actions:
        story.append(
            _table(
                [
                    t.gettext("What"),
                    t.gettext("Responsible"),
                    t.gettext("Due"),
                    t.gettext("Status"),
                ],
                [
                    [
                        a.description,
                        a.responsible,
                        t.date(a.due_date) if a.due_date else "",
                        t.gettext("Done") if a.done else t.gettext("Open"),
                    ]
                    for a in meeting.actions
                ],
                [70, 40, 40, 24],
            )
        )
    else:
        story.append(_text(t.gettext("No action items.")))
    next_meeting = (
        t.date_and_time(meeting.next_meeting_at.astimezone(zone))
        if meeting.next_meeting_at
        else t.gettext("Not agreed yet.")
    )
    story += [_text(t.gettext("Next meeting"), "heading"), _text(next_meeting)]

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(
            18 * mm,
            12 * mm,
            t.gettext(
                "Confidential: holds personal data. "
                "Share only with the members of the responsibility group."
            ),
        )
        canvas.drawRightString(
            A4[0] - 18 * mm,
            12 * mm,
            t.gettext("Made in Spire {date} · page {page}").format(
                date=t.date(made_on), page=document.page
            ),
        )
        canvas.restoreState()

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
        title=t.gettext("Responsibility group meeting for {name}").format(name=name),
        author="Spire",
        lang=str(t.locale).replace("_", "-"),
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
