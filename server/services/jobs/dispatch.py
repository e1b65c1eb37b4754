"""The reminder dispatcher (``flask --app server wakeups dispatch``, every minute).

1. Makes today's wake-up calls in every department (as the day's list would).
2. Queues what is due: an SMS to participants who chose one, and notices for the staff's
   phones (a call is due, due again, or flagged for a home visit). Each message has a key
   and exists once, however many dispatchers queue it.
3. Sends queued messages. A message is claimed by one dispatcher with a conditional
   UPDATE before it is sent, so two dispatchers running at once never send it twice. A
   gateway that fails or is too slow gets the message again later, with a growing pause;
   after the first failure in a run the remaining SMS wait for the next run, so a dead
   gateway never holds up the staff's notices.
"""

import logging
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select, update

from server import clock, settings
from server.database import db
from server.models import Department, Message, Participant, WakeupCall
from server.services.common import access_log, names, scope
from server.services.common.names import ParticipantName
from server.services.jobs import wording
from server.services.jobs.channels import Undelivered, masked, sms_channel
from server.services.storage import inserts
from server.services.wakeups import calls as wakeups
from shared.i18n import texts
from shared.vocab import AccessAction, WakeupStatus

log = logging.getLogger("spire.dispatch")

MAX_TRIES = 10
BATCH = 200
# A claim older than this belongs to a dispatcher that died mid-send.
STALE_CLAIM = timedelta(minutes=10)
# A wake-up SMS held back longer than this by a failing gateway is no longer worth sending.
SMS_TOO_LATE = timedelta(hours=1)


@dataclass
class Report:
    queued: int = 0
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def dispatch(worker: str | None = None) -> Report:
    worker = worker or f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
    report = Report()
    for department in db.session.scalars(select(Department).where(Department.active)):
        wakeups.ensure_calls(department, clock.local_today(department.effective_timezone))
        db.session.commit()
    report.queued = queue_due()
    db.session.commit()
    _release_stale_claims()
    _cancel_outdated()
    _send_pending(worker, report)
    return report


def _still_due():
    """The call is pending and its participant has not checked in."""
    return (WakeupCall.status == WakeupStatus.PENDING) & ~wakeups.checked_in()


def queue_due() -> int:
    """Queue the messages for every pending call of today that is due now."""
    now = clock.now()
    rows = db.session.execute(
        select(WakeupCall, Participant, Department)
        .join(Participant, Participant.id == WakeupCall.participant_id)
        .join(Department, Department.id == WakeupCall.department_id)
        .where(
            _still_due(),
            WakeupCall.next_due_at <= now,
            WakeupCall.date >= (now - timedelta(days=1)).date(),
        )
    ).all()
    messages = []
    for call, participant, department in rows:
        if call.date != clock.local_today(department.effective_timezone):
            continue  # yesterday's calls are over
        name = f"{participant.first_name} {participant.last_name}"
        # Written in the organisation's language when queued (the SMS is sent so); a staff
        # notice is written again in each reader's language from its facts when read.
        t = texts(department.organisation.language)
        base = {
            "organisation_id": call.organisation_id,
            "department_id": call.department_id,
            "participant_id": call.participant_id,
            "call_id": call.id,
            "status": "pending",
            "tries": 0,
            "next_attempt_at": now,
            "created_at": now,
        }

        if call.sms and call.phone and call.unanswered == 0:
            messages.append(
                _message(
                    base,
                    t,
                    wording.WAKEUP_SMS,
                    f"wakeup-sms:{call.id}",
                    "sms",
                    call.phone,
                    first_name=participant.first_name,
                    department=department.name,
                )
            )
        if call.home_visit:
            messages.append(
                _message(
                    base,
                    t,
                    wording.HOME_VISIT,
                    f"home-visit:{call.id}",
                    "staff",
                    None,
                    name=name,
                    count=call.unanswered,
                )
            )
        else:
            messages.append(
                _message(
                    base,
                    t,
                    wording.CALL_DUE,
                    f"call-due:{call.id}:{call.next_due_at.isoformat()}",
                    "staff",
                    None,
                    name=name,
                    phone=call.phone or "-",
                    attempt=call.unanswered + 1,
                )
            )
    inserts.insert_missing(Message.__table__, messages, ["key"])
    return len(messages)


def _message(base: dict, t, kind: str, key: str, channel: str, recipient, **facts) -> dict:
    """A message row: what ``base`` says of every message of the call, its text in ``t``'s
    language, and the facts it was written from."""
    return {
        **base,
        "id": uuid.uuid4(),
        "key": key,
        "channel": channel,
        "kind": kind,
        "recipient": recipient,
        "text": wording.text(kind, facts, t),
        "facts": facts,
    }


def _release_stale_claims() -> None:
    db.session.execute(
        update(Message)
        .where(Message.status == "sending", Message.claimed_at < clock.now() - STALE_CLAIM)
        .values(status="pending", claimed_by=None)
    )
    db.session.commit()


def _call_still_due():
    """The message's call (if it has one) is still waiting to be made."""
    return or_(
        Message.call_id.is_(None),
        exists().where(WakeupCall.id == Message.call_id, _still_due()),
    )


