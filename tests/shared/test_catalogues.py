"""The catalogues are complete: every text the code marks is translated, in Norwegian
bokmål and in Danish, with the same placeholders, and nothing stale is left behind."""

import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from shared import i18n

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """What `python3 manage.py translations extract` would collect from the code now."""
    pot = tmp_path_factory.mktemp("catalogue") / "spire.pot"
    subprocess.run(
        [
            sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract",
            "-F", "babel.cfg", "-k", "lazy_gettext", "--no-location", "-o", str(pot), ".",
        ],
        cwd=ROOT,
        check=True,
    )  # fmt: skip
    with pot.open("rb") as file:
        return read_po(file)


def _catalogue(language):
    with (i18n.LOCALE_DIR / language / "LC_MESSAGES" / "spire.po").open("rb") as file:
        return read_po(file)


def _key(message):
    return (message.context, message.id if isinstance(message.id, str) else message.id[0])


@pytest.mark.parametrize("language", i18n.CATALOGUED)
def test_every_text_is_translated(template, language):
    catalogue = _catalogue(language)
    missing, untranslated = [], []
    for message in template:
        if not message.id:
            continue
        translated = catalogue.get(message.id, message.context)
        if translated is None:
            missing.append(_key(message)[1])
            continue
        strings = translated.string if isinstance(translated.string, tuple) else [translated.string]
        if translated.fuzzy or not all(strings):
            untranslated.append(_key(message)[1])
    assert not missing, (
        f"Not in the {language} catalogue (python3 manage.py translations extract, then "
        f"update, then translate): {missing}"
    )
    assert not untranslated, f"Untranslated or fuzzy in {language}: {untranslated}"


@pytest.mark.parametrize("language", i18n.CATALOGUED)
def test_no_stale_texts(template, language):
    wanted = {_key(m) for m in template if m.id}
    stale = [_key(m)[1] for m in _catalogue(language) if m.id and _key(m) not in wanted]
    assert not stale, f"In the {language} catalogue but no longer in the code: {stale}"


def _fields(text: str) -> set[str]:
    """The {placeholders} a text fills in with str.format."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("language", i18n.CATALOGUED)
def test_translations_keep_the_placeholders(language):
    """A translation that drops, adds or renames a {placeholder} breaks .format() where the
    text is shown: every form of every translation fills in what the English does."""
    problems = []
    for message in _catalogue(language):
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(_fields(source) for source in sources))
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            if form and _fields(form) != wanted:
                problems.append(f"{sources[0]!r}: {form!r}")
        problems += [f"{message.id!r}: {error}" for error in message.check()]
    assert not problems, problems


@pytest.mark.parametrize("language", i18n.CATALOGUED)
def test_the_compiled_catalogue_is_the_current_one(language):
    po = i18n.LOCALE_DIR / language / "LC_MESSAGES" / "spire.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, (
        "python3 manage.py translations compile"
    )


def test_a_text_reads_in_each_language():
    when = i18n.texts("nb").gettext("{date} at {time}")
    assert when == "{date} kl. {time}"
    assert i18n.texts("da").gettext("{date} at {time}") == "{date} kl. {time}"
    assert i18n.texts("en").gettext("{date} at {time}") == "{date} at {time}"
    with i18n.speaking("da"):
        assert str(i18n.lazy_gettext("{date} at {time}")) == "{date} kl. {time}"
    assert i18n.best_match(["fr", "nn-NO", "da"]) == "nb"
    assert i18n.best_match(["de", "da-DK"]) == "da"
    assert i18n.best_match(["fr"]) is None
