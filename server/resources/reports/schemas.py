"""What the reports take and, as JSON, give."""

from marshmallow import fields, validate

from server.resources.briefs import AttendanceFiguresOut, ParticipantBrief
from server.resources.fields import Date, Schema, enum
from shared.i18n import gettext, texts
from shared.labels import DAY_CODES, LABELS
from shared.vocab import (
    FollowUpKind,
    GoalStatus,
    HoursSource,
    NavDayCategory,
    NavEndReason,
    Outcome,
    Participation,
    ReportFormat,
    values,
)


def format_field(*formats: ReportFormat) -> fields.Enum:
    return enum(
        ReportFormat,
        only=formats,
        load_default=ReportFormat.JSON,
        metadata={"description": "json (the default) for programs; the others are files"},
    )


class AttendanceReportQuery(Schema):
    department_id = fields.UUID(required=True)
    date_from = Date(data_key="from", required=True)
    date_to = Date(data_key="to", required=True)
    format = format_field(*ReportFormat)


class ReportDayOut(Schema):
    date = Date(attribute="day")
    expected = fields.Boolean()
    entry = fields.String(
        attribute="key",
        allow_none=True,
        metadata={
            "description": "present, an absence reason, unregistered (expected, nothing "
            "registered) or null",
            "enum": [*DAY_CODES, None],
        },
    )
    code = fields.Function(
        lambda day: gettext(DAY_CODES[day.key]) if day.key else "",
        metadata={"description": "The grid's code in the reader's language (O, S, A ...)"},
    )


class TotalsOut(AttendanceFiguresOut):
    class Meta:
        exclude = ("date_from", "date_to")


class AttendanceRowOut(Schema):
    participant = fields.Nested(ParticipantBrief)
    days = fields.List(fields.Nested(ReportDayOut))
    summary = fields.Nested(AttendanceFiguresOut)
    months = fields.List(fields.Nested(AttendanceFiguresOut))


class WeekOut(Schema):
    week = fields.Function(lambda week: week.monday.isocalendar().week)
    monday = Date()
    expected_days = fields.Integer()
    present_on_expected_days = fields.Integer()
    attendance_rate = fields.Float(allow_none=True)


class DepartmentBrief(Schema):
    id = fields.UUID()
    name = fields.String()


class AttendanceReportOut(Schema):
    organisation = fields.String()
    department = fields.Nested(DepartmentBrief)
    date_from = Date(data_key="from", attribute="first_day")
    date_to = Date(data_key="to", attribute="last_day")
    counted_to = Date(
        metadata={"description": "The last day counted: days after it have not happened yet"}
    )
    made_on = Date()
    rows = fields.List(fields.Nested(AttendanceRowOut))
    weeks = fields.List(fields.Nested(WeekOut))
    totals = fields.Nested(TotalsOut)


# --- A participant's NAV reporting period (meldeperiode) --------------------------------


class MeldeperiodeQuery(Schema):
    participant_id = fields.UUID(required=True)
    period_start = Date(
        required=True, metadata={"description": "The Monday the 14-day period starts on"}
    )
    format = format_field(*ReportFormat)


def _category_label(day) -> str:
    return gettext(LABELS[NavDayCategory][day.category]) if day.category else ""


class NavDayOut(Schema):
    date = Date(attribute="day")
    week = fields.Integer(metadata={"description": "ISO week number"})
    programme_day = fields.Boolean(
        metadata={
            "description": "The plan schedules the day (leave aside), in the programme, "
            "not a public holiday"
        }
    )
    entry = fields.String(
        allow_none=True,
        metadata={
            "description": "What Spire holds: present, an absence reason, leave (planned) or null"
        },
    )
    category = enum(
        NavDayCategory,
        allow_none=True,
        metadata={
            "description": "NAV's meldekort category; unregistered: a programme day gone by "
            "with nothing registered; null: a programme day still to come"
        },
    )
    label = fields.Function(
        _category_label, metadata={"description": "The category in the reader's language"}
    )
    hours = fields.Float(allow_none=True)
    hours_source = enum(HoursSource, allow_none=True)


