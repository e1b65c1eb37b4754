"""Responsibility-group meetings (ansvarsgruppemøter): the group, the meeting, its minutes,
decisions and action items.

Leaders plan and write up meetings; every staff member of the participant's department
reads them and ticks off action items. The group's members are outside contacts kept per
participant: a meeting names its members, and that list becomes the group the next meeting
starts with. Edits need If-Match, so two people writing the minutes at once never overwrite
each other: the second gets 412 with the meeting as it is now, to merge from. The minutes
are sensitive: only the staff of the participant's department read or write them, and
lists never carry them.
"""

import uuid
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from server import clock
from server.database import db
from server.models import GroupMember, Meeting, MeetingAction, MeetingMember, Participant
from server.services.common import access_log, history, scope, security_events
from server.services.common import versions as etags
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Invalid, NotFound, PreconditionFailed
from server.services.organisation import departments as organisation
from server.services.storage import paging as pages
from server.services.storage import retries as writes
from server.services.storage.paging import Window
from shared.vocab import AccessAction, MeetingStatus, ParticipantStatus, SecurityEventType

RESOURCE = "meeting"
FIELDS = (
    "scheduled_at",
    "location",
    "agenda",
    "status",
    "minutes",
    "decisions",
    "next_meeting_at",
)
MEMBER_FIELDS = ("name", "organisation", "role", "phone", "email")
ACTION_FIELDS = ("description", "responsible", "due_date", "done")


class Stale(PreconditionFailed):
    """412 for a meeting changed since it was read; ``current`` is the meeting as it is."""

    def __init__(self, current: dict, etag: str):
        super().__init__(
            "The meeting was changed since you read it. Merge your changes into the current "
            "version (in 'current') and send them with its ETag.",
            current_etag=etag,
        )
        self.current = current


def etag(meeting: Meeting) -> str:
    """The meeting's version rises with every change to it or its action items (``_touch``),
    so the ETag covers everything the meeting shows."""
    return etags.etag_of(RESOURCE, meeting.id, meeting.version)


def _touch(meeting: Meeting) -> None:
    """An action item of the meeting changed: the meeting's version (and ETag) rises."""
    meeting.updated_at = clock.now()
    flag_modified(meeting, "updated_at")  # written even when the clock has not moved


# --------------------------------------------------------------------------------------
# The group


def group(actor: Actor, participant_id: uuid.UUID) -> list[GroupMember]:
    """The participant's responsibility group as it stands (the last meeting's members)."""
    participant = scope.get_participant(actor, participant_id)
    members = _group_of(participant.id)
    access_log.record(actor, [participant.id], AccessAction.READ, "group")
    db.session.commit()
    return members


def _group_of(participant_id: uuid.UUID) -> list[GroupMember]:
    return list(
        db.session.scalars(
            select(GroupMember)
            .where(GroupMember.participant_id == participant_id, GroupMember.active.is_(True))
            .order_by(GroupMember.name, GroupMember.id)
        )
    )


def _is_latest(participant_id: uuid.UUID, scheduled_at, meeting_id: uuid.UUID) -> bool:
    """Whether a meeting at ``scheduled_at`` is the participant's last one (cancelled ones
    aside): only that meeting's members are the group the next meeting starts with."""
    later = db.session.scalar(
        select(func.count(Meeting.id)).where(
            Meeting.participant_id == participant_id,
            Meeting.id != meeting_id,
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.scheduled_at > scheduled_at,
        )
    )
    return later == 0


def _members_from(participant_id: uuid.UUID, given: list[dict], is_group: bool):
    """Members for a meeting, from the body's list: an ``id`` names a member of this group
    (updated as given); a member without one is matched by name and organisation, or
    added. When the meeting is the latest (``is_group``) the list becomes the group the next
    meeting starts with; the members left out stay in the meetings they were in."""
    known = {
        member.id: member
        for member in db.session.scalars(
            select(GroupMember).where(GroupMember.participant_id == participant_id)
        )
    }
    by_name = {(m.name.casefold(), m.organisation.casefold()): m for m in known.values()}
    chosen: dict[uuid.UUID, GroupMember] = {}
    for index, data in enumerate(given):
        if data.get("id"):
            member = known.get(data["id"])
            if member is None:
                raise Invalid({"members": {index: {"id": ["Not a member of this group."]}}})
        else:
            member = by_name.get((data["name"].casefold(), data["organisation"].casefold()))
        if member is None:
            member = GroupMember(id=uuid.uuid4(), participant_id=participant_id, active=False)
            db.session.add(member)
        if member.id in chosen:
            raise Invalid({"members": {index: {"name": ["This member is listed twice."]}}})
        for field in MEMBER_FIELDS:
            if field in data:
                setattr(member, field, data[field])
        by_name[(member.name.casefold(), member.organisation.casefold())] = member
        chosen[member.id] = member
    if is_group:
        for member in known.values():
            member.active = member.id in chosen
        for member in chosen.values():
            member.active = True
    return sorted(chosen.values(), key=lambda m: (m.name, str(m.id)))


