"""A small JSON file in the app's data folder: the small settings the app must remember
across restarts (server address, language, the login, the PIN's hash, which notices were
shown). Written whole to a new file that then replaces the old one, the folder synced
after, so a crash or a power cut never leaves half; safe to use from the app's background
threads."""

import json
import os
import tempfile
import threading
from pathlib import Path


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            data = {}
        self._data = data if isinstance(data, dict) else {}

    def get(self, key: str, default=None):
        with self._lock:
            return self._data.get(key, default)

    def put(self, **values) -> None:
        with self._lock:
            self._data.update(values)
            self._write()

    def keep_only(self, *keys: str) -> None:
        """Forget every value but those of ``keys``: nothing else is left in the file."""
        with self._lock:
            self._data = {key: value for key, value in self._data.items() if key in keys}
            self._write()

    def _write(self) -> None:
        text = json.dumps(self._data, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.path.parent, prefix=".store-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(name, self.path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        folder = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)  # the rename itself survives a power cut
        finally:
            os.close(folder)
