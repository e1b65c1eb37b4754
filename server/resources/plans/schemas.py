from marshmallow import fields, validate

from server.resources.briefs import GoalOut
from server.resources.fields import Date, Integer, Schema, Text, enum, hhmm
from shared.vocab import GoalStatus


class ScheduleSlotIn(Schema):
    weekday = Integer(required=True, validate=validate.Range(min=1, max=7))
    start = hhmm(required=True)
    end = hhmm(required=True)


class ScheduleSlotOut(Schema):
    weekday = fields.Integer()
    start = hhmm(attribute="start_time")
    end = hhmm(attribute="end_time")


class GoalIn(Schema):
    id = fields.UUID(metadata={"description": "Carry an existing goal into the new version"})
    title = Text(200, required=True)
    description = Text(4000, allow_none=True)
    due_date = Date(allow_none=True)
    status = enum(GoalStatus)


class GoalUpdateOut(Schema):
    status = enum(GoalStatus)
    progress_note = fields.String(allow_none=True)
    user_id = fields.UUID()
    at = fields.DateTime()


class GoalWithHistoryOut(GoalOut):
    history = fields.List(fields.Nested(GoalUpdateOut), attribute="goal.updates")


class PlanIn(Schema):
    valid_from = Date(required=True)
    review_date = Date(allow_none=True)
    goals = fields.List(fields.Nested(GoalIn), load_default=list, validate=validate.Length(max=50))
    work_areas = fields.List(Text(60), load_default=list, validate=validate.Length(max=20))
    schedule = fields.List(
        fields.Nested(ScheduleSlotIn), load_default=list, validate=validate.Length(max=21)
    )
    notes = Text(10000, allow_none=True)


class PlanOut(Schema):
    id = fields.UUID()
    version = fields.Integer()
    valid_from = Date()
    review_date = Date(allow_none=True)
    goals = fields.List(fields.Nested(GoalOut), attribute="plan_goals")
    work_areas = fields.List(fields.String())
    schedule = fields.List(fields.Nested(ScheduleSlotOut))
    notes = fields.String(allow_none=True)
    created_at = fields.DateTime()
    created_by_id = fields.UUID()


class GoalPatchIn(Schema):
    status = enum(GoalStatus, required=True)
    progress_note = Text(4000, allow_none=True)
