"""Fixtures the endpoint groups' authorisation and bad-input tests share."""

import pytest

from tests.server.resources.authorization import Scene
from tests.server.resources.bad_input import Ctx


@pytest.fixture
def scene(app, client, world) -> Scene:
    return Scene(app, client, world)


@pytest.fixture
def ctx(world, as_user, anonymous) -> Ctx:
    return Ctx(world, as_user(world.admin), anonymous, as_user)
