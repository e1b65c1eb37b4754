"""Fixtures the endpoint groups' authorisation and bad-input tests share."""

import pytest

from tests.server.resources.authorization import Scene


@pytest.fixture
def scene(app, client, world) -> Scene:
    return Scene(app, client, world)