def _cancel_outdated() -> None:
    """A reminder whose call was answered, cancelled or made redundant by a check-in is not
    sent, nor is a wake-up SMS that a failing gateway held back for more than an hour."""
    db.session.execute(
        update(Message)
        .where(
            Message.status == "pending",
            or_(
                ~_call_still_due(),
                (Message.kind == "wakeup_sms") & (Message.created_at < clock.now() - SMS_TOO_LATE),
            ),
        )
        .values(status="cancelled", claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _claim(message_id: uuid.UUID, worker: str) -> bool:
    """Take one message for this dispatcher; False when another took it first or its call
    no longer needs it."""
    now = clock.now()
    claimed = db.session.execute(
        update(Message)
        .where(
            Message.id == message_id,
            Message.status == "pending",
            Message.next_attempt_at <= now,
            _call_still_due(),
        )
        .values(status="sending", claimed_by=worker, claimed_at=now, tries=Message.tries + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _send_pending(worker: str, report: Report) -> None:
    now = clock.now()
    candidates = db.session.execute(
        select(Message.id, Message.channel, Message.recipient, Message.text, Message.tries)
        .where(Message.status == "pending", Message.next_attempt_at <= now)
        .order_by(Message.channel.desc(), Message.next_attempt_at)  # staff notices first
        .limit(BATCH)
    ).all()
    db.session.commit()
    sms = sms_channel(settings.config())
    gateway_failed = False
    for candidate in candidates:
        if candidate.channel == "sms" and gateway_failed:
            report.deferred += 1
            continue
        if not _claim(candidate.id, worker):
            continue
        try:
            if candidate.channel == "sms":
                sms.send(str(candidate.id), candidate.recipient, candidate.text)
            # Staff notices are delivered by being there for the phones to fetch.
        except Undelivered as error:
            gateway_failed = True
            _retry_later(candidate, str(error), report)
            continue
        except Exception as error:  # noqa: BLE001 - one bad message must not stop the run
            gateway_failed = candidate.channel == "sms"
            _retry_later(candidate, f"unexpected {type(error).__name__}", report)
            continue
        _mark(candidate.id, status="sent", sent_at=clock.now(), last_error=None)
        report.sent += 1


def _retry_later(candidate, error: str, report: Report) -> None:
    tries = candidate.tries + 1
    if tries >= MAX_TRIES:
        _mark(candidate.id, status="failed", last_error=error[:200])
        report.failed += 1
        log.error(
            "message %s to %s failed for good: %s", candidate.id, masked(candidate.recipient), error
        )
        return
    pause = timedelta(minutes=min(2 ** (tries - 1), 30))
    _mark(
        candidate.id,
        status="pending",
        claimed_by=None,
        last_error=error[:200],
        next_attempt_at=clock.now() + pause,
    )
    report.deferred += 1
    report.errors.append(error)
    log.warning(
        "message %s to %s deferred %s: %s", candidate.id, masked(candidate.recipient), pause, error
    )


def _mark(message_id: uuid.UUID, **values) -> None:
    db.session.execute(update(Message).where(Message.id == message_id).values(**values))
    db.session.commit()


@dataclass(frozen=True)
class Notice:
    """A staff notice as a phone shows it: its text in the reader's language."""

    id: uuid.UUID
    kind: str
    text: str
    participant_id: uuid.UUID | None
    department_id: uuid.UUID
    sent_at: datetime | None
    participant: ParticipantName | None = None


def _as_read(message: Message, participant: ParticipantName | None) -> Notice:
    # Messages queued before their facts were kept say what they said then.
    text = wording.text(message.kind, message.facts, texts()) if message.facts else message.text
    return Notice(
        message.id,
        message.kind,
        text,
        message.participant_id,
        message.department_id,
        message.sent_at,
        participant,
    )


def staff_notices(actor, department_ids, since, limit=100) -> list[Notice]:
    """Notices for the actor's phones to show (GET /notifications): the newest first, or,
    with ``since``, those sent after it oldest first, so a phone catching up after a
    morning offline pages forward by the last ``sent_at`` it got and misses none. They
    name participants, so reading them is in the access log."""
    stmt = (
        select(Message)
        .where(
            Message.channel == "staff",
            Message.status == "sent",
            Message.organisation_id == actor.organisation_id,
            scope.department_clause(actor, Message.department_id),
        )
        .limit(limit)
    )
    if department_ids:
        # A department the actor does not see is 404, as everywhere else it is named.
        seen = [scope.get_department(actor, department_id).id for department_id in department_ids]
        stmt = stmt.where(Message.department_id.in_(seen))
    if since:
        stmt = stmt.where(Message.sent_at > since).order_by(Message.sent_at, Message.id)
    else:
        stmt = stmt.order_by(Message.sent_at.desc(), Message.id)
    notices = list(db.session.scalars(stmt))
    about = [n.participant_id for n in notices if n.participant_id]
    access_log.record(actor, about, AccessAction.LIST, "notification")
    by_id = names.participant_names(about)
    db.session.commit()
    return [_as_read(notice, by_id.get(notice.participant_id)) for notice in notices]
