"""The running app's settings, for code outside the web layer: the one door through which
services and jobs read configuration (``server.config`` builds it), so none of them
imports Flask."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")


def config() -> Mapping[str, Any]:
    """The running app's configuration."""
    return current_app.config


def made_once(name: str, make: Callable[[], T]) -> T:
    """An object made from the configuration once per app, such as the client of a store
    every request shares."""
    found = current_app.extensions.get(name)
    if found is None:
        found = current_app.extensions[name] = make()
    return found
