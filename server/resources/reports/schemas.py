"""What the reports take and, as JSON, give."""

from marshmallow import fields, validate

from server.resources.briefs import AbsenceCounts, ParticipantBrief
from server.resources.fields import Date, Schema, enum
from shared.i18n import gettext
from shared.labels import DAY_CODES
from shared.vocab import Outcome, ReportFormat, values


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


class FiguresOut(Schema):
    """Attendance over (a part of) the period, by the rules of the attendance rates."""

    date_from = Date(data_key="from", attribute="from")
    date_to = Date(data_key="to", attribute="to")
    expected_days = fields.Integer()
    present_days = fields.Integer()
    present_on_expected_days = fields.Integer()
    absent = fields.Nested(AbsenceCounts)
    unregistered_expected_days = fields.Integer()
    attendance_rate = fields.Float(allow_none=True)


class TotalsOut(FiguresOut):
    class Meta:
        exclude = ("date_from", "date_to")


class AttendanceRowOut(Schema):
    participant = fields.Nested(ParticipantBrief)
    days = fields.List(fields.Nested(ReportDayOut))
    summary = fields.Nested(FiguresOut)
    months = fields.List(fields.Nested(FiguresOut))


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
