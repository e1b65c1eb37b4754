"""The controlled vocabularies of Spire (code names from the glossary)."""

from enum import StrEnum


class Country(StrEnum):
    """Where an organisation runs: its public holidays, and the rules of its programmes."""

    NORWAY = "NO"
    DENMARK = "DK"


class Language(StrEnum):
    """The languages Spire speaks to people: Norwegian bokmål and Danish."""

    NORWEGIAN_BOKMAL = "nb"
    DANISH = "da"


class Role(StrEnum):
    ADMIN = "admin"
    LEADER = "leader"
    FACILITATOR = "facilitator"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNSPECIFIED = "unspecified"


class ParticipantStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class EnrolmentType(StrEnum):
    """The legal basis of a participant's place, where the country has several: in Denmark
    serviceloven § 103 (beskyttet beskæftigelse) or § 104 (aktivitets- og samværstilbud)."""

    DK_103 = "dk_103"
    DK_104 = "dk_104"


class Participation(StrEnum):
    """How much of the week a participant takes part."""

    FULL_TIME = "full_time"
    PART_TIME = "part_time"


class Outcome(StrEnum):
    """Exit outcome (avslutningsårsak)."""

    ORDINARY_WORK = "ordinary_work"
    EDUCATION = "education"
    OTHER_MEASURE = "other_measure"
    DISABILITY_BENEFIT = "disability_benefit"
    DROPPED_OUT = "dropped_out"
    OTHER = "other"


class GoalStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"


class AbsenceReason(StrEnum):
    SICK = "sick"
    # At home with a sick child (sykt barn, sygt barn).
    SICK_CHILD = "sick_child"
    APPOINTMENT = "appointment"
    LEAVE = "leave"
    NO_SHOW = "no_show"
    OTHER = "other"


class NavDayCategory(StrEnum):
    """What a day of a NAV reporting period (meldeperiode) was, in the categories of NAV's
    meldekort, and ``unregistered``: Spire's own word for an expected past day with
    nothing registered, which must be put right before the meldekort is sent."""

    ATTENDED = "attended"  # deltatt
    SICK = "sick"  # fravær syk
    SICK_CHILD = "sick_child"  # fravær sykt barn
    WELFARE = "welfare"  # fravær velferd eller jobbintervju
    APPROVED = "approved"  # fravær godkjent av NAV
    OTHER_ABSENCE = "other_absence"  # annet fravær
    NOT_PROGRAMME_DAY = "not_programme_day"  # ikke tiltaksdag
    UNREGISTERED = "unregistered"  # ikke registrert (not one of NAV's)


class HoursSource(StrEnum):
    """Where a day's hours in a reporting period come from."""

    # Check-in and check-out, rounded to the nearest half hour.
    REGISTERED = "registered"
    # The plan's schedule that day (present, but not both times registered).
    SCHEDULED = "scheduled"


class NavEndReason(StrEnum):
    """Why a participant's programme ended, in NAV's terms (from Spire's ``Outcome``)."""

    GOT_JOB = "got_job"  # fått jobb
    EDUCATION = "education"  # utdanning
    SICK = "sick"  # syk
    NEEDS_OTHER_SUPPORT = "needs_other_support"  # trenger annen støtte
    DID_NOT_ATTEND = "did_not_attend"  # ikke møtt
    OTHER = "other"  # annet


class FollowUpKind(StrEnum):
    CONVERSATION = "conversation"
    PHONE = "phone"
    HOME_VISIT = "home_visit"
    ACCOMPANIMENT = "accompaniment"
    OTHER = "other"


class TallyWho(StrEnum):
    """Who an anonymous tally counts (anonym registrering): never a name."""

    FEMALE = "female"
    MALE = "male"
    AGENCY = "agency"
    CHILD_YOUTH = "child_youth"
    UNSPECIFIED = "unspecified"


class QuestionKind(StrEnum):
    """What a survey question asks for: a 1-5 scale, yes or no, one of its options, or
    free text."""

    SCALE = "scale"
    YES_NO = "yes_no"
    CHOICE = "choice"
    TEXT = "text"


class WakeupOutcome(StrEnum):
    ANSWERED_COMING = "answered_coming"
    ANSWERED_NOT_COMING = "answered_not_coming"
    NO_ANSWER = "no_answer"
    SMS_SENT = "sms_sent"
    PICKED_UP = "picked_up"


class WakeupStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    CANCELLED = "cancelled"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class AccessAction(StrEnum):
    """What an access-log row records that a user did with a participant's data."""

    READ = "read"
    LIST = "list"
    CREATE = "create"
    UPDATE = "update"
    END = "end"
    EXPORT = "export"


class SecurityEventType(StrEnum):
    """What the security event log records (who, what, when, from where)."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    THROTTLED = "throttled"
    LOGOUT = "logout"
    REFRESH_REPLAYED = "refresh_replayed"
    USER_CREATED = "user_created"
    USER_CHANGED = "user_changed"
    PASSWORD_RESET = "password_reset"
    USER_DEACTIVATED = "user_deactivated"
    EXPORT = "export"
    FORBIDDEN = "forbidden"


def values(enum: type[StrEnum]) -> list[str]:
    """The code names of a vocabulary, in declaration order."""
    return [member.value for member in enum]


class ReportFormat(StrEnum):
    """What a report is made as: data for programs, or a file for people."""

    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"
