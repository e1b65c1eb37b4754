"""The labels of the vocabularies, as people read them: English here, translated through the
catalogues (``texts(language).gettext``), with the country's words in each language."""

from enum import StrEnum

from shared import vocab
from shared.i18n import N_, Texts

LABELS: dict[type[StrEnum], dict[str, str]] = {
    vocab.Country: {
        "NO": N_("Norway"),
        "DK": N_("Denmark"),
    },
    vocab.Language: {
        "nb": N_("Norwegian (bokmål)"),
        "da": N_("Danish"),
    },
    vocab.Role: {
        "admin": N_("Managing director"),
        "leader": N_("Department leader"),
        "facilitator": N_("Facilitator"),
    },
    vocab.Gender: {
        "female": N_("Woman"),
        "male": N_("Man"),
        "other": N_("Other"),
        "unspecified": N_("Not stated"),
    },
    vocab.ParticipantStatus: {
        "active": N_("Active"),
        "paused": N_("Paused"),
        "ended": N_("Ended"),
    },
    vocab.EnrolmentType: {
        "dk_103": N_("§ 103 protected employment"),
        "dk_104": N_("§ 104 activity and social offer"),
    },
    vocab.Participation: {
        "full_time": N_("Full-time"),
        "part_time": N_("Part-time"),
    },
    vocab.Outcome: {
        "ordinary_work": N_("Ordinary work"),
        "education": N_("Education"),
        "other_measure": N_("Another programme"),
        "disability_benefit": N_("Disability benefit"),
        "dropped_out": N_("Dropped out"),
        "other": N_("Other"),
    },
    vocab.GoalStatus: {
        "not_started": N_("Not started"),
        "in_progress": N_("In progress"),
        "achieved": N_("Achieved"),
        "dropped": N_("Dropped"),
    },
    vocab.AttendanceStatus: {
        "present": N_("Present"),
        "absent": N_("Absent"),
    },
    vocab.AbsenceReason: {
        "sick": N_("Sick"),
        "sick_child": N_("Sick child"),
        "appointment": N_("Appointment (NAV, doctor, treatment)"),
        "leave": N_("Leave"),
        "no_show": N_("Did not come"),
        "other": N_("Other"),
    },
    vocab.FollowUpKind: {
        "conversation": N_("Conversation"),
        "phone": N_("Phone, SMS or e-mail"),
        "home_visit": N_("Home visit or meeting out"),
        "accompaniment": N_("Accompaniment to services"),
        "other": N_("Other"),
    },
    vocab.WakeupOutcome: {
        "answered_coming": N_("Answered, coming"),
        "answered_not_coming": N_("Answered, not coming"),
        "no_answer": N_("No answer"),
        "sms_sent": N_("SMS sent"),
        "picked_up": N_("Picked up"),
    },
    vocab.WakeupStatus: {
        "pending": N_("Waiting"),
        "done": N_("Done"),
        "cancelled": N_("Cancelled"),
    },
    vocab.MeetingStatus: {
        "planned": N_("Planned"),
        "held": N_("Held"),
        "cancelled": N_("Cancelled"),
    },
    vocab.AccessAction: {
        "read": N_("Read"),
        "list": N_("Shown in a list"),
        "create": N_("Created"),
        "update": N_("Changed"),
        "end": N_("Ended"),
        "export": N_("Exported"),
    },
    vocab.SecurityEventType: {
        "login": N_("Login"),
        "login_failed": N_("Failed login"),
        "throttled": N_("Blocked after too many attempts"),
        "logout": N_("Logout"),
        "refresh_replayed": N_("Login key used twice"),
        "user_created": N_("User created"),
        "user_changed": N_("User changed"),
        "password_reset": N_("New password set"),
        "user_deactivated": N_("User deactivated"),
        "export": N_("Export"),
        "forbidden": N_("Access refused"),
    },
}


def label(texts: Texts, value: StrEnum | str, enum: type[StrEnum] | None = None) -> str:
    """The label of a vocabulary value in ``texts``' language; the code where none is known."""
    enum = enum or type(value)
    text = LABELS.get(enum, {}).get(str(value))
    return texts.gettext(text) if text else str(value)
