"""The SQLAlchemy models; importing this package registers every table on the metadata."""

from server.models.attendance import Attendance, AttendanceWrite, Leave
from server.models.audit import AccessLogEntry, ChangeRecord
from server.models.base import Base
from server.models.followup import FollowUp
from server.models.group import Group, GroupMembership
from server.models.meeting import GroupMember, Meeting, MeetingAction, MeetingMember
from server.models.organisation import Department, Organisation
from server.models.participant import Participant
from server.models.plan import Goal, GoalUpdate, Plan, PlanGoal, ScheduleSlot
from server.models.security import LoginCounter, SecurityEvent
from server.models.survey import Survey, SurveyCode, SurveyQuestion, SurveyResponse
from server.models.tally import Tally, TallyActivity
from server.models.user import AuthSession, User, user_departments
from server.models.wakeup import Message, WakeupAttempt, WakeupCall, WakeupSchedule

__all__ = [
    "AccessLogEntry",
    "Attendance",
    "AttendanceWrite",
    "AuthSession",
    "Base",
    "ChangeRecord",
    "Department",
    "FollowUp",
    "Goal",
    "Group",
    "GoalUpdate",
    "GroupMember",
    "GroupMembership",
    "Leave",
    "LoginCounter",
    "Meeting",
    "MeetingAction",
    "MeetingMember",
    "Message",
    "Organisation",
    "Participant",
    "Plan",
    "PlanGoal",
    "ScheduleSlot",
    "SecurityEvent",
    "Survey",
    "SurveyCode",
    "SurveyQuestion",
    "SurveyResponse",
    "Tally",
    "TallyActivity",
    "User",
    "user_departments",
    "WakeupAttempt",
    "WakeupCall",
    "WakeupSchedule",
]
