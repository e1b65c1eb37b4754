"""What the reminders say, written from their facts in any language: the SMS in the
organisation's language when it is queued, a staff notice in each reader's language when
it is read (the facts are kept with the message for that)."""

from shared.i18n import Texts

# The kinds of message, and what each is about.
WAKEUP_SMS = "wakeup_sms"  # to the participant: good morning
HOME_VISIT = "home_visit"  # to the staff: no answer for a while, go and see
CALL_DUE = "call_due"  # to the staff: make the call (again)


def text(kind: str, facts: dict, t: Texts) -> str:
    if kind == WAKEUP_SMS:
        return t.gettext(
            "Good morning, {first_name}! This is your wake-up call from "
            "{department}. We look forward to seeing you today."
        ).format(**facts)
    if kind == HOME_VISIT:
        return t.ngettext(
            "{name} has not answered {count} wake-up call. Consider a home visit.",
            "{name} has not answered {count} wake-up calls. Consider a home visit.",
            facts["count"],
        ).format(**facts)
    if kind == CALL_DUE:
        wording = (
            t.gettext("Wake-up: call {name} again ({phone}), try {attempt}.")
            if facts["attempt"] > 1
            else t.gettext("Wake-up: call {name} now ({phone}).")
        )
        return wording.format(**facts)
    raise ValueError(f"no wording for {kind!r}")