def _member_names(members) -> list[str]:
    return sorted(f"{m.name} ({m.organisation})" for m in members)


def _snapshot(meeting: Meeting) -> dict:
    """The meeting as its history records it: the fields and who was a member."""
    return {**history.snapshot(meeting, FIELDS), "members": _member_names(meeting.members)}


def _member_keys(members) -> set[tuple[str, str]]:
    """Members (stored, or as a body lists them) by case-folded name and organisation."""

    def key(member):
        get = member.get if isinstance(member, dict) else lambda f: getattr(member, f)
        return get("name").casefold(), get("organisation").casefold()

    return {key(member) for member in members}


# --------------------------------------------------------------------------------------
# Meetings


def _scoped(actor: Actor, meeting_id: uuid.UUID, *, lock: bool = False):
    """(meeting, participant) if the actor sees the participant; else 404."""
    stmt = (
        scope.of_visible_participants(actor, select(Meeting, Participant), Meeting.participant_id)
        .where(Meeting.id == meeting_id)
        .options(selectinload(Meeting.members), selectinload(Meeting.actions))
        .execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update(of=Meeting)
    row = db.session.execute(stmt).first()
    if row is None:
        raise NotFound("Meeting not found.")
    return row.Meeting, row.Participant


def view(meeting: Meeting, participant: Participant, actor: Actor) -> dict:
    minutes, withheld = scope.sensitive_text(actor, participant.department_id, meeting.minutes)
    return {
        "id": meeting.id,
        "participant": participant,
        **{field: getattr(meeting, field) for field in FIELDS if field != "minutes"},
        "minutes": minutes,
        "minutes_withheld": withheld,
        "next_meeting_id": meeting.next_meeting_id,
        "members": meeting.members,
        "actions": meeting.actions,
        "version": meeting.version,
        "updated_at": meeting.updated_at,
        "updated_by_id": meeting.updated_by_id,
    }


def get(actor: Actor, meeting_id: uuid.UUID) -> tuple[dict, str]:
    meeting, participant = _scoped(actor, meeting_id)
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return view(meeting, participant, actor), etag(meeting)


def _check_times(meeting: Meeting, participant: Participant) -> None:
    if meeting.next_meeting_at and meeting.next_meeting_at <= meeting.scheduled_at:
        raise Invalid({"next_meeting_at": "Must be after the meeting."})
    if meeting.status == MeetingStatus.HELD and meeting.scheduled_at > (
        clock.now() + writes.CLOCK_SKEW
    ):
        raise Invalid({"status": "A meeting in the future cannot have been held."})
    start = clock.local_date(meeting.scheduled_at, participant.department.effective_timezone)
    if start < participant.start_date:
        raise Invalid({"scheduled_at": "Before the participant started in the programme."})


def create(actor: Actor, participant_id: uuid.UUID, data: dict) -> tuple[dict, str, bool]:
    """POST /participants/{id}/meetings: (meeting, etag, created). A client may choose the
    id: the same request again, even at the same moment, answers with the meeting it made."""
    return writes.with_retries(lambda: _create(actor, participant_id, data))


def _create(actor: Actor, participant_id: uuid.UUID, data: dict):
    participant = scope.get_participant(actor, participant_id, *scope.MANAGERS)
    meeting_id = data.get("id") or uuid.uuid4()
    existing = db.session.get(Meeting, meeting_id)
    if existing is not None:
        return _repeated(actor, participant, existing, data)
    if participant.status == ParticipantStatus.ENDED:
        raise Conflict("The participant has ended; no new meetings can be planned.")
    if data.get("members") is None:
        members = _group_of(participant.id)
    else:
        latest = _is_latest(participant.id, data["scheduled_at"], meeting_id)
        members = _members_from(participant.id, data["members"], latest)
    meeting = Meeting(
        id=meeting_id,
        participant_id=participant.id,
        scheduled_at=data["scheduled_at"],
        location=data.get("location"),
        agenda=data.get("agenda"),
        status=MeetingStatus.PLANNED,
        created_by_id=actor.user_id,
        updated_by_id=actor.user_id,
    )
    _check_times(meeting, participant)
    db.session.add(meeting)
    db.session.flush()
    db.session.add_all(MeetingMember(meeting_id=meeting.id, member_id=m.id) for m in members)
    access_log.record(actor, [participant.id], AccessAction.CREATE, RESOURCE)
    db.session.commit()
    meeting, participant = _scoped(actor, meeting.id)
    return view(meeting, participant, actor), etag(meeting), True


def _repeated(actor: Actor, participant: Participant, existing: Meeting, data: dict):
    if existing.participant_id != participant.id:
        raise Conflict("This id belongs to another meeting.")
    meeting, participant = _scoped(actor, existing.id)
    same = (
        meeting.scheduled_at == data["scheduled_at"]
        and meeting.location == data.get("location")
        and meeting.agenda == data.get("agenda")
        and (
            data.get("members") is None
            or _member_keys(meeting.members) == _member_keys(data["members"])
        )
    )
    if not same:
        raise Conflict("A meeting with this id exists; change it with PATCH /meetings/{id}.")
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return view(meeting, participant, actor), etag(meeting), False


def update(actor: Actor, meeting_id: uuid.UUID, data: dict, if_match) -> tuple[dict, str]:
    """PATCH /meetings/{id} with If-Match: the status, minutes, decisions, next meeting, or
    the plan itself (time, place, agenda, members). The earlier values go to the history."""
    meeting, participant = _scoped(actor, meeting_id, lock=True)
    scope.require_role(actor, *scope.MANAGERS)
    if "minutes" in data:
        scope.require_works_in(actor, participant.department_id)
    current = etag(meeting)

    def stale() -> Stale:
        # The answer shows the meeting: that read is logged, though the change is refused.
        access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
        db.session.commit()
        return Stale(view(meeting, participant, actor), current)

    etags.require_match(if_match, current, stale, changes_nothing=not _would_change(meeting, data))

    # No flush until the commit: the meeting is written once and its version rises once.
    with db.session.no_autoflush:
        before = _snapshot(meeting)
        for field in FIELDS:
            if field in data:
                setattr(meeting, field, data[field])
        _check_times(meeting, participant)
        if data.get("members") is not None:
            latest = _is_latest(participant.id, meeting.scheduled_at, meeting.id)
            meeting.members = _members_from(participant.id, data["members"], latest)
        after = _snapshot(meeting)
        changes = history.record_change(actor, RESOURCE, meeting.id, before, after, participant.id)
        if changes:
            meeting.updated_by_id = actor.user_id
            meeting.updated_at = clock.now()
            if "next_meeting_at" in changes or "status" in changes:
                _follow_on(actor, meeting, participant)
    logged = AccessAction.UPDATE if changes else AccessAction.READ
    access_log.record(actor, [participant.id], logged, RESOURCE)
    db.session.commit()
    meeting, participant = _scoped(actor, meeting.id)
    return view(meeting, participant, actor), etag(meeting)


def _would_change(meeting: Meeting, data: dict) -> bool:
    """Whether a PATCH body would change the meeting; reads only, writes nothing."""
    if any(field in data and getattr(meeting, field) != data[field] for field in FIELDS):
        return True
    given = data.get("members")
    if given is None:
        return False
    stored = {member.id: member for member in meeting.members}
    by_name = {(m.name.casefold(), m.organisation.casefold()): m for m in meeting.members}
    listed = set()
    for item in given:
        if item.get("id"):
            member = stored.get(item["id"])
        else:
            member = by_name.get((item["name"].casefold(), item["organisation"].casefold()))
        if member is None or member.id in listed:
            return True
        if any(field in item and getattr(member, field) != item[field] for field in MEMBER_FIELDS):
            return True
        listed.add(member.id)
    return listed != set(stored)


def _follow_on(actor: Actor, meeting: Meeting, participant: Participant) -> None:
    """A held meeting's ``next_meeting_at`` plans the next meeting with the same members and
    place. Moving the date moves that meeting while it is still planned; when the meeting
    is no longer held or has no next date, that planned meeting is cancelled; when it was
    cancelled or held already, a new date plans a new one. Changes to it keep history."""
    following = (
        db.session.get(Meeting, meeting.next_meeting_id) if meeting.next_meeting_id else None
    )
    planned = following if following and following.status == MeetingStatus.PLANNED else None
    if meeting.status != MeetingStatus.HELD or meeting.next_meeting_at is None:
        if planned is not None:
            _change(actor, planned, participant, status=MeetingStatus.CANCELLED)
        return
    if planned is not None:
        _change(actor, planned, participant, scheduled_at=meeting.next_meeting_at)
        return
    if participant.status == ParticipantStatus.ENDED:
        return
    following = Meeting(
        id=uuid.uuid4(),
        participant_id=participant.id,
        scheduled_at=meeting.next_meeting_at,
        location=meeting.location,
        status=MeetingStatus.PLANNED,
        created_by_id=actor.user_id,
        updated_by_id=actor.user_id,
        members=list(meeting.members),
    )
    db.session.add(following)
    # Through the relationship, so the new meeting is inserted before this one points at it.
    meeting.next_meeting = following


def _change(actor: Actor, meeting: Meeting, participant: Participant, **values) -> None:
    before = history.snapshot(meeting, FIELDS)
    for field, value in values.items():
        setattr(meeting, field, value)
    after = history.snapshot(meeting, FIELDS)
    if history.record_change(actor, RESOURCE, meeting.id, before, after, participant.id):
        meeting.updated_by_id = actor.user_id


def _brief_columns():
    open_actions = (
        select(func.count(MeetingAction.id))
        .where(MeetingAction.meeting_id == Meeting.id, MeetingAction.done.is_(False))
        .correlate(Meeting)
        .scalar_subquery()
    )
    members = (
        select(func.count())
        .select_from(MeetingMember)
        .where(MeetingMember.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    return open_actions.label("open_actions"), members.label("member_count")


def _brief(meeting: Meeting, participant: Participant, open_actions: int, member_count: int):
    return {
        "id": meeting.id,
        "participant": participant,
        "scheduled_at": meeting.scheduled_at,
        "location": meeting.location,
        "status": meeting.status,
        "next_meeting_at": meeting.next_meeting_at,
        "member_count": member_count,
        "open_actions": open_actions,
        "updated_at": meeting.updated_at,
    }


def _page(actor: Actor, stmt, window: Window, *order_by):
    rows, total = pages.fetch(stmt, window, *order_by, Meeting.id, rows=True)
    items = [_brief(*row) for row in rows]
    access_log.record(
        actor, [item["participant"].id for item in items], AccessAction.LIST, RESOURCE
    )
    db.session.commit()
    return items, total


def _visible(actor: Actor):
    stmt = select(Meeting, Participant, *_brief_columns())
    return scope.of_visible_participants(actor, stmt, Meeting.participant_id)


def list_for_participant(actor: Actor, participant_id: uuid.UUID, window: Window):
    """A participant's meetings, newest first, without minutes or decisions."""
    participant = scope.get_participant(actor, participant_id)
    stmt = _visible(actor).where(Meeting.participant_id == participant.id)
    return _page(actor, stmt, window, Meeting.scheduled_at.desc())


def upcoming(actor: Actor, filters: dict, window: Window):
    """The work list: planned meetings from today on in the caller's departments, soonest
    first (a planned meeting earlier today is still listed until it is written up)."""
    zone = organisation.organisation(actor).timezone
    today = clock.local_today(zone)
    start = clock.day_start(today, zone)
    stmt = _visible(actor).where(
        Meeting.status == MeetingStatus.PLANNED,
        Meeting.scheduled_at >= start,
        Participant.status != ParticipantStatus.ENDED,
    )
    stmt = scope.in_department_filter(actor, stmt, filters)
    if filters.get("days"):
        end = clock.day_start(today + timedelta(days=filters["days"] + 1), zone)
        stmt = stmt.where(Meeting.scheduled_at < end)
    return _page(actor, stmt, window, Meeting.scheduled_at)


# --------------------------------------------------------------------------------------
# Action items


def add_action(actor: Actor, meeting_id: uuid.UUID, data: dict) -> tuple[MeetingAction, bool]:
    """POST /meetings/{id}/actions: (action, created); the client may choose the id, and
    the same request again, even at the same moment, answers with the item it made."""
    return writes.with_retries(lambda: _add_action(actor, meeting_id, data))


def _add_action(actor: Actor, meeting_id: uuid.UUID, data: dict):
    meeting, participant = _scoped(actor, meeting_id, lock=True)
    scope.require_role(actor, *scope.MANAGERS)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Conflict("The meeting was cancelled; it has no action items.")
    action_id = data.get("id") or uuid.uuid4()
    fields = {field: data.get(field) for field in ("description", "responsible", "due_date")}
    existing = db.session.get(MeetingAction, action_id)
    if existing is not None:
        if existing.meeting_id != meeting.id or any(
            getattr(existing, k) != v for k, v in fields.items()
        ):
            raise Conflict("An action item with this id exists; change it with PATCH.")
        access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
        db.session.commit()
        return existing, False
    action = MeetingAction(id=action_id, meeting_id=meeting.id, created_by_id=actor.user_id)
    for field, value in fields.items():
        setattr(action, field, value)
    db.session.add(action)
    _touch(meeting)
    access_log.record(actor, [participant.id], AccessAction.CREATE, RESOURCE)
    db.session.commit()
    return action, True


def update_action(actor: Actor, meeting_id: uuid.UUID, action_id: uuid.UUID, data: dict):
    """PATCH /meetings/{id}/actions/{action_id}: tick off (any staff member of the
    department) or change the item (leaders). The earlier values go to the history."""
    meeting, participant = _scoped(actor, meeting_id, lock=True)
    action = next((a for a in meeting.actions if a.id == action_id), None)
    if action is None:
        raise NotFound("Action item not found.")
    if set(data) - {"done"}:
        scope.require_role(actor, *scope.MANAGERS)
    before = history.snapshot(action, ACTION_FIELDS)
    for field, value in data.items():
        setattr(action, field, value)
    if "done" in data and data["done"] != before["done"]:
        action.done_at = clock.now() if data["done"] else None
        action.done_by_id = actor.user_id if data["done"] else None
    after = history.snapshot(action, ACTION_FIELDS)
    changes = history.record_change(
        actor, "meeting_action", action.id, before, after, participant.id
    )
    if changes:
        _touch(meeting)
    logged = AccessAction.UPDATE if changes else AccessAction.READ
    access_log.record(actor, [participant.id], logged, RESOURCE)
    db.session.commit()
    return action


def overdue_actions(actor: Actor, filters: dict, window: Window):
    """The work list: open action items past their due date, the oldest first."""
    today = clock.local_today(organisation.organisation(actor).timezone)
    stmt = scope.of_visible_participants(
        actor,
        select(MeetingAction, Meeting.scheduled_at, Participant).join(
            Meeting, Meeting.id == MeetingAction.meeting_id
        ),
        Meeting.participant_id,
    ).where(
        MeetingAction.done.is_(False),
        MeetingAction.due_date < today,
        Meeting.status != MeetingStatus.CANCELLED,
        Participant.status != ParticipantStatus.ENDED,
    )
    stmt = scope.in_department_filter(actor, stmt, filters)
    rows, total = pages.fetch(
        stmt, window, MeetingAction.due_date, MeetingAction.created_at, MeetingAction.id, rows=True
    )
    items = [
        {
            "id": action.id,
            "meeting_id": action.meeting_id,
            "meeting_scheduled_at": scheduled_at,
            "participant": participant,
            "description": action.description,
            "responsible": action.responsible,
            "due_date": action.due_date,
            "days_overdue": (today - action.due_date).days,
        }
        for action, scheduled_at, participant in rows
    ]
    access_log.record(
        actor, [item["participant"].id for item in items], AccessAction.LIST, RESOURCE
    )
    db.session.commit()
    return items, total


def summary(actor: Actor, meeting_id: uuid.UUID) -> tuple[Meeting, Participant]:
    """The meeting for its summary to the members (logged as an export)."""
    meeting, participant = _scoped(actor, meeting_id)
    access_log.record(actor, [participant.id], AccessAction.EXPORT, "meeting_summary")
    security_events.record(
        SecurityEventType.EXPORT,
        actor=actor,
        detail={
            "participant_id": str(participant.id),
            "resource": "meeting_summary",
            "meeting_id": str(meeting.id),
        },
    )
    db.session.commit()
    return meeting, participant
