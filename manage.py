#!/usr/bin/env python3
"""Set up and run Spire on a fresh machine with nothing but Python 3.11+.

    python3 manage.py serve   # Spire with demo data on SQLite, http://127.0.0.1:5000/office/
    python3 manage.py test    # the whole test suite (extra arguments go to pytest); installs
                              # the Debian packages the tests drive if they are missing
    python3 manage.py lint    # ruff, and the layer rules as import contracts
    python3 manage.py translations extract|update|compile
                              # the gettext catalogues in shared/locale (Babel): collect
                              # the texts from the code, merge them into nb and da, build
                              # the .mo files (every command builds them when they are stale)

Each command first makes (or refreshes) the virtual environment in .venv from
pyproject.toml.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".spire-installed"


def ensure_environment() -> None:
    """Create .venv and install the project with its dev extra when pyproject changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    print("Installing Spire and its dependencies ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


LOCALE = ROOT / "shared" / "locale"
TEMPLATE = LOCALE / "spire.pot"


def _stale_catalogues() -> list[Path]:
    return [
        po
        for po in LOCALE.glob("*/LC_MESSAGES/spire.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]


def ensure_catalogues() -> None:
    """Build the compiled catalogues from the .po files when they are missing or older."""
    if _stale_catalogues():
        if translations(["compile"]) != 0:
            raise SystemExit("The message catalogues do not compile.")


def translations(argv: list[str]) -> int:
    """Babel's extract, update and compile over Spire's one catalogue domain."""
    pybabel = [str(PYTHON), "-m", "babel.messages.frontend"]
    steps = {
        # Every marked text in the code (babel.cfg says where), sorted, without the source
        # lines, so that the catalogues change only when a text does.
        "extract": [
            *pybabel,
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            str(TEMPLATE),
            "-k",
            "lazy_gettext",
            "--sort-output",
            "--no-location",
            "--add-comments=Translators:",
            "--project=Spire",
            "--copyright-holder=Spire",
            "--no-wrap",
            ".",
        ],
        "update": [
            *pybabel,
            "update",
            "-i",
            str(TEMPLATE),
            "-d",
            str(LOCALE),
            "-D",
            "spire",
            "--no-fuzzy-matching",
            "--ignore-obsolete",
            "--no-wrap",
            # A catalogue changes when a text does, not each time the template is made.
            "--ignore-pot-creation-date",
        ],
        "compile": [*pybabel, "compile", "-d", str(LOCALE), "-D", "spire", "--statistics"],
    }
    if not argv or argv[0] not in steps:
        print("python3 manage.py translations extract|update|compile")
        return 2
    return run(*steps[argv[0]])


# Debian packages the test suite drives: a real headless browser for the web pages,
# poppler and tesseract to render PDF pages and read them back the way a person would,
# zbar to read the QR codes on printed survey slips as a phone would, and a virtual
# screen with software OpenGL for the phone app.
DEBIAN_PACKAGES = (
    "chromium",
    "chromium-driver",
    "poppler-utils",
    "zbar-tools",
    "tesseract-ocr",
    "tesseract-ocr-nor",
    "tesseract-ocr-dan",
    "xvfb",
    "libgl1",
    "libgl1-mesa-dri",
    "libmtdev1",
)


def _installed(package: str) -> bool:
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
    )
    return status.stdout.endswith("installed")


def ensure_debian_packages() -> None:
    """Install what the tests need with apt-get, when it is missing."""
    if not shutil.which("dpkg-query") or not shutil.which("apt-get"):
        print("Not Debian: install the packages in manage.py by hand, or some tests fail.")
        return
    missing = [package for package in DEBIAN_PACKAGES if not _installed(package)]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"Installing {', '.join(missing)} with apt-get ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
        check=True,
        env=env,
    )


def run(*args: str, env: dict | None = None) -> int:
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env).returncode


def flask(*args: str) -> int:
    return run(PYTHON, "-m", "flask", "--app", "server", *args)


def serve(argv: list[str]) -> int:
    host = os.environ.get("SPIRE_HOST", "127.0.0.1")
    port = os.environ.get("PORT", "5000")
    for step in (["db", "upgrade"], ["seed-demo"]):
        if flask(*step) != 0:
            return 1
    base = f"http://{host}:{port}"
    print(f"\nSpire runs on {base}: the office at {base}/office/, the API docs at {base}/docs\n")
    return flask("run", "--host", host, "--port", port, *argv)


def test(argv: list[str]) -> int:
    ensure_debian_packages()
    return run(PYTHON, "-m", "pytest", *argv)


def lint(argv: list[str]) -> int:
    ruff = BIN / "ruff"
    return (
        run(ruff, "check", ".")
        or run(ruff, "format", "--check", ".")
        # The layer rules: pyproject.toml's [tool.importlinter] contracts.
        or run(BIN / "lint-imports", "--no-cache")
    )


COMMANDS = {"serve": serve, "test": test, "lint": lint, "translations": translations}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    ensure_environment()
    if sys.argv[1] != "translations":
        ensure_catalogues()
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
