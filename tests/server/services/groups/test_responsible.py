"""Who may be made responsible for a department's groups: its active staff, offered to its
leader and the admins."""

import pytest

from server.database import db
from server.services import groups
from server.services.common.errors import Forbidden, NotFound
from tests import factories
from tests.server.services.tallies.test_activities import actor_of


def test_the_choices_are_the_departments_active_staff_by_name(world):
    gone = factories.UserFactory(
        organisation=world.org_a, username="gone-a1", departments=[world.dept_a1], active=False
    )
    db.session.commit()
    chosen = groups.responsible_choices(actor_of(world.leader), world.dept_a1.id)
    assert {user.id for user in chosen} == {world.leader.id, world.facilitator.id}
    assert gone.id not in {user.id for user in chosen}
    assert [user.full_name for user in chosen] == sorted(user.full_name for user in chosen)
    by_admin = groups.responsible_choices(actor_of(world.admin), world.dept_a2.id)
    assert [user.id for user in by_admin] == [world.facilitator_a2.id]


def test_only_the_departments_leader_and_admins_see_them(world):
    with pytest.raises(NotFound):
        groups.responsible_choices(actor_of(world.leader), world.dept_a2.id)
    with pytest.raises(NotFound):
        groups.responsible_choices(actor_of(world.admin_b), world.dept_a1.id)
    with pytest.raises(Forbidden):
        groups.responsible_choices(actor_of(world.facilitator), world.dept_a1.id)
