"""The app's local storage: a database that commits to disk and knows its schema's
version, and that forgets old days."""

import pytest

from mobile.core.localdb import SCHEMA_VERSION, LocalDb
from mobile.core.store import Store


def test_the_database_commits_to_disk_and_knows_its_version(tmp_path):
    db = LocalDb(tmp_path / "spire.db")
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA synchronous") == 2  # FULL: on disk when committed
    assert db.scalar("PRAGMA secure_delete") == 1
    assert db.scalar("PRAGMA user_version") == SCHEMA_VERSION
    with pytest.raises(RuntimeError):
        with db.transaction() as connection:
            connection.execute(
                "INSERT INTO cache (user_id, key, fetched_at, body) VALUES ('u', 'k', 'now', '1')"
            )
            raise RuntimeError("the app fails half-way")
    assert db.scalar("SELECT count(*) FROM cache") == 0  # nothing of it was kept
    with db.transaction() as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer app"):
        LocalDb(tmp_path / "spire.db")


def test_old_days_are_forgotten(tmp_path):
    db = LocalDb(tmp_path / "spire.db")
    with db.transaction() as connection:
        for key in ("today/d/2026-11-20", "wakeups/d/2026-11-29", "today/d/2026-11-30"):
            connection.execute(
                "INSERT INTO cache (user_id, key, fetched_at, body) VALUES ('u', ?, 'now', '{}')",
                (key,),
            )
        for op_id, day in (("a", "2026-11-20"), ("b", "2026-11-30")):
            connection.execute(
                "INSERT INTO sent (op_id, seq, user_id, kind, day, facts, sent_at)"
                " VALUES (?, 1, 'u', 'check_in', ?, '{}', 'now')",
                (op_id, day),
            )
    db.prune("2026-11-23")
    assert [r["key"] for r in db.rows("SELECT key FROM cache ORDER BY key")] == [
        "today/d/2026-11-30",
        "wakeups/d/2026-11-29",
    ]
    assert [r["op_id"] for r in db.rows("SELECT op_id FROM sent")] == ["b"]
    db.close()


def test_the_settings_keep_only_what_they_are_told(tmp_path):
    store = Store(tmp_path / "spire.json")
    store.put(server_url="https://spire.example.no", user={"id": "u"}, language="nb")
    store.keep_only("server_url", "language")
    again = Store(tmp_path / "spire.json")
    assert (again.get("server_url"), again.get("language"), again.get("user")) == (
        "https://spire.example.no",
        "nb",
        None,
    )
    assert [path.name for path in tmp_path.iterdir()] == ["spire.json"]  # no half-written copy
