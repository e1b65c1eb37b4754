"""Without its compiled catalogues Spire does not start, and says how to build them."""

import pytest

from server import create_app
from shared import i18n


def test_the_server_refuses_to_start_without_compiled_catalogues(monkeypatch, tmp_path):
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        with pytest.raises(i18n.CataloguesNotCompiled, match="translations compile"):
            create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    finally:
        monkeypatch.undo()
        i18n.translations.cache_clear()
