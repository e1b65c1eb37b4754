"""The layer rules are import contracts (pyproject.toml, [tool.importlinter]) that the lint
step checks: they hold on the tree, and a change that breaks one fails."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# A module that breaks each rule, where it would break it.
VIOLATIONS = {
    "services import Flask's request": (
        "server/services/attendance/peek.py",
        "from flask import request\n",
        "Services know no HTTP",
    ),
    "a service imports a resource": (
        "server/services/attendance/peek.py",
        "from server.resources.attendance import schemas\n",
        "The server's layers",
    ),
    "models import services": (
        "server/models/peek.py",
        "from server.services.common import scope\n",
        "The server's layers",
    ),
    "a resource imports another": (
        "server/resources/plans/peek.py",
        "from server.resources.participants import schemas\n",
        "No resource imports another",
    ),
    "a resource imports the office": (
        "server/resources/plans/peek.py",
        "from server.office import pages\n",
        "The server's layers",
    ),
    "the survey page imports the office": (
        "server/survey_page/peek.py",
        "from server.office import pages\n",
        "The server's layers",
    ),
    "storage reaches up into a feature": (
        "server/services/storage/peek.py",
        "from server.services.attendance import records\n",
        "Inside the services",
    ),
    "a cycle between two features": (
        "server/services/attendance/peek.py",
        "from server.services.wakeups import calls\n",
        "No import cycles",
    ),
    "shared imports the server": ("shared/peek.py", "import server.clock\n", "shared/ is plain"),
    "the phone's core imports Kivy": ("mobile/core/peek.py", "import kivy\n", "imports no Kivy"),
    "the server imports the phone app": (
        "server/peek.py",
        "import mobile.core.client\n",
        "never import each other",
    ),
}


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def copy_of_the_tree(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    for package in ("server", "shared", "mobile"):
        shutil.copytree(
            ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tree)
    return tree


def test_the_tree_keeps_every_contract(copy_of_the_tree):
    result = lint_imports(copy_of_the_tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", VIOLATIONS)
def test_a_change_that_breaks_a_rule_fails(copy_of_the_tree, case):
    path, source, contract = VIOLATIONS[case]
    module = copy_of_the_tree / path
    module.write_text(source)
    try:
        result = lint_imports(copy_of_the_tree)
    finally:
        module.unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in broken
