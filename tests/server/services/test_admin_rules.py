"""The services behind the administration hold to its rules themselves: staff accounts, new
departments and the organisation's logs are for admins, whichever page or route calls."""

import pytest

from server.services import accounts, organisation, participants
from server.services.common import access_log, security_events
from server.services.common.errors import Forbidden
from server.services.storage.paging import Window
from shared.vocab import AccessAction, SecurityEventType
from tests.server.services.tallies.test_activities import actor_of


@pytest.mark.parametrize("role", ["leader", "facilitator"])
def test_only_admins_reach_staff_accounts_departments_and_logs(world, role):
    actor = actor_of(world.user(role))
    window = Window(0, 10)
    calls = [
        lambda: accounts.list_users(actor, {}, window),
        lambda: accounts.get_user(actor, world.admin.id),
        lambda: accounts.update_user(actor, world.admin.id, {"full_name": "X"}),
        lambda: accounts.create_user(
            actor,
            {
                "username": "ny-bruker",
                "full_name": "Ny Bruker",
                "role": "facilitator",
                "password": "Lyng-Tavle-Marsj-2291",
                "department_ids": [world.dept_a1.id],
            },
        ),
        lambda: organisation.create_department(actor, {"name": "Ny avdeling"}),
        lambda: access_log.search(actor, window=window),
        lambda: security_events.search(actor, window=window),
    ]
    for call in calls:
        with pytest.raises(Forbidden):
            call()


def test_an_admin_reaches_them(world):
    actor = actor_of(world.admin)
    window = Window(0, 10)
    users, total = accounts.list_users(actor, {}, window)
    assert world.facilitator.id in {user.id for user in users}
    assert accounts.get_user(actor, world.facilitator.id).id == world.facilitator.id
    accounts.update_user(actor, world.facilitator.id, {"full_name": "Ny Navnesen"})
    events, _ = security_events.search(actor, window=window, user_id=world.facilitator.id)
    assert [item.event.type for item in events] == [SecurityEventType.USER_CHANGED]
    participants.get_participant(actor, world.participant_a1.id)
    entries, _ = access_log.search(actor, window=window, participant_id=world.participant_a1.id)
    assert [(item.entry.action, item.entry.resource) for item in entries][0] == (
        AccessAction.READ,
        "participant",
    )
