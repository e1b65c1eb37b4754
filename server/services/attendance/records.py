"""Attendance (oppmøte): one record per participant and local date, written by phones
that retry, go offline and race each other.

The write rule, in one place. Every client id keeps the body it last sent (and when the
user made that change on the phone, ``recorded_at``); the day's record is computed from
the latest body of every id written for that day (shared/attendance_rule.py, the phone's
rule too):
- the earliest check-in and the latest check-out of all ids survive;
- the status (and absence reason) of the most recently recorded body wins;
- every id's note is kept, side by side.
So the same id with the same body again changes nothing (200); the same id with another
body is a correction that replaces what that id said (the earlier values of the record go
to the history); another id for a day that already has a record joins it (200 with the
surviving record). The result does not depend on the order in which writes arrive.
Concurrent writes for the same day meet at the database's unique constraint; the loser
retries and joins, and joining locks the day's record, so no phone sees the race.

An id can be withdrawn (a mistaken tap undone): the record is computed again from the
other ids, and removed when none is left. The id stays, marked, so a late repeat of what
it said (the same body, or one recorded no later) is answered 410 and changes nothing;
only a body recorded after the one withdrawn (without ``recorded_at``: another body)
brings it back, as a correction would.

The day's first write, by far the most frequent, inserts the record, the write and the
access-log row together. Where that is one statement (PostgreSQL) it runs outside a
transaction, on the driver (``storage/autocommit.py`` says what that buys); anything else
runs in one.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from server import clock
from server.database import db
from server.models import AccessLogEntry, Attendance, AttendanceWrite, Participant
from server.services.attendance.expected import in_programme
from server.services.common import access_log, history, names, periods, scope
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Gone, Invalid, NotFound
from server.services.storage import autocommit, retries, together
from server.services.storage.paging import Window, one_page
from shared import attendance_rule
from shared.i18n import gettext
from shared.vocab import AbsenceReason, AccessAction, AttendanceStatus

RESOURCE = "attendance"
LIST = "attendance_list"  # a department's day (the hourly list-read rule: access_log.py)
FIELDS = ("status", "absence_reason", "check_in_at", "check_out_at", "note")
# How many client ids one day's record may gather. A day sees a check-in, a check-out, an
# absence from a wake-up call and a few corrections from two or three phones; far more is
# a phone gone wrong, and every id makes the day's record costlier to compute.
MAX_WRITES_PER_DAY = 50


@dataclass
class WriteResult:
    record: Attendance
    created: bool


def _as_stored(body: dict) -> tuple[dict, datetime]:
    """The body as a write id keeps it (JSON), and when the user made it."""
    stored = {field: history.plain(v) for field, v in body.items() if field != "recorded_at"}
    return stored, body.get("recorded_at") or clock.now()


def _validate(participant: Participant, body: dict, timezone: str) -> None:
    """The rules a single write must keep, whatever is stored already."""
    day: date = body["date"]
    now = clock.now()
    errors: dict[str, str] = {}
    if day > clock.local_date(now, timezone):
        errors["date"] = gettext("Must not be in the future.")
    elif not in_programme(participant, day):
        errors["date"] = gettext("The participant was not in the programme that day.")
    for field in ("check_in_at", "check_out_at"):
        moment = body.get(field)
        if moment is None:
            continue
        if moment > now + retries.CLOCK_SKEW:
            errors[field] = gettext("Must not be in the future.")
        elif clock.local_date(moment, timezone) != day:
            errors[field] = gettext("Must be on the attendance date (local time).")
    check_in, check_out = body.get("check_in_at"), body.get("check_out_at")
    if check_in and check_out and check_out < check_in:
        errors["check_out_at"] = gettext("Must not be before the check-in.")
    recorded_at = body.get("recorded_at")
    if recorded_at and recorded_at > now + retries.CLOCK_SKEW:
        errors["recorded_at"] = gettext("Must not be in the future.")
    if body["status"] == AttendanceStatus.ABSENT and not body.get("absence_reason"):
        errors["absence_reason"] = gettext("Give a reason for the absence.")
    if body["status"] == AttendanceStatus.PRESENT and body.get("absence_reason"):
        errors["absence_reason"] = gettext("Only an absence has a reason.")
    if errors:
        raise Invalid(errors)


def _recompute(record: Attendance, bodies: list, written=None) -> None:
    """The record as the latest body of each of the day's write ids makes it (the rule is
    shared/attendance_rule.py, which the phone follows too).

    ``bodies`` are the day's writes (id, body, recorded_at). ``written``, the body that
    has just been written, may not put its check-out before the day's check-in or its
    check-in after the day's check-out (422), as it may not within itself; a clash that
    no single write made (another id's check-in taken back) drops the check-out.
    """
    day = attendance_rule.combine(bodies)
    if day.clash and written is not None:
        if written.get("check_out_at"):
            raise Invalid({"check_out_at": gettext("Must not be before the day's check-in.")})
        if written.get("check_in_at"):
            raise Invalid({"check_in_at": gettext("Must not be after the day's check-out.")})
    record.status = AttendanceStatus(day.status)
    record.absence_reason = AbsenceReason(day.absence_reason) if day.absence_reason else None
    record.status_recorded_at = day.status_recorded_at
    record.check_in_at = day.check_in_at
    record.check_out_at = day.check_out_at
    record.note = day.note


# The participant, the day's record, and the participant and day of this write id if it
# was written before.
_LOOKUP = scope.ParticipantFacts(
    Attendance.id.label("day_record_id"),
    AttendanceWrite.id.label("known_write_id"),
    AttendanceWrite.participant_id.label("write_participant_id"),
    AttendanceWrite.date.label("write_date"),
    outerjoins=[
        (
            Attendance,
            and_(Attendance.participant_id == Participant.id, Attendance.date == bindparam("day")),
        ),
        (AttendanceWrite, AttendanceWrite.id == bindparam("write_id")),
    ],
)


def _writes_of(record: Attendance) -> list:
    """The day's writes that count (not withdrawn) as plain rows (id, body, recorded_at):
    the record is computed from them on every write, so they are read without building
    an object for each."""
    return db.session.execute(
        select(AttendanceWrite.id, AttendanceWrite.body, AttendanceWrite.recorded_at).where(
            AttendanceWrite.attendance_id == record.id, AttendanceWrite.withdrawn_at.is_(None)
        )
    ).all()


def _count_writes(participant_id: uuid.UUID, day: date) -> int:
    """Every id the day has gathered, the withdrawn ones too."""
    return db.session.scalar(
        select(func.count()).where(
            AttendanceWrite.participant_id == participant_id, AttendanceWrite.date == day
        )
    )


def _locked(record_id: uuid.UUID) -> Attendance | None:
    """The day's record, locked until this transaction ends (FOR UPDATE on PostgreSQL), so
    two phones merging at once cannot lose each other's check-in; None when the last id
    of the day was withdrawn since it was looked up."""
    return db.session.get(Attendance, record_id, with_for_update=True, populate_existing=True)


def _locked_write(write_id: uuid.UUID) -> AttendanceWrite | None:
    return db.session.get(AttendanceWrite, write_id, with_for_update=True, populate_existing=True)


def _brought_back(write: AttendanceWrite, body: dict, stored: dict, recorded_at) -> bool:
    """Whether a write to a withdrawn id is a new decision rather than a late repeat:
    recorded after the body withdrawn, or (without ``recorded_at``) another body."""
    if "recorded_at" in body:
        return recorded_at > write.recorded_at
    return stored != write.body


def _checked(actor: Actor, write_id: uuid.UUID, body: dict, connection: Connection):
    """The participant (404 if out of the actor's scope) with the day's record and the
    record of this write id, once the write keeps the rules (422 otherwise)."""
    found = _LOOKUP.find(
        actor, body["participant_id"], connection, day=body["date"], write_id=write_id
    )
    _validate(found, body, found.timezone)
    return found


def apply_write(
    actor: Actor, write_id: uuid.UUID, body: dict, bring_back: bool = False
) -> WriteResult:
    """The write rule, inside the caller's transaction (the caller commits).
    ``bring_back``: a withdrawn id is written again whatever it carries (a correction made
    on purpose, such as a corrected wake-up attempt's absence)."""
    found = _checked(actor, write_id, body, db.session.connection())
    stored, recorded_at = _as_stored(body)

    if found.known_write_id is not None and (
        found.write_participant_id != found.id or found.write_date != body["date"]
    ):
        raise Conflict(gettext("This id belongs to another participant or day."))
    if found.day_record_id is None and found.known_write_id is None:
        record = _create(db.session.connection(), actor, found, write_id, body, stored, recorded_at)
        return WriteResult(record, created=True)

    record = _locked(found.day_record_id) if found.day_record_id is not None else None
    write = _locked_write(write_id)
    if write is not None and write.withdrawn_at is not None:
        if not (bring_back or _brought_back(write, body, stored, recorded_at)):
            raise Gone(gettext("This write was withdrawn. Record the day again with a new id."))
    elif write is not None:
        same_time = "recorded_at" not in body or write.recorded_at == recorded_at
        if write.body == stored and same_time:
            access_log.record(actor, [found.id], AccessAction.READ, RESOURCE)
            return WriteResult(record, created=False)
    if record is None:
        # The day has no record (any more): this write makes it again.
        if write is None:
            connection = db.session.connection()
            record = _create(connection, actor, found, write_id, body, stored, recorded_at)
        else:
            record = _recreate(actor, found, write, body, stored, recorded_at)
        return WriteResult(record, created=True)
    if write is None:
        if _count_writes(found.id, body["date"]) >= MAX_WRITES_PER_DAY:
            raise Invalid(
                {
                    "date": gettext(
                        "This day has {n} writes already: correct one of them instead."
                    ).format(n=MAX_WRITES_PER_DAY)
                }
            )
        write = AttendanceWrite(id=write_id, participant_id=found.id, date=body["date"])
        db.session.add(write)
    _keep(write, record.id, stored, recorded_at)
    db.session.flush()
    before = history.snapshot(record, FIELDS)
    _recompute(record, _writes_of(record), written=stored)
    return _updated(actor, record, before)


def _keep(write: AttendanceWrite, record_id: uuid.UUID, stored: dict, recorded_at) -> None:
    """What the id says now, counting for the day's record."""
    write.attendance_id, write.withdrawn_at = record_id, None
    write.body, write.recorded_at, write.written_at = stored, recorded_at, clock.now()


def _recreate(actor: Actor, found, write: AttendanceWrite, body, stored, recorded_at):
    """The day's record again, from a withdrawn id brought back to a day that has none."""
    record = Attendance(**_record_values(actor, found, write.id, body, recorded_at))
    db.session.add(record)
    db.session.flush()  # the write refers to it
    _keep(write, record.id, stored, recorded_at)
    access_log.record(actor, [found.id], AccessAction.CREATE, RESOURCE)
    return record


def withdraw(actor: Actor, write_id: uuid.UUID) -> None:
    """DELETE /attendance/{id}: take back what a write id said (see the module's rule).
    Withdrawing it again changes nothing; an id never written, or about a participant the
    actor does not see, is 404."""
    retries.with_retries(lambda: _withdraw_seen(actor, write_id))


def _withdraw_seen(actor: Actor, write_id: uuid.UUID) -> None:
    seen = db.session.scalar(
        scope.of_visible_participants(
            actor, select(AttendanceWrite.id), AttendanceWrite.participant_id
        ).where(AttendanceWrite.id == write_id)
    )
    if seen is None:
        raise NotFound(gettext("Attendance record not found."))
    withdraw_write(actor, write_id)


def withdraw_write(actor: Actor, write_id: uuid.UUID) -> None:
    """Take back what one write id said (the caller commits): the record is computed again
    from the others, or removed when none are left. The history keeps what it was. An id
    unknown or withdrawn already changes nothing."""
    write = db.session.get(AttendanceWrite, write_id)
    if write is None or write.withdrawn_at is not None:
        return
    record = _locked(write.attendance_id)
    write = _locked_write(write_id)  # as it is once the day is ours
    if record is None or write.withdrawn_at is not None:
        return
    before = history.snapshot(record, FIELDS)
    write.withdrawn_at = clock.now()
    db.session.flush()
    writes = _writes_of(record)
    if writes:
        _recompute(record, writes)
        _updated(actor, record, before)
        return
    db.session.execute(
        update(AttendanceWrite)
        .where(AttendanceWrite.attendance_id == record.id)
        .values(attendance_id=None)
    )
    db.session.delete(record)
    history.record_change(
        actor,
        RESOURCE,
        record.id,
        before,
        dict.fromkeys(FIELDS),
        participant_id=record.participant_id,
    )
    access_log.record(actor, [record.participant_id], AccessAction.UPDATE, RESOURCE)


def _create(
    connection: Connection, actor: Actor, participant, write_id, body, stored, recorded_at
) -> Attendance:
    """The day's first record, its write and the access-log row, inserted together."""
    values = _record_values(actor, participant, write_id, body, recorded_at)
    write = {
        "id": write_id,
        "attendance_id": write_id,
        "participant_id": participant.id,
        "date": body["date"],
        "body": stored,
        "recorded_at": recorded_at,
        "written_at": values["created_at"],
    }
    logged = access_log.entry(actor, participant.id, AccessAction.CREATE, RESOURCE)
    together.insert_rows(
        connection,
        [
            (Attendance.__table__, values),
            (AttendanceWrite.__table__, write),
            (AccessLogEntry.__table__, logged),
        ],
    )
    return Attendance(**values)


def _record_values(actor: Actor, participant, record_id, body: dict, recorded_at) -> dict:
    """A new record, as the one write it is made from says."""
    now = clock.now()
    return {
        "id": record_id,
        "organisation_id": participant.organisation_id,
        "participant_id": participant.id,
        "department_id": participant.department_id,
        "date": body["date"],
        **{field: body.get(field) for field in FIELDS},
        "status_recorded_at": recorded_at,
        "created_by_id": actor.user_id,
        "updated_by_id": actor.user_id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def _updated(actor: Actor, record: Attendance, before: dict) -> WriteResult:
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
    access_log.record(actor, [record.participant_id], AccessAction.UPDATE, RESOURCE)
    return WriteResult(record, created=False)


def _first_write_alone(actor: Actor, write_id: uuid.UUID, body: dict) -> WriteResult | None:
    """The day's first write outside a transaction, where its insert is one statement;
    None when the day or the id has a record already, or the insert met one made at the
    same moment: that is for the write rule, in a transaction (which looks again)."""
    if autocommit.transaction_open() or not together.atomic_alone(db.engine):
        return None
    with autocommit.connection() as connection:
        found = _checked(actor, write_id, body, connection)
        if found.day_record_id is not None or found.known_write_id is not None:
            return None
        try:
            record = _create(connection, actor, found, write_id, body, *_as_stored(body))
        except IntegrityError:
            return None
    return WriteResult(record, created=True)


def write(actor: Actor, write_id: uuid.UUID, body: dict) -> WriteResult:
    """PUT /attendance/{id}: create, repeat, correct or merge (see the module's rule)."""
    return _first_write_alone(actor, write_id, body) or retries.with_retries(
        lambda: apply_write(actor, write_id, body)
    )


def _resolve(actor: Actor, attendance_id: uuid.UUID) -> Attendance:
    """A record by its id or by any client id merged into it, if the actor sees it."""
    write = db.session.get(AttendanceWrite, attendance_id)
    record_id = write.attendance_id if write else attendance_id
    if record_id is None:  # an id withdrawn with the day's record
        raise NotFound(gettext("Attendance record not found."))
    record = db.session.scalars(
        scope.of_visible_participants(actor, select(Attendance), Attendance.participant_id).where(
            Attendance.id == record_id
        )
    ).first()
    if record is None:
        raise NotFound(gettext("Attendance record not found."))
    return record


@dataclass(frozen=True)
class Detail:
    """A record with its history of corrections, oldest first."""

    record: Attendance
    history: list


def get(actor: Actor, attendance_id: uuid.UUID) -> Detail:
    """One record with its history of corrections, oldest first."""
    record = _resolve(actor, attendance_id)
    changes = history.for_entity(RESOURCE, record.id)
    access_log.record(actor, [record.participant_id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return Detail(record, changes)


def list_records(actor: Actor, filters: dict, window: Window):
    """By department and a date or a period (the department's records, also of
    participants who have since moved: a list read), or by participant and period (a read
    of the participant, logged each time, even when the period holds no record)."""
    stmt = select(Attendance).join(Participant, Participant.id == Attendance.participant_id)
    participant = None
    if filters.get("participant_id"):
        participant = scope.get_participant(actor, filters["participant_id"])
        stmt = stmt.where(Attendance.participant_id == participant.id)
        if filters.get("date_from"):
            stmt = stmt.where(Attendance.date >= filters["date_from"])
        if filters.get("date_to"):
            stmt = stmt.where(Attendance.date <= filters["date_to"])
    elif filters.get("date") and (filters.get("date_from") or filters.get("date_to")):
        raise Invalid({"date": gettext("Give either date, or from and to, not both.")})
    elif filters.get("department_id") and (
        filters.get("date") or (filters.get("date_from") and filters.get("date_to"))
    ):
        department = scope.get_department(actor, filters["department_id"])
        first_day = filters.get("date") or filters["date_from"]
        last_day = filters.get("date") or filters["date_to"]
        periods.check(first_day, last_day)
        stmt = stmt.where(
            Attendance.department_id == department.id,
            Attendance.date >= first_day,
            Attendance.date <= last_day,
        )
    else:
        raise Invalid(
            {
                "_query": gettext(
                    "Give department_id with date or with from and to, or participant_id "
                    "(with from and to)."
                )
            }
        )
    items, total = one_page(stmt, window, Attendance.date, Participant.last_name, Attendance.id)
    if participant is not None:  # one participant's records: a read, logged each time
        access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    else:
        access_log.record(actor, [r.participant_id for r in items], AccessAction.LIST, LIST)
    db.session.commit()
    return items, total


@dataclass(frozen=True)
class DayRecord:
    """A participant's day as a correction page shows it: the record (None when nothing is
    recorded), its corrections oldest first, and the names of the staff in them."""

    participant: Participant
    day: date
    record: Attendance | None
    history: list
    people: dict[uuid.UUID, str]
    # The participant's local date and time zone: check-in and check-out are local times.
    today: date
    timezone: str
    # The note the actor's own corrections of the day keep (see ``correct_day``), if any.
    own_note: str | None = None

    @property
    def future(self) -> bool:
        return self.day > self.today

    @property
    def version(self) -> int:
        """The record's version, 0 while nothing is recorded: what a correction is made
        from (``correct_day``)."""
        return self.record.version if self.record is not None else 0


def day_record(actor: Actor, participant_id: uuid.UUID, day: date) -> DayRecord:
    """The participant's record of ``day`` with its history (404 for a participant the
    actor does not see; a day with no record is no error)."""
    participant = scope.get_participant(actor, participant_id)
    timezone = participant.department.effective_timezone
    record = db.session.scalars(
        select(Attendance).where(
            Attendance.participant_id == participant.id, Attendance.date == day
        )
    ).first()
    changes = history.for_entity(RESOURCE, record.id) if record else []
    people = names.staff_names(
        [change.user_id for change in changes]
        + ([record.created_by_id, record.updated_by_id] if record else [])
    )
    own = db.session.get(AttendanceWrite, office_write_id(participant.id, day, actor.user_id))
    own_note = own.body.get("note") if own is not None and own.withdrawn_at is None else None
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    today = clock.local_today(timezone)
    return DayRecord(participant, day, record, changes, people, today, timezone, own_note)


# The client ids of the office's corrections of a day: one per participant, day and staff
# member, made from them. A second correction by the same person replaces their first (a
# correction of the same id, see the module's rule); another person's correction joins
# the day as another phone's write would, so each one's note is kept beside the others'.
OFFICE_WRITES = uuid.UUID("6f1c2a4e-8d0b-4c55-9a57-3e1f0b7d2c90")


def office_write_id(participant_id: uuid.UUID, day: date, user_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(OFFICE_WRITES, f"{participant_id}:{day.isoformat()}:{user_id}")


def correct_day(
    actor: Actor, participant_id: uuid.UUID, day: date, data: dict, version: int | None = None
) -> WriteResult:
    """A correction of the day from a desk: ``data`` holds the status, the absence reason,
    the check-in and check-out as local times of the day (``check_in``, ``check_out``) and
    the actor's own note. Written by the write rule under the actor's own id for the day,
    as the phone's writes are (the same checks, the history kept); recorded now, so its
    status is the day's.

    ``version`` is the version of the day's record the correction was made from (0: none
    was recorded). When the record has another by now (someone, a phone or a person,
    changed the day meanwhile), nothing is written: ``Conflict``, whose details hold the
    version stored now."""
    found = _LOOKUP.find(actor, participant_id, day=day, write_id=None)
    zone = ZoneInfo(found.timezone)

    def moment(value: time | None) -> datetime | None:
        return datetime.combine(day, value, zone) if value is not None else None

    body = {
        "participant_id": found.id,
        "date": day,
        "status": data["status"],
        "absence_reason": data.get("absence_reason"),
        "check_in_at": moment(data.get("check_in")),
        "check_out_at": moment(data.get("check_out")),
        "note": data.get("note"),
    }
    write_id = office_write_id(found.id, day, actor.user_id)

    def correct() -> WriteResult:
        if version is not None:
            _check_version(found.id, day, version)
        return apply_write(actor, write_id, body, bring_back=True)

    try:
        return retries.with_retries(correct)
    except Conflict:
        db.session.rollback()
        raise


def _check_version(participant_id: uuid.UUID, day: date, version: int) -> None:
    """Conflict unless the day's record (locked until the write is done) is at
    ``version``, 0 meaning no record."""
    stored = db.session.scalar(
        select(Attendance.version)
        .where(Attendance.participant_id == participant_id, Attendance.date == day)
        .with_for_update()
    )
    if (stored or 0) != version:
        raise Conflict(
            gettext("The day was changed after you opened it, so nothing was saved."),
            details={"version": stored or 0},
        )
