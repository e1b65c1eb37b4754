"""Logging without personal data: query strings (which may carry a name searched for)
are cut from request lines before they are written."""

import logging
import re

from flask import Flask

# A query string wherever it stands in a request line: after a path or a full URL.
_QUERY = re.compile(r'(\s(?:https?://[^\s/?"]*)?/[^\s?"]*)\?[^\s"]*')


class RedactQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                _QUERY.sub(r"\1?…", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        record.msg = _QUERY.sub(r"\1?…", str(record.msg))
        return True


def configure_logging(app: Flask) -> None:
    logging.getLogger("werkzeug").addFilter(RedactQueryStrings())
    if not app.debug:
        app.logger.setLevel(logging.INFO)
