"""The organisation's activities for the anonymous tally: seeded with a default set in the
organisation's language when it is made, then edited by its admin. An activity is never
deleted (tallies refer to it); it is deactivated, and the phone no longer offers it."""

import uuid

from sqlalchemy import func, select

from server.database import db
from server.models import Organisation, TallyActivity
from server.services.common.actor import Actor, require_role
from server.services.common.errors import Conflict, NotFound
from shared.i18n import N_, Texts, gettext
from shared.vocab import Language, Role

# The set every organisation starts with, in this order (the migration that made the
# tables holds its own copy of the names, as they were then).
DEFAULT_ACTIVITIES = (
    # Translators: an anonymous tally's activity: someone drops in unannounced (nb "Innom-stikk").
    N_("Walk-in"),
    # Translators: an anonymous tally's activity (nb "NADA-øreakupunktur").
    N_("NADA ear acupuncture"),
    # Translators: an anonymous tally's activity (nb "Støttesamtale").
    N_("Support conversation"),
    # Translators: an anonymous tally's activity (nb "Telefon/SMS/e-post").
    N_("Phone/SMS/e-mail"),
    # Translators: an anonymous tally's activity: an open evening on a theme (nb "Temakveld").
    N_("Theme evening"),
    # Translators: an anonymous tally's activity (nb "Følge/ansvarsgruppe").
    N_("Accompaniment/responsibility group"),
    # Translators: an anonymous tally's activity (nb "Hjemmebesøk").
    N_("Home visit"),
    # Translators: an anonymous tally's activity: meeting another service (nb "Samarbeidsmøte").
    N_("Cooperation meeting"),
)


def seed_defaults(organisation: Organisation) -> list[TallyActivity]:
    """Give a new organisation the default activities, named in its language; nothing
    when it has activities already. Flushed, not committed: part of making the
    organisation."""
    if organisation.id is None:
        db.session.flush()
    existing = db.session.scalar(
        select(func.count())
        .select_from(TallyActivity)
        .where(TallyActivity.organisation_id == organisation.id)
    )
    if existing:
        return []
    texts = Texts(str(organisation.language or Language.NORWEGIAN_BOKMAL))
    made = [
        TallyActivity(
            organisation_id=organisation.id, name=texts.gettext(name), active=True, position=number
        )
        for number, name in enumerate(DEFAULT_ACTIVITIES, 1)
    ]
    db.session.add_all(made)
    db.session.flush()
    return made


def _of_organisation(actor: Actor):
    return select(TallyActivity).where(TallyActivity.organisation_id == actor.organisation_id)


def list_activities(actor: Actor, include_inactive: bool = False) -> list[TallyActivity]:
    """The organisation's activities in the phone's order; the active ones unless asked."""
    stmt = _of_organisation(actor)
    if not include_inactive:
        stmt = stmt.where(TallyActivity.active)
    return list(
        db.session.scalars(
            stmt.order_by(TallyActivity.position, TallyActivity.name_key, TallyActivity.id)
        )
    )


def get_activity(actor: Actor, activity_id: uuid.UUID) -> TallyActivity:
    activity = db.session.scalars(
        _of_organisation(actor).where(TallyActivity.id == activity_id)
    ).first()
    if activity is None:
        raise NotFound(gettext("Activity not found."))
    return activity


def _require_free_name(actor: Actor, name: str, other_than: uuid.UUID | None = None) -> None:
    """Two active activities never share a name (in any case)."""
    stmt = _of_organisation(actor).where(
        TallyActivity.active, TallyActivity.name_key == name.casefold()
    )
    if other_than is not None:
        stmt = stmt.where(TallyActivity.id != other_than)
    if db.session.scalars(stmt).first() is not None:
        taken = gettext("An active activity has this name already.")
        raise Conflict(taken, {"name": [taken]})


def create_activity(actor: Actor, data: dict) -> TallyActivity:
    """POST /tally-activities (admin): a new activity, last in the order."""
    require_role(actor, Role.ADMIN)
    active = data.get("active", True)
    if active:
        _require_free_name(actor, data["name"])
    last = db.session.scalar(
        select(func.max(TallyActivity.position)).where(
            TallyActivity.organisation_id == actor.organisation_id
        )
    )
    activity = TallyActivity(
        organisation_id=actor.organisation_id,
        name=data["name"],
        active=active,
        position=(last or 0) + 1,
    )
    db.session.add(activity)
    db.session.commit()
    return activity


def update_activity(actor: Actor, activity_id: uuid.UUID, data: dict) -> TallyActivity:
    """PATCH /tally-activities/{id} (admin): rename, (de)activate or move it."""
    activity = get_activity(actor, activity_id)
    require_role(actor, Role.ADMIN)
    name = data.get("name", activity.name)
    active = data.get("active", activity.active)
    if active:
        _require_free_name(actor, name, other_than=activity.id)
    activity.name = name
    activity.active = active
    if "position" in data:
        activity.position = data["position"]
    db.session.commit()
    return activity


def move_activity(actor: Actor, activity_id: uuid.UUID, step: int) -> TallyActivity:
    """Move an activity one place earlier (``step`` -1) or later (+1) in the phone's order
    (admin). The whole order is numbered afresh from 1, so that equal positions left by
    earlier edits cannot keep two activities from changing places; at either end nothing
    moves."""
    activity = get_activity(actor, activity_id)
    require_role(actor, Role.ADMIN)
    ordered = list_activities(actor, include_inactive=True)
    here = ordered.index(activity)
    there = here + (1 if step > 0 else -1)
    if 0 <= there < len(ordered):
        ordered[here], ordered[there] = ordered[there], ordered[here]
    for number, item in enumerate(ordered, 1):
        item.position = number
    db.session.commit()
    return activity