class PlanShareOut(Schema):
    days_per_week = fields.Integer(metadata={"description": "Days a week the plan schedules"})
    weekly_hours = fields.Float(metadata={"description": "Hours a week the plan schedules"})
    share_of_full_time = fields.Float(
        metadata={"description": "weekly_hours / 37.5 (a full-time week), as a fraction"}
    )
    participation = enum(Participation, allow_none=True)
    agreed_days_per_week = fields.Integer(
        allow_none=True, metadata={"description": "The participant's days_per_week"}
    )


NavCategoryCounts = Schema.from_dict(
    {category: fields.Integer() for category in values(NavDayCategory)},
    name="NavCategoryCounts",
)


class MeldeperiodeTotalsOut(Schema):
    days = fields.Nested(NavCategoryCounts)
    hours = fields.Float()
    unregistered_days = fields.Integer()


def _meldeperiode_title(report) -> str:
    first, second = report.weeks
    return (
        texts()
        .gettext("Reporting period, weeks {first}–{second}")
        .format(first=first, second=second)
    )


class MeldeperiodeOut(Schema):
    participant = fields.Nested(ParticipantBrief)
    nav_office = fields.String(allow_none=True, attribute="subject.nav_office")
    organisation = fields.String(attribute="subject.organisation")
    department = fields.Nested(DepartmentBrief, attribute="subject.department")
    facilitator = fields.String(
        attribute="subject.facilitator",
        metadata={
            "description": "The staff member responsible for the participant's group, "
            "else the one making the report"
        },
    )
    title = fields.Function(
        _meldeperiode_title,
        metadata={"description": "The period as NAV names it, in the reader's language"},
    )
    period_start = Date(attribute="first_day")
    period_end = Date(attribute="last_day")
    weeks = fields.List(fields.Integer())
    counted_to = Date(
        metadata={"description": "The last day counted: days after it have not happened yet"}
    )
    made_on = Date()
    complete = fields.Boolean(
        metadata={"description": "Every day has happened and none is left unregistered"}
    )
    plan = fields.Nested(PlanShareOut, allow_none=True)
    days = fields.List(fields.Nested(NavDayOut))
    totals = fields.Nested(MeldeperiodeTotalsOut)


# --- A participant's progress or final report -------------------------------------------


class ProgressQuery(Schema):
    date_from = Date(
        data_key="from", metadata={"description": "The participant's start by default"}
    )
    date_to = Date(
        data_key="to",
        metadata={"description": "Their end date once they have ended, else today, by default"},
    )
    format = format_field(ReportFormat.JSON, ReportFormat.PDF)


class ProgressGoalOut(Schema):
    title = fields.String()
    status = enum(GoalStatus)
    due_date = Date(allow_none=True)


FollowUpCountsByKind = Schema.from_dict(
    {kind: fields.Integer() for kind in values(FollowUpKind)}, name="FollowUpCountsByKind"
)


class ProgressFollowUpsOut(Schema):
    by_kind = fields.Nested(FollowUpCountsByKind)
    total = fields.Integer()


class ProgressPlanOut(Schema):
    """The current plan version's goals (their status, never a progress note)."""

    version = fields.Integer()
    valid_from = Date()
    goals = fields.List(fields.Nested(ProgressGoalOut))
    work_areas = fields.List(fields.String())


class MeetingsHeldOut(Schema):
    """Responsibility-group meetings held in the period (never their minutes)."""

    count = fields.Integer()
    dates = fields.List(Date())


