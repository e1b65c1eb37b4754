"""Norwegian (bokmål) labels for the vocabularies, as the user interface shows them."""

from datetime import date, datetime
from enum import StrEnum

from shared import vocab

LABELS: dict[type[StrEnum], dict[str, str]] = {
    vocab.Role: {
        "admin": "Daglig leder",
        "leader": "Avdelingsleder",
        "facilitator": "Tilrettelegger",
    },
    vocab.Gender: {
        "female": "Kvinne",
        "male": "Mann",
        "other": "Annet",
        "unspecified": "Ikke oppgitt",
    },
    vocab.ParticipantStatus: {
        "active": "Aktiv",
        "paused": "Pause",
        "ended": "Avsluttet",
    },
    vocab.Outcome: {
        "ordinary_work": "Ordinært arbeid",
        "education": "Utdanning",
        "other_measure": "Annet tiltak",
        "disability_benefit": "Uføretrygd",
        "dropped_out": "Avbrutt",
        "other": "Annet",
    },
    vocab.GoalStatus: {
        "not_started": "Ikke startet",
        "in_progress": "Pågår",
        "achieved": "Nådd",
        "dropped": "Droppet",
    },
    vocab.AttendanceStatus: {
        "present": "Til stede",
        "absent": "Fravær",
    },
    vocab.AbsenceReason: {
        "sick": "Syk",
        "appointment": "Avtale (NAV/lege/behandling)",
        "leave": "Permisjon",
        "no_show": "Ikke møtt",
        "other": "Annet",
    },
    vocab.FollowUpKind: {
        "conversation": "Samtale",
        "phone": "Telefon/SMS/e-post",
        "home_visit": "Hjemmebesøk/treffmøte",
        "accompaniment": "Følge i hjelpeapparatet",
        "other": "Annet",
    },
    vocab.WakeupOutcome: {
        "answered_coming": "Svarte, kommer",
        "answered_not_coming": "Svarte, kommer ikke",
        "no_answer": "Svarte ikke",
        "sms_sent": "SMS sendt",
        "picked_up": "Hentet",
    },
    vocab.WakeupStatus: {
        "pending": "Venter",
        "done": "Utført",
        "cancelled": "Avlyst",
    },
    vocab.MeetingStatus: {
        "planned": "Planlagt",
        "held": "Avholdt",
        "cancelled": "Avlyst",
    },
    vocab.AccessAction: {
        "read": "Lest",
        "list": "Vist i liste",
        "create": "Opprettet",
        "update": "Endret",
        "end": "Avsluttet",
        "export": "Eksportert",
    },
    vocab.SecurityEventType: {
        "login": "Innlogging",
        "login_failed": "Mislykket innlogging",
        "throttled": "Sperret etter for mange forsøk",
        "logout": "Utlogging",
        "refresh_replayed": "Gjenbrukt innloggingsnøkkel",
        "user_created": "Bruker opprettet",
        "user_changed": "Bruker endret",
        "password_reset": "Nytt passord satt",
        "user_deactivated": "Bruker deaktivert",
        "export": "Eksport",
        "forbidden": "Nektet tilgang",
    },
}

WEEKDAYS = {
    1: "mandag",
    2: "tirsdag",
    3: "onsdag",
    4: "torsdag",
    5: "fredag",
    6: "lørdag",
    7: "søndag",
}


MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)


def long_date(day: date) -> str:
    """``12. mars 2026``"""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def date_and_time(moment: datetime) -> str:
    """``torsdag 12. mars 2026 kl. 10.00`` (the moment in its own time zone)."""
    return f"{WEEKDAYS[moment.isoweekday()]} {long_date(moment.date())} kl. {moment:%H.%M}"


def label(value: StrEnum | str, enum: type[StrEnum] | None = None) -> str:
    """The Norwegian label of a vocabulary value; the code itself where none is known."""
    enum = enum or type(value)
    return LABELS.get(enum, {}).get(str(value), str(value))
