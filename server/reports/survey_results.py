"""A survey's results as PDF and XLSX (written in full with the survey work)."""

from server.reports.files import File


def render(results, format, texts) -> File:
    raise NotImplementedError
