"""The meeting summary (PDF, in the reader's language) sent to the members of a
responsibility group.

It holds what the group agreed and nothing internal: who the members are, the agenda, the
decisions, the action items and the next meeting. Never the minutes, never follow-up notes.
"""

from datetime import date
from zoneinfo import ZoneInfo

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from server import clock
from server.models import Meeting, Participant
from server.reports import files
from server.reports.pdf import build, table, text
from shared.i18n import Texts
from shared.labels import label
from shared.vocab import MeetingStatus, ReportFormat


def file_name(day: date, t: Texts) -> str:
    """``ansvarsgruppemote-2026-06-10.pdf``: plain ASCII, which every mail program keeps."""
    # Translators: a file name: lower-case ASCII letters and hyphens only.
    return files.file_name(t.gettext("responsibility-group-meeting"), day, format=ReportFormat.PDF)


def summary_file(meeting: Meeting, participant: Participant, t: Texts) -> files.File:
    """The summary as a file to download, made today and named by the meeting's day (both
    in the department's time zone)."""
    timezone = participant.department.effective_timezone
    content = render(meeting, participant, clock.local_today(timezone), t)
    day = clock.local_date(meeting.scheduled_at, timezone)
    return files.File(content, ReportFormat.PDF, file_name(day, t))


def render(meeting: Meeting, participant: Participant, made_on: date, t: Texts) -> bytes:
    zone = ZoneInfo(participant.department.effective_timezone)
    name = f"{participant.first_name} {participant.last_name}"
    story = [
        text(t.gettext("Responsibility group meeting for {name}").format(name=name), "title"),
        text(t.gettext("Summary for the members of the responsibility group"), "subtitle"),
        Spacer(1, 6 * mm),
        table(
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
        text(t.gettext("Members"), "heading"),
    ]
    if meeting.members:
        story.append(
            table(
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
        story.append(text(t.gettext("No members are registered.")))
    if meeting.agenda:
        story += [text(t.gettext("Agenda"), "heading"), text(meeting.agenda)]
    story += [
        text(t.gettext("Decisions"), "heading"),
        text(meeting.decisions or t.gettext("No decisions are registered.")),
        text(t.gettext("Action items"), "heading"),
    ]
    if meeting.actions:
        story.append(
            table(
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
        story.append(text(t.gettext("No action items.")))
    next_meeting = (
        t.date_and_time(meeting.next_meeting_at.astimezone(zone))
        if meeting.next_meeting_at
        else t.gettext("Not agreed yet.")
    )
    story += [text(t.gettext("Next meeting"), "heading"), text(next_meeting)]

    return build(
        story,
        title=t.gettext("Responsibility group meeting for {name}").format(name=name),
        notice=t.gettext(
            "Confidential: holds personal data. "
            "Share only with the members of the responsibility group."
        ),
        made_on=made_on,
        t=t,
    )
