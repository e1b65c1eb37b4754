"""A small JSON file in the app's data folder: what the app must remember across restarts
(the login, which notices were shown). Written atomically, so a crash never leaves half."""

import json
import os
import tempfile
from pathlib import Path


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self._data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            self._data = {}

    def get(self, key: str, default=None):
        return self._data.get(key, default)

    def put(self, **values) -> None:
        self._data.update(values)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.path.parent, prefix=".store-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(self._data, file, ensure_ascii=False)
        os.replace(name, self.path)
