"""The organisation itself: its name, country, language and time zone. Every staff member
reads them (the phone app needs the country and the language); only an admin changes them.

The country decides the public holidays, and so who is expected and which wake-up calls are
made: a change applies to every day computed from then on (today's calls are brought in line
the next time the day's list or the dispatcher looks; calls of past days stay as they were).
"""

from server.database import db
from server.models import Organisation
from server.services.common import history, scope
from server.services.common.actor import Actor, require_role
from shared.vocab import Role

ENTITY = "organisation"
FIELDS = ("name", "country", "language", "timezone")


def get_organisation(actor: Actor) -> Organisation:
    """The actor's own organisation; no other can be named."""
    return scope.organisation(actor)


def update_organisation(actor: Actor, data: dict) -> Organisation:
    """Change some of the fields (admin); the values before go to the history. No security
    event: none of the log's types is about the organisation, and the history keeps who
    changed what and when."""
    require_role(actor, Role.ADMIN)
    organisation = scope.organisation(actor)
    before = history.snapshot(organisation, FIELDS)
    for field in FIELDS:
        if field in data:
            setattr(organisation, field, data[field])
    db.session.flush()
    history.record_change(
        actor, ENTITY, organisation.id, before, history.snapshot(organisation, FIELDS)
    )
    db.session.commit()
    return organisation
