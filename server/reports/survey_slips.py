"""Printable slips of survey codes (written in full with the survey work)."""

from server.reports.files import File


def render(survey, codes: list[str], page_url: str, texts) -> File:
    raise NotImplementedError
