"""Attendance (oppmøte): one record per participant and local date, written by phones
that retry, go offline and race each other.

The write rule, in one place:
- the same client id with the same body again changes nothing and answers 200;
- the same id with another body is a correction: the fields that differ from what that id
  sent before are set on the record (so what other phones merged in stays), and the
  earlier values are kept in the history;
- another id for a day that already has a record merges into it: the earliest check-in
  and the latest check-out survive, the newest status wins (by when it was recorded on the
  phone), and notes are kept side by side. The answer is the surviving record.
Concurrent writes for the same day meet at the database's unique constraint; the loser
retries and merges, so the caller never sees the race.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from server import clock
from server.extensions import db
from server.models import Attendance, AttendanceWrite, Participant
from server.models.base import utcnow
from server.security import Actor
from server.services import access_log, history, scope
from server.services.errors import Conflict, Invalid, NotFound
from server.services.pages import Window, fetch
from shared.vocab import AccessAction, AttendanceStatus

RESOURCE = "attendance"
FIELDS = ("status", "absence_reason", "check_in_at", "check_out_at", "note")
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
RETRIES = 3


@dataclass
class WriteResult:
    record: Attendance
    created: bool


def _as_json(body: dict) -> dict:
    return {field: history.plain(value) for field, value in body.items()}


def _validate(participant: Participant, body: dict, timezone: str) -> None:
    """The rules a single write must keep, whatever is stored already."""
    day: date = body["date"]
    now = clock.now()
    errors: dict[str, str] = {}
    if day > clock.local_date(now, timezone):
        errors["date"] = "Must not be in the future."
    elif day < participant.start_date or (participant.end_date and day > participant.end_date):
        errors["date"] = "The participant was not in the programme that day."
    for field in ("check_in_at", "check_out_at"):
        moment = body.get(field)
        if moment is None:
            continue
        if moment > now + CLOCK_SKEW:
            errors[field] = "Must not be in the future."
        elif clock.local_date(moment, timezone) != day:
            errors[field] = "Must be on the attendance date (local time)."
    check_in, check_out = body.get("check_in_at"), body.get("check_out_at")
    if check_in and check_out and check_out < check_in:
        errors["check_out_at"] = "Must not be before the check-in."
    recorded_at = body.get("recorded_at")
    if recorded_at and recorded_at > now + CLOCK_SKEW:
        errors["recorded_at"] = "Must not be in the future."
    if body["status"] == AttendanceStatus.ABSENT and not body.get("absence_reason"):
        errors["absence_reason"] = "Give a reason for the absence."
    if body["status"] == AttendanceStatus.PRESENT and body.get("absence_reason"):
        errors["absence_reason"] = "Only an absence has a reason."
    if errors:
        raise Invalid(errors)


def _set(record: Attendance, body: dict, recorded_at: datetime) -> None:
    for field in FIELDS:
        setattr(record, field, body.get(field))
    record.status_recorded_at = recorded_at


def _correct(record: Attendance, before: dict, body: dict, recorded_at: datetime) -> None:
    """Apply what this id's new body changed compared with its previous one."""
    new = _as_json(body)
    changed = {field for field in FIELDS if new.get(field) != before.get(field)}
    if changed & {"status", "absence_reason"}:
        record.status = body["status"]
        record.absence_reason = body.get("absence_reason")
        record.status_recorded_at = recorded_at
    for field in changed - {"status", "absence_reason"}:
        setattr(record, field, body.get(field))
    if record.check_in_at and record.check_out_at and record.check_out_at < record.check_in_at:
        raise Invalid({"check_out_at": "Must not be before the day's check-in."})


def _merge(record: Attendance, body: dict, recorded_at: datetime) -> None:
    check_ins = [t for t in (record.check_in_at, body.get("check_in_at")) if t]
    check_outs = [t for t in (record.check_out_at, body.get("check_out_at")) if t]
    record.check_in_at = min(check_ins, default=None)
    record.check_out_at = max(check_outs, default=None)
    if recorded_at >= record.status_recorded_at:
        record.status = body["status"]
        record.absence_reason = body.get("absence_reason")
        record.status_recorded_at = recorded_at
    note = body.get("note")
    if note and note not in (record.note or ""):
        record.note = f"{record.note}\n{note}" if record.note else note
    if record.check_in_at and record.check_out_at and record.check_out_at < record.check_in_at:
        raise Invalid({"check_out_at": "Must not be before the day's check-in."})


# The participant, the day's record and the record this write id already belongs to.
_LOOKUP = scope.ParticipantFacts(
    Attendance.id.label("day_record_id"),
    AttendanceWrite.attendance_id.label("write_record_id"),
    outerjoins=[
        (
            Attendance,
            and_(Attendance.participant_id == Participant.id, Attendance.date == bindparam("day")),
        ),
        (AttendanceWrite, AttendanceWrite.id == bindparam("write_id")),
    ],
)
_INSERT_RECORD = insert(Attendance.__table__)
_INSERT_WRITE = insert(AttendanceWrite.__table__)


def _locked(record_id: uuid.UUID) -> Attendance:
    """The day's record, locked until this transaction ends (FOR UPDATE on PostgreSQL), so
    two phones merging at once cannot lose each other's check-in."""
    return db.session.get(Attendance, record_id, with_for_update=True, populate_existing=True)


