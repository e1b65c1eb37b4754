"""What the app says of a write waiting in the outbox (``Entry.summary``): one short line
in the app's language, written from the facts the write keeps (a name, a time, a reason),
so it reads right in whatever language the app speaks when it is shown."""

from datetime import datetime

from shared.i18n import Texts
from shared.labels import label
from shared.vocab import AbsenceReason, FollowUpKind, TallyWho, WakeupOutcome


def _when(tr: Texts, moment: str | None) -> str:
    return tr.time(datetime.fromisoformat(moment).astimezone()) if moment else ""


def summary(kind: str, facts: dict, tr: Texts) -> str:
    name = facts.get("name") or tr.gettext("a participant")
    if kind == "check_in":
        return tr.gettext("{name} checked in at {time}").format(
            name=name, time=_when(tr, facts.get("at"))
        )
    if kind == "check_out":
        return tr.gettext("{name} checked out at {time}").format(
            name=name, time=_when(tr, facts.get("at"))
        )
    if kind == "absent":
        return tr.gettext("{name} absent: {reason}").format(
            name=name, reason=label(tr, facts.get("reason", ""), AbsenceReason)
        )
    if kind == "undo":
        return tr.gettext("{name}: the last registration undone").format(name=name)
    if kind == "wakeup_attempt":
        return tr.gettext("Wake-up call to {name}: {outcome}").format(
            name=name, outcome=label(tr, facts.get("outcome", ""), WakeupOutcome)
        )
    if kind == "followup":
        return tr.gettext("Follow-up of {name}: {kind}").format(
            name=name, kind=label(tr, facts.get("kind", ""), FollowUpKind)
        )
    if kind == "tally":
        return tr.gettext("Anonymous: {activity}, {who} ({count})").format(
            activity=facts.get("activity_name", ""),
            who=label(tr, facts.get("who", ""), TallyWho),
            count=facts.get("count", 1),
        )
    if kind == "tally_undo":
        return tr.gettext("Anonymous: {activity} undone").format(
            activity=facts.get("activity_name", "")
        )
    if kind == "action":
        if facts.get("done"):
            return tr.gettext("Action item ticked off")
        return tr.gettext("Action item opened again")
    return kind
