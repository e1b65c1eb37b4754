"""HTTP tests, a package per endpoint group as in ``server/resources/``.

Every group's ``test_authorization.py`` and ``test_bad_input.py`` describes its own
endpoints; the tests of the whole API (``test_authorization.py`` and ``test_bad_input.py``
here) read those descriptions through ``each_group``, so a new group is covered by adding
its files, not by editing a list here."""

import importlib
from pathlib import Path
from types import ModuleType

import pytest

# The helpers the groups share hold assertions of their own; pytest rewrites only test
# modules and conftest files unless told.
pytest.register_assert_rewrite(f"{__name__}.authorization", f"{__name__}.bad_input")


def each_group(module: str) -> dict[str, ModuleType]:
    """The test module named ``module`` of every endpoint group that has one, by group."""
    return {
        path.parent.name: importlib.import_module(f"{__name__}.{path.parent.name}.{module}")
        for path in sorted(Path(__file__).parent.glob(f"*/{module}.py"))
    }
