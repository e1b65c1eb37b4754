"""The app's own SQLite database in its private data folder: the cached lists, the outbox
of writes not yet on the server, the writes the server took today (for undo), and the
survey kiosk's codes and the answers it has not yet delivered (``kiosk.py``).

Write-ahead log with ``synchronous=FULL``: a transaction is on disk when it commits, so
what the app has told the user it recorded survives kill -9 and a power cut. Deleted rows
are overwritten (``secure_delete``) and a wipe empties the log and rebuilds the file, so a
logout leaves nothing of the user in it. One connection, shared by the app's threads
behind a lock; ``PRAGMA user_version`` holds the schema's version.
"""

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Each version's statements, applied in order to a database of an older version.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            op_id TEXT NOT NULL UNIQUE,
            user_id TEXT NOT NULL,
            user_name TEXT NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            body TEXT,
            kind TEXT NOT NULL,
            participant_id TEXT,
            day TEXT,
            target TEXT,
            facts TEXT NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            status INTEGER,
            message TEXT,
            errors TEXT,
            tries INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX outbox_user ON outbox (user_id, state, seq)",
        """CREATE TABLE sent (
            op_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            participant_id TEXT,
            day TEXT,
            facts TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            undone INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX sent_participant ON sent (user_id, participant_id, day)",
        """CREATE TABLE cache (
            user_id TEXT NOT NULL,
            key TEXT NOT NULL,
            etag TEXT,
            fetched_at TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (user_id, key)
        )""",
    ],
    2: [
        # Unused single-use codes of a survey, fetched for the kiosk: each leaves this
        # table in the transaction that puts an answer in ``kiosk_answers`` with it.
        """CREATE TABLE kiosk_codes (
            code TEXT PRIMARY KEY,
            survey_id TEXT NOT NULL,
            user_id TEXT NOT NULL
        )""",
        "CREATE INDEX kiosk_codes_survey ON kiosk_codes (user_id, survey_id)",
        # Answers given on the kiosk, until the server has them: no time, no name.
        """CREATE TABLE kiosk_answers (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            survey_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            user_name TEXT NOT NULL,
            code TEXT NOT NULL UNIQUE,
            answers TEXT NOT NULL
        )""",
        "CREATE INDEX kiosk_answers_survey ON kiosk_answers (user_id, survey_id, seq)",
    ],
}
SCHEMA_VERSION = max(MIGRATIONS)


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class LocalDb:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        # Autocommit mode: transactions are begun and ended here, explicitly.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON"):
            self._db.execute(f"PRAGMA {pragma}")
        self._migrate()

    def _migrate(self) -> None:
        with self.transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path} is of a newer app (schema {version})")
            for number in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[number]:
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction, on disk when the block ends; rolled back if it raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def rows(self, sql: str, *params) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def scalar(self, sql: str, *params):
        with self._lock:
            row = self._db.execute(sql, params).fetchone()
        return row[0] if row else None

    def prune(self, before: str) -> None:
        """Forget cached lists and sent writes of days before ``before`` (an ISO date), and
        pages not opened since: undo is for today, and old copies are only in the way."""
        with self.transaction() as db:
            db.execute("DELETE FROM sent WHERE day < ?", (before,))
            db.execute(
                "DELETE FROM cache WHERE (key LIKE 'today/%' OR key LIKE 'wakeups/%')"
                " AND substr(key, -10) < ?",
                (before,),
            )
            db.execute("DELETE FROM cache WHERE key LIKE 'page/%' AND fetched_at < ?", (before,))

    def compact(self) -> None:
        """Rebuild the file and empty the write-ahead log: what was deleted is gone from
        both (after a logout)."""
        with self._lock:
            self._db.execute("VACUUM")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def forget_deleted(self) -> None:
        """Empty the write-ahead log, so rows just deleted (overwritten in the file by
        ``secure_delete``) leave no older copy in it either."""
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self._lock:
            self._db.close()