class ProgressReportOut(Schema):
    kind = fields.Function(
        lambda report: "final" if report.final else "progress",
        metadata={
            "description": "final (sluttrapport) once the participant has ended, else "
            "progress (framdriftsrapport)",
            "enum": ["progress", "final"],
        },
    )
    participant = fields.Nested(ParticipantBrief)
    nav_office = fields.String(allow_none=True, attribute="subject.nav_office")
    nav_contact = fields.String(allow_none=True, attribute="subject.nav_contact")
    organisation = fields.String(attribute="subject.organisation")
    department = fields.Nested(DepartmentBrief, attribute="subject.department")
    facilitator = fields.String(attribute="subject.facilitator")
    date_from = Date(data_key="from", attribute="first_day")
    date_to = Date(data_key="to", attribute="last_day")
    counted_to = Date(
        metadata={"description": "Attendance is counted to this day: later ones have not happened"}
    )
    made_on = Date()
    start_date = Date()
    planned_end_date = Date(allow_none=True)
    end_date = Date(allow_none=True)
    plan = fields.Nested(ProgressPlanOut, allow_none=True)
    attendance = fields.Nested(TotalsOut)
    followups = fields.Nested(ProgressFollowUpsOut)
    meetings_held = fields.Nested(MeetingsHeldOut)
    outcome = enum(Outcome, allow_none=True)
    nav_end_reason = enum(NavEndReason, allow_none=True)


class StatisticsQuery(Schema):
    year = fields.Integer(
        required=True,
        validate=validate.Range(min=2000, max=2100),
        metadata={"description": "A calendar year from 2000 to this year"},
    )
    department_id = fields.UUID(
        metadata={
            "description": "One department; without it, every department the caller "
            "sees together (an admin: the whole organisation; a leader: their departments)"
        }
    )
    format = format_field(*ReportFormat)


class StatisticsActivityOut(Schema):
    kind = fields.String(
        metadata={
            "description": "A follow-up kind, meeting (responsibility-group meetings held), "
            "attendance_day (days present) or tally:<activity id>"
        }
    )
    name = fields.String(metadata={"description": "The tally activity's name (tally rows)"})
    female = fields.Integer()
    male = fields.Integer()
    other = fields.Integer(metadata={"description": "Other gender or not stated"})
    agency = fields.Integer(metadata={"description": "Public agencies (tallies only)"})
    child_youth = fields.Integer(metadata={"description": "Children and youth (tallies only)"})
    total = fields.Integer(metadata={"description": "This year"})
    previous_total = fields.Integer(metadata={"description": "The year before"})


class ContactsOut(Schema):
    first = fields.Integer(metadata={"description": "Tallied first contacts this year"})
    repeat = fields.Integer(metadata={"description": "The other tallied contacts this year"})


# Those who ended in the year by outcome: every outcome the vocabulary has, each a count.
OutcomeCounts = Schema.from_dict(
    {outcome: fields.Integer() for outcome in values(Outcome)}, name="OutcomeCounts"
)


class StatisticsParticipantsOut(Schema):
    started = fields.Integer(metadata={"description": "Started in the year"})
    ended = fields.Integer(metadata={"description": "Ended in the year"})
    active_at_year_end = fields.Integer(
        metadata={"description": "In the programme on 31 December (today, for this year)"}
    )
    by_outcome = fields.Nested(OutcomeCounts)


class StatisticsOut(Schema):
    year = fields.Integer()
    previous_year = fields.Integer()
    organisation = fields.String()
    department = fields.Nested(
        DepartmentBrief, allow_none=True, metadata={"description": "Null: every department"}
    )
    departments = fields.List(
        fields.Nested(DepartmentBrief), metadata={"description": "The departments counted"}
    )
    counted_to = Date(
        metadata={"description": "The last day counted: days after it have not happened yet"}
    )
    made_on = Date()
    activities = fields.List(fields.Nested(StatisticsActivityOut))
    contacts = fields.Nested(ContactsOut)
    participants = fields.Nested(StatisticsParticipantsOut)
    attendance_rate = fields.Float(
        allow_none=True, metadata={"description": "present on expected days / expected days"}
    )
    attendance_rate_by_month = fields.List(
        fields.Float(allow_none=True),
        metadata={"description": "January to December; null for a month with no expected day"},
    )
