"""A report sent as a file to save, and how the OpenAPI document describes one."""

from collections.abc import Callable

from flask import Response

from server.reports.files import MEDIA_TYPES, File
from shared import i18n
from shared.vocab import ReportFormat


def send(file: File) -> Response:
    response = Response(file.content, mimetype=None, content_type=file.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{file.name}"'
    return response


def producer(render: Callable, format: ReportFormat) -> Callable[[object], Response]:
    """What makes a report's download: ``render(report, format, texts)`` in the reader's
    language, sent as the file."""
    texts = i18n.texts()
    return lambda report: send(render(report, format, texts))


def documented(schema, *formats: ReportFormat, description: str) -> dict:
    """``@blp.doc(**documented(...))``: the 200 answer is ``schema`` as JSON, or one of
    these files."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    content = {"application/json": {"schema": schema}}
    content |= {MEDIA_TYPES[f].split(";")[0]: binary for f in formats}
    return {"responses": {"200": {"description": description, "content": content}}}
