"""A participant's progress report (framdriftsrapport) or final report (sluttrapport) as
a PDF on A4: the plan's goals and their status, the work areas, attendance over the
period, follow-ups by kind, the meetings held and, at the end, the outcome with NAV's
reason beside it. Counts and statuses only: no note, no minutes."""

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from server.reports import pdf
from server.reports.files import File, file_name
from server.services.reports.progress import ProgressReport
from shared.i18n import Texts
from shared.labels import label
from shared.vocab import (
    AbsenceReason,
    FollowUpKind,
    GoalStatus,
    NavEndReason,
    Outcome,
    ReportFormat,
)


def render(report: ProgressReport, format: ReportFormat, t: Texts) -> File:
    if format != ReportFormat.PDF:
        raise ValueError(f"the progress report is made as PDF, not {format}")
    if report.final:
        # Translators: the start of a file name: lower-case ASCII letters and hyphens only.
        stem = t.gettext("final-report")
    else:
        # Translators: the start of a file name: lower-case ASCII letters and hyphens only.
        stem = t.gettext("progress-report")
    # Never the participant's name: file names end up in mail subjects, download folders
    # and logs. The start of their id tells two files of one period apart.
    name = file_name(
        stem, str(report.participant.id)[:8], report.first_day, report.last_day, format=format
    )
    return File(_pdf(report, t), format, name)


def title(report: ProgressReport, t: Texts) -> str:
    if report.final:
        return t.gettext("Final report: {name}").format(name=report.participant.full_name)
    return t.gettext("Progress report: {name}").format(name=report.participant.full_name)


def _date(day, t: Texts) -> str:
    return t.date(day) if day else ""


def _facts(report: ProgressReport, t: Texts) -> list[tuple[str, str]]:
    about = report.subject
    facts = [
        (t.gettext("Participant"), about.participant.full_name),
        (t.gettext("Department"), f"{about.department.name}, {about.organisation}"),
        (t.gettext("Facilitator"), about.facilitator),
        (t.gettext("Started"), _date(report.start_date, t)),
    ]
    if report.end_date:
        facts.append((t.gettext("Ended"), _date(report.end_date, t)))
    elif report.planned_end_date:
        facts.append((t.gettext("Planned end"), _date(report.planned_end_date, t)))
    if about.nav_office:
        facts.append((t.gettext("NAV office"), about.nav_office))
    if about.nav_contact:
        facts.append((t.gettext("NAV contact"), about.nav_contact))
    facts.append(
        (
            t.gettext("Report period"),
            t.gettext("{first} to {last}").format(
                first=_date(report.first_day, t), last=_date(report.last_day, t)
            ),
        )
    )
    return facts


def _pdf(report: ProgressReport, t: Texts) -> bytes:
    story = [
        pdf.text(title(report, t), "title"),
        pdf.text(
            t.gettext("Final report to NAV")
            if report.final
            else t.gettext("Progress report to NAV"),
            "subtitle",
        ),
        Spacer(1, 4 * mm),
        pdf.facts(_facts(report, t), 42),
        *_plan(report, t),
        *_attendance(report, t),
        *_followups(report, t),
        *_meetings(report, t),
    ]
    if report.final or report.outcome:
        story += _outcome(report, t)
    return pdf.build(
        story,
        title=title(report, t),
        notice=t.gettext("Confidential: holds personal data."),
        made_on=report.made_on,
        t=t,
    )


def _plan(report: ProgressReport, t: Texts) -> list:
    plan = report.plan
    if plan is None:
        return [pdf.text(t.gettext("Plan goals"), "heading"), pdf.text(t.gettext("No plan"))]
    heading = t.gettext("Plan goals (plan version {version}, from {date})").format(
        version=plan.version, date=_date(plan.valid_from, t)
    )
    parts = [pdf.text(heading, "heading")]
    if plan.goals:
        parts.append(
            pdf.table(
                [t.gettext("Goal"), t.gettext("Status"), t.gettext("Due date")],
                [
                    [goal.title, label(t, goal.status, GoalStatus), _date(goal.due_date, t)]
                    for goal in plan.goals
                ],
                [pdf.width() - 70, 32, 38],
            )
        )
    else:
        parts.append(pdf.text(t.gettext("The plan has no goals.")))
    parts += [
        Spacer(1, 2 * mm),
        pdf.facts([(t.gettext("Work areas"), ", ".join(plan.work_areas) or "–")], 42),
    ]
    return parts


def _attendance(report: ProgressReport, t: Texts) -> list:
    figures = report.attendance
    rate = figures["attendance_rate"]
    heading = t.gettext("Attendance {first} to {last}").format(
        first=_date(report.first_day, t), last=_date(report.counted_to, t)
    )
    pairs = [
        (t.gettext("Expected days"), str(figures["expected_days"])),
        (t.gettext("Days present"), str(figures["present_days"])),
        (t.gettext("Present on expected days"), str(figures["present_on_expected_days"])),
        *(
            (
                t.gettext("Absent: {reason}").format(reason=_lower_first(label(t, reason))),
                str(figures["absent"][reason]),
            )
            for reason in AbsenceReason
        ),
        (t.gettext("Expected, nothing registered"), str(figures["unregistered_expected_days"])),
        (t.gettext("Attendance rate"), "–" if rate is None else t.percent(rate, 1)),
    ]
    table = pdf.figures(pairs, columns=2, total=True)
    return [KeepTogether([pdf.text(heading, "heading"), table])]


def _lower_first(text: str) -> str:
    """``avtale (NAV/lege/behandling)``: a label inside a sentence, its acronyms kept."""
    return text[:1].lower() + text[1:]


def _followups(report: ProgressReport, t: Texts) -> list:
    counts = report.followups
    pairs = [(label(t, kind), str(counts["by_kind"][kind])) for kind in FollowUpKind]
    pairs.append((t.gettext("Total"), str(counts["total"])))
    table = pdf.figures(pairs, columns=2, total=True)
    return [KeepTogether([pdf.text(t.gettext("Follow-ups"), "heading"), table])]


def _meetings(report: ProgressReport, t: Texts) -> list:
    held = report.meetings_held
    text = t.ngettext(
        "{n} responsibility-group meeting held",
        "{n} responsibility-group meetings held",
        held.count,
    ).format(n=held.count)
    if held.dates:
        text += ": " + ", ".join(t.date(day, "short") for day in held.dates)
    return [
        KeepTogether(
            [pdf.text(t.gettext("Responsibility-group meetings"), "heading"), pdf.text(text)]
        )
    ]


def _outcome(report: ProgressReport, t: Texts) -> list:
    outcome = label(t, report.outcome, Outcome) if report.outcome else "–"
    reason = label(t, report.nav_end_reason, NavEndReason) if report.nav_end_reason else "–"
    return [
        KeepTogether(
            [
                pdf.text(t.gettext("How the programme ended"), "heading"),
                pdf.facts(
                    [
                        (t.gettext("Outcome"), outcome),
                        (t.gettext("NAV's end reason"), reason),
                    ],
                    56,
                ),
            ]
        )
    ]
