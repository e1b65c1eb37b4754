"""What the reports take and, as JSON, give."""

from marshmallow import fields

from server.resources.briefs import AbsenceCounts, ParticipantBrief
from server.resources.fields import Date, Schema, enum
from shared.i18n import gettext
from shared.labels import DAY_CODES
from shared.vocab import ReportFormat


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
