"""The Android build's recipe (buildozer.spec) cannot be built here: these tests keep it
honest against the code. It targets a recent Android, asks only for the permissions the
app uses (no CALL_PHONE: a number opens the dialler), pins the Kivy the desktop tests
run, and lists every library the app imports."""

import ast
import configparser
import importlib.metadata
import sys
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ("mobile", "shared")
ANDROID_ONLY = {"jnius": "pyjnius", "android": "android", "plyer": "plyer"}


def spec() -> configparser.SectionProxy:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "buildozer.spec")
    return parser["app"]


def requirements() -> dict[str, str]:
    """The build's requirements: name -> the version pinned ("" if none)."""
    found = {}
    for item in spec()["requirements"].split(","):
        name, _, version = item.strip().partition("==")
        found[name.lower()] = version
    return found


def screens() -> list[str]:
    """The screens' modules (``SCREENS`` in mobile/ui/app.py, read without opening a
    window: importing Kivy's window module opens one)."""
    tree = ast.parse((ROOT / "mobile" / "ui" / "app.py").read_text())
    (table,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "SCREENS"
    ]
    return [module for module, _ in ast.literal_eval(table).values()]


def imported_libraries() -> set[str]:
    """The top-level modules outside Spire that the app's code imports, following its own
    imports from the app and its screens."""
    todo = ["main", "mobile.ui.app", *screens()]
    seen: set[str] = set()
    outside: set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = ROOT / (module.replace(".", "/") + ".py")
        if not path.exists():
            path = ROOT / module.replace(".", "/") / "__init__.py"
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.module and not node.level
                else []
            )
            for name in names:
                top = name.split(".")[0]
                if top in PROJECT or top == "main":
                    todo.append(name)
                elif top not in sys.stdlib_module_names:
                    outside.add(top)
    return outside


def test_a_recent_android_and_only_the_permissions_the_app_uses():
    app = spec()
    assert int(app["android.api"]) >= 33  # POST_NOTIFICATIONS is asked for at run time
    permissions = {p.strip() for p in app["android.permissions"].split(",")}
    assert permissions == {"INTERNET", "POST_NOTIFICATIONS"}
    assert app["orientation"] == "portrait"
    assert (ROOT / app["source.dir"] / "main.py").exists()


def test_the_build_has_every_library_the_app_imports():
    wanted = requirements()
    assert {"kivy", "babel", "phonenumbers", "jnius"} <= imported_libraries()
    distributions = importlib.metadata.packages_distributions()
    for module in imported_libraries():
        if module in ANDROID_ONLY:
            assert ANDROID_ONLY[module] in wanted, module
            continue
        names = {d.lower() for d in distributions.get(module, [module])}
        assert names & set(wanted), f"{module} ({names}) is not in buildozer.spec"
    # The Kivy the tests run on the desktop is the one the phone gets.
    (kivy,) = [
        Requirement(r)
        for r in importlib.metadata.requires("spire")
        if Requirement(r).name.lower() == "kivy"
    ]
    assert wanted["kivy"] and kivy.specifier.contains(wanted["kivy"])
