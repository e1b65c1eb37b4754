"""Logging without personal data and without forged lines.

- Query strings (which may carry a name searched for) are cut from request lines.
- Control characters in what a log line quotes (a path with ``%0A`` in it, decoded by the
  server) are written as escapes, so no caller can start a line of their own in the log:
  every log record made in a Spire process, gunicorn's access log included, has its
  values escaped before it is formatted.
"""

import logging
import re

from flask import Flask

# A query string wherever it stands in a request line: after a path or a full URL.
_QUERY = re.compile(r'(\s(?:https?://[^\s/?"]*)?/[^\s?"]*)\?[^\s"]*')
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Colours the development server puts on its own request lines: dropped, not escaped.
_COLOUR = re.compile("\x1b\\[[0-9;]*m")


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


_make_record = logging.getLogRecordFactory()


def _record_with_escaped_values(*args, **kwargs) -> logging.LogRecord:
    record = _make_record(*args, **kwargs)
    if isinstance(record.args, dict):  # gunicorn's access log formats a mapping
        record.args = {key: _escaped(value) for key, value in record.args.items()}
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
    if not app.debug:
        app.logger.setLevel(logging.INFO)