def apply_write(actor: Actor, write_id: uuid.UUID, body: dict) -> WriteResult:
    """The write rule, inside the caller's transaction (the caller commits)."""
    found = _LOOKUP.fetch(actor, body["participant_id"], day=body["date"], write_id=write_id)
    _validate(found, body, found.timezone)
    recorded_at = body.get("recorded_at") or utcnow()
    stored = {k: v for k, v in body.items() if k != "recorded_at"}

    if found.write_record_id is not None:
        if found.write_record_id != found.day_record_id:
            raise Conflict("This id belongs to another participant or day.")
        write = db.session.get(AttendanceWrite, write_id)
        record = _locked(found.day_record_id)
        if write.body == _as_json(stored):
            access_log.record(actor, [found.id], AccessAction.READ, RESOURCE)
            return WriteResult(record, created=False)
        before = history.snapshot(record, FIELDS)
        _correct(record, write.body, stored, recorded_at)
        write.body, write.written_at = _as_json(stored), utcnow()
        return _finish(actor, record, before, created=False)

    if found.day_record_id is not None:
        record = _locked(found.day_record_id)
        before = history.snapshot(record, FIELDS)
        _merge(record, stored, recorded_at)
        db.session.add(AttendanceWrite(id=write_id, attendance_id=record.id, body=_as_json(stored)))
        return _finish(actor, record, before, created=False)

    record = _create(actor, found, write_id, stored, recorded_at)
    return _finish(actor, record, None, created=True)


def _create(actor: Actor, participant, write_id: uuid.UUID, stored: dict, recorded_at):
    """The day's first record, inserted with Core: the common case, kept cheap."""
    now = utcnow()
    values = {
        "id": write_id,
        "organisation_id": participant.organisation_id,
        "participant_id": participant.id,
        "department_id": participant.department_id,
        "date": stored["date"],
        **{field: stored.get(field) for field in FIELDS},
        "status_recorded_at": recorded_at,
        "created_by_id": actor.user_id,
        "updated_by_id": actor.user_id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    connection = db.session.connection()
    connection.execute(_INSERT_RECORD, values)
    connection.execute(
        _INSERT_WRITE,
        {"id": write_id, "attendance_id": write_id, "body": _as_json(stored), "written_at": now},
    )
    return Attendance(**values)


def _finish(actor: Actor, record: Attendance, before: dict | None, created: bool):
    if before is not None:
        changes = history.record_change(
            actor,
            RESOURCE,
            record.id,
            before,
            history.snapshot(record, FIELDS),
            participant_id=record.participant_id,
        )
        if changes:
            record.updated_by_id = actor.user_id
            record.version += 1
    for hook in AFTER_WRITE:
        hook(actor, record)
    action = AccessAction.CREATE if created else AccessAction.UPDATE
    access_log.record(actor, [record.participant_id], action, RESOURCE)
    return WriteResult(record, created)


# Called inside the write's transaction with the surviving record (wake-up calls use it).
AFTER_WRITE: list = []


def write(actor: Actor, write_id: uuid.UUID, body: dict) -> WriteResult:
    """PUT /attendance/{id}: create, repeat, correct or merge (see the module's rule)."""
    return with_retries(lambda: apply_write(actor, write_id, body))


def with_retries(operation):
    """Run ``operation`` and commit; when a concurrent request wrote the same day or id
    first (the unique constraint says so), roll back and run it again: it then merges."""
    for attempt in range(RETRIES):
        try:
            result = operation()
            db.session.commit()
            return result
        except IntegrityError:
            # Another request wrote the same day or the same id first: merge into it.
            db.session.rollback()
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _resolve(actor: Actor, attendance_id: uuid.UUID) -> Attendance:
    """A record by its id or by any client id merged into it, if the actor sees it."""
    write = db.session.get(AttendanceWrite, attendance_id)
    record_id = write.attendance_id if write else attendance_id
    record = db.session.scalars(
        select(Attendance)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(
            Attendance.id == record_id,
            Participant.organisation_id == actor.organisation_id,
            scope.department_clause(actor, Participant.department_id),
        )
    ).first()
    if record is None:
        raise NotFound("Attendance record not found.")
    return record


def get(actor: Actor, attendance_id: uuid.UUID) -> tuple[Attendance, list]:
    """One record with its history of corrections, oldest first."""
    record = _resolve(actor, attendance_id)
    changes = history.for_entity(RESOURCE, record.id)
    access_log.record(actor, [record.participant_id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return record, changes


def list_records(actor: Actor, filters: dict, window: Window):
    """By department and date, or by participant and period."""
    stmt = select(Attendance).join(Participant, Participant.id == Attendance.participant_id)
    if filters.get("participant_id"):
        participant = scope.get_participant(actor, filters["participant_id"])
        stmt = stmt.where(Attendance.participant_id == participant.id)
        if filters.get("date_from"):
            stmt = stmt.where(Attendance.date >= filters["date_from"])
        if filters.get("date_to"):
            stmt = stmt.where(Attendance.date <= filters["date_to"])
    elif filters.get("department_id") and filters.get("date"):
        department = scope.get_department(actor, filters["department_id"])
        stmt = stmt.where(
            Attendance.department_id == department.id, Attendance.date == filters["date"]
        )
    else:
        raise Invalid(
            {"_query": "Give department_id and date, or participant_id (with from and to)."}
        )
    stmt = stmt.where(
        Participant.organisation_id == actor.organisation_id,
        scope.department_clause(actor, Participant.department_id),
    )
    items, total = fetch(stmt, window, Attendance.date, Participant.last_name, Attendance.id)
    access_log.record(actor, [r.participant_id for r in items], AccessAction.LIST, RESOURCE)
    db.session.commit()
    return items, total
