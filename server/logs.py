"""Logging without personal data and without forged lines.

- Query strings (which may carry a name searched for) are cut from request lines.
- On the survey page and the public (no-login) endpoints the callers stay unknown: their
  access-log lines, werkzeug's and gunicorn's, keep the method, the path, the status and
  the time, and lose the address, the headers that could name one, the query string and
  any part of the path that could be a survey code.
- Control characters in what a log line quotes (a path with ``%0A`` in it, decoded by the
  server) are written as escapes, so no caller can start a line of their own in the log:
  every log record made in a Spire process, gunicorn's access log included, has its
  values escaped before it is formatted.
"""

import copy
import logging
import re
from collections.abc import Mapping

from flask import Flask

# A query string wherever it stands in a request line: after a path or a full URL.
_QUERY = re.compile(r'(\s(?:https?://[^\s/?"]*)?/[^\s?"]*)\?[^\s"]*')
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Colours the development server puts on its own request lines: dropped, not escaped.
_COLOUR = re.compile("\x1b\\[[0-9;]*m")
# Where callers stay unknown: the survey page and the public endpoints.
ANONYMOUS_PATHS = ("/s", "/api/v1/public")
# A part of a path that could be a survey code (eight letters and digits, dashes and
# spaces aside, encoded or not): someone may type theirs into the address.
_CODE_LIKE = re.compile(r"[A-Za-z0-9]{8}")
_DASHES_AND_SPACES = re.compile(r"[-\s]|%20|%2D", re.IGNORECASE)


def escape_control(text: str) -> str:
    """``text`` with every control character written as a Python escape (``\\n``, ``\\x1b``)."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], _COLOUR.sub("", text))


def _escaped(value):
    return escape_control(value) if isinstance(value, str) else value


class RedactQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                _QUERY.sub(r"\1?…", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        record.msg = _QUERY.sub(r"\1?…", str(record.msg))
        return True


def anonymous(path: str) -> bool:
    """Whether a request to ``path`` is one whose caller stays unknown."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in ANONYMOUS_PATHS)


def _copy_of(mapping: Mapping) -> dict:
    """A mapping's copy of its own kind: gunicorn's atoms answer "-" for an atom they lack
    (a header the request did not send), where a plain dict would fail the log line."""
    return copy.copy(mapping) if isinstance(mapping, dict) else dict(mapping)


def _without_codes(path: str) -> str:
    return "/".join(
        "…" if _CODE_LIKE.fullmatch(_DASHES_AND_SPACES.sub("", part)) else part
        for part in path.split("/")
    )


# The time of day in a log line's timestamp ("[01/Dec/2026:07:42:13 +0000]" from
# gunicorn, "[01/Dec/2026 07:42:13]" from werkzeug).
_TIME_OF_DAY = re.compile(r"\[(\d{1,2}/\w{3}/\d{4})[: ][^\]]*\]")


def _day_of(text):
    """``text`` with its log timestamps cut to the day: when an answer came in says
    nothing of who gave it."""
    return _TIME_OF_DAY.sub(r"[\1]", text) if isinstance(text, str) else text


class ForgetAnonymousCallers(logging.Filter):
    """The access-log lines of the survey page and the public endpoints without their
    caller: for gunicorn's (a mapping of atoms) the address ``h``, the user, the user agent,
    the referrer, every request header and environ atom (``X-Forwarded-For`` and the like
    among them), the query string and the raw request line, rebuilt from the path; for
    werkzeug's the address the line starts with and the query string. Both keep the day
    of the request, not its time. A path segment that
    could be a code is logged as "…"."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):
            self._gunicorn(record)
        elif isinstance(record.args, tuple) and len(record.args) == 3:
            self._werkzeug(record)
        return True

    @staticmethod
    def _gunicorn(record: logging.LogRecord) -> None:
        path = str(record.args.get("U") or "")
        if not anonymous(path):
            return
        atoms = _copy_of(record.args)
        for key in atoms:
            if key.startswith("{") and key.endswith(("}i", "}e")):
                atoms[key] = "-"
        path = _without_codes(path)
        query = "?…" if atoms.get("q") else ""
        atoms.update(h="-", l="-", u="-", a="-", f="-", q="", U=path, t=_day_of(atoms.get("t")))
        atoms["r"] = f"{atoms.get('m', '-')} {path}{query} {atoms.get('H', '-')}"
        record.args = atoms

    @staticmethod
    def _werkzeug(record: logging.LogRecord) -> None:
        line = record.args[0]
        parts = line.split(" ") if isinstance(line, str) else []
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            return
        method, target, version = parts
        path, query = target.split("?", 1) if "?" in target else (target, "")
        if not anonymous(path):
            return
        target = _without_codes(path) + ("?…" if query else "")
        record.args = (f"{method} {target} {version}", *record.args[1:])
        # The line starts with the address the request came from, then the time.
        record.msg = _day_of(re.sub(r"^\S+", "-", str(record.msg), count=1))


_make_record = logging.getLogRecordFactory()


def _record_with_escaped_values(*args, **kwargs) -> logging.LogRecord:
    record = _make_record(*args, **kwargs)
    if isinstance(record.args, Mapping):  # gunicorn's access log formats a mapping
        escaped = _copy_of(record.args)
        for key, value in record.args.items():
            escaped[key] = _escaped(value)
        record.args = escaped
    elif record.args:
        record.args = tuple(_escaped(value) for value in record.args)
    if isinstance(record.msg, str):
        record.msg = escape_control(record.msg)
    return record


def configure_logging(app: Flask) -> None:
    if logging.getLogRecordFactory() is not _record_with_escaped_values:
        logging.setLogRecordFactory(_record_with_escaped_values)
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactQueryStrings) for f in werkzeug.filters):
        werkzeug.addFilter(RedactQueryStrings())
    for access_log in (werkzeug, logging.getLogger("gunicorn.access")):
        if not any(isinstance(f, ForgetAnonymousCallers) for f in access_log.filters):
            access_log.addFilter(ForgetAnonymousCallers())
    if not app.debug:
        app.logger.setLevel(logging.INFO)
