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
    # NAV's own words on the meldekort (nb); "unregistered" is Spire's.
    vocab.NavDayCategory: {
        # Translators: NAV's meldekort category (nb "Deltatt").
        "attended": N_("Attended"),
        # Translators: NAV's meldekort category (nb "Fravær syk").
        "sick": N_("Absence: sick"),
        # Translators: NAV's meldekort category (nb "Fravær sykt barn").
        "sick_child": N_("Absence: sick child"),
        # Translators: NAV's meldekort category (nb "Fravær velferd eller jobbintervju").
        "welfare": N_("Absence: welfare or job interview"),
        # Translators: NAV's meldekort category (nb "Fravær godkjent av NAV").
        "approved": N_("Absence approved by NAV"),
        # Translators: NAV's meldekort category (nb "Annet fravær").
        "other_absence": N_("Other absence"),
        # Translators: NAV's meldekort category (nb "Ikke tiltaksdag").
        "not_programme_day": N_("Not a programme day"),
        # Translators: an expected day with nothing registered, to be put right.
        "unregistered": N_("Not registered"),
    },
    vocab.HoursSource: {
        "registered": N_("Checked in and out"),
        "scheduled": N_("From the plan"),
    },
    # NAV's reasons for ending a programme (nb: NAV's own words).
    vocab.NavEndReason: {
        # Translators: NAV's reason a programme ended (nb "Fått jobb").
        "got_job": N_("Got a job"),
        # Translators: NAV's reason a programme ended (nb "Utdanning").
        "education": N_("Education"),
        # Translators: NAV's reason a programme ended (nb "Syk").
        "sick": N_("Sick"),
        # Translators: NAV's reason a programme ended (nb "Trenger annen støtte").
        "needs_other_support": N_("Needs other support"),
        # Translators: NAV's reason a programme ended (nb "Ikke møtt").
        "did_not_attend": N_("Did not attend"),
        # Translators: NAV's reason a programme ended (nb "Annet").
        "other": N_("Other"),
    },
    vocab.FollowUpKind: {
        "conversation": N_("Conversation"),
        "phone": N_("Phone, SMS or e-mail"),
        "home_visit": N_("Home visit or meeting out"),
        "accompaniment": N_("Accompaniment to services"),
        "other": N_("Other"),
    },
    vocab.TallyWho: {
        "female": N_("Woman"),
        "male": N_("Man"),
        # Translators: who an anonymous tally counts: a public agency (nb "Offentlig instans").
        "agency": N_("Public agency"),
        # Translators: who an anonymous tally counts: children or young people (nb "Barn og unge").
        "child_youth": N_("Children and youth"),
        "unspecified": N_("Not stated"),
    },
    vocab.QuestionKind: {
        # Translators: a survey question's kind: a statement rated from 1 to 5.
        "scale": N_("Scale from 1 (disagree) to 5 (agree)"),
        "yes_no": N_("Yes or no"),
        # Translators: a survey question's kind: one of a few options.
        "choice": N_("One of the options"),
        "text": N_("Free text"),
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
    vocab.ReportFormat: {
        "json": N_("JSON (for programs)"),
        "csv": N_("CSV (semicolon-separated)"),
        "xlsx": N_("Excel workbook"),
        "pdf": N_("PDF"),
    },
}


def label(texts: Texts, value: StrEnum | str, enum: type[StrEnum] | None = None) -> str:
    """The label of a vocabulary value in ``texts``' language; the code where none is known."""
    enum = enum or type(value)
    text = LABELS.get(enum, {}).get(str(value))
    return texts.gettext(text) if text else str(value)


# The one-letter code of a day in an attendance grid, by what the day holds: present, an
# absence reason, or expected with nothing registered. English codes here; each language
# has its own (Norwegian O for oppmøtt, P for permisjon ...).
UNREGISTERED = "unregistered"
DAY_CODES: dict[str, str] = {
    # Translators: one-letter code in an attendance grid: present (nb "O", oppmøtt).
    "present": N_("P"),
    # Translators: one-letter code in an attendance grid: sick (nb "S").
    "sick": N_("S"),
    # Translators: one-letter code in an attendance grid: sick child (nb "B", sykt barn).
    "sick_child": N_("C"),
    # Translators: one-letter code in an attendance grid: appointment (nb "A", avtale).
    "appointment": N_("A"),
    # Translators: one-letter code in an attendance grid: leave (nb "P", permisjon).
    "leave": N_("L"),
    # Translators: one-letter code in an attendance grid: did not come (nb "U", ikke møtt).
    "no_show": N_("N"),
    # Translators: one-letter code in an attendance grid: other absence (nb "X", annet).
    "other": N_("X"),
    # Translators: code in an attendance grid: expected, nothing registered (nb "?").
    UNREGISTERED: N_("?"),
}
DAY_CODE_LEGEND: dict[str, str] = {
    "present": N_("Present"),
    **LABELS[vocab.AbsenceReason],
    UNREGISTERED: N_("Expected, nothing registered"),
}


def day_code(texts: Texts, key: str | None) -> str:
    """The grid's code for a day (``O``, ``S`` ...); blank for a day with nothing to show."""
    return texts.gettext(DAY_CODES[key]) if key else ""
