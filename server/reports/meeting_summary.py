"""The meeting summary (PDF, bokmål) sent to the members of a responsibility group.

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
from shared.labels_nb import date_and_time, label, long_date
from shared.messages_nb import message
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


def render(meeting: Meeting, participant: Participant, made_on: date) -> bytes:
    zone = ZoneInfo(participant.department.effective_timezone)
    name = f"{participant.first_name} {participant.last_name}"
    story = [
        _text(message("meeting.title", name=name), "title"),
        _text(message("meeting.subtitle"), "subtitle"),
        Spacer(1, 6 * mm),
        _table(
            [message("meeting.when"), message("meeting.where"), message("meeting.status")],
            [
                [
                    date_and_time(meeting.scheduled_at.astimezone(zone)),
                    meeting.location or "",
                    label(meeting.status, MeetingStatus),
                ]
            ],
            [70, 70, 34],
        ),
        _text(message("meeting.members"), "heading"),
    ]
    if meeting.members:
        story.append(
            _table(
                [
                    message("meeting.member_name"),
                    message("meeting.member_organisation"),
                    message("meeting.member_role"),
                    message("meeting.member_contact"),
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
        story.append(_text(message("meeting.no_members")))
    if meeting.agenda:
        story += [_text(message("meeting.agenda"), "heading"), _text(meeting.agenda)]
    story += [
        _text(message("meeting.decisions"), "heading"),
        _text(meeting.decisions or message("meeting.no_decisions")),
        _text(message("meeting.actions"), "heading"),
    ]
    if meeting.actions:
        story.append(
            _table(
                [
                    message("meeting.action_description"),
                    message("meeting.action_responsible"),
                    message("meeting.action_due"),
                    message("meeting.action_state"),
                ],
                [
                    [
                        a.description,
                        a.responsible,
                        long_date(a.due_date) if a.due_date else "",
                        message("meeting.action_done" if a.done else "meeting.action_open"),
                    ]
                    for a in meeting.actions
                ],
                [70, 40, 40, 24],
            )
        )
    else:
        story.append(_text(message("meeting.no_actions")))
    next_meeting = (
        date_and_time(meeting.next_meeting_at.astimezone(zone))
        if meeting.next_meeting_at
        else message("meeting.no_next")
    )
    story += [_text(message("meeting.next"), "heading"), _text(next_meeting)]

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(18 * mm, 12 * mm, message("meeting.confidential"))
        canvas.drawRightString(
            A4[0] - 18 * mm,
            12 * mm,
            message("meeting.footer", date=long_date(made_on), page=document.page),
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
        title=message("meeting.title", name=name),
        author="Spire",
        lang="nb-NO",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
