"""A survey made, handed out and answered through the API as its users would: a leader
makes it (a question of every kind) and its codes, participants answer on the public
endpoint with the codes they were handed."""

import subprocess
from pathlib import Path

from tests.conftest import expect

NORWEGIAN = {"Accept-Language": "nb"}

QUESTIONS = [
    {"kind": "scale", "text": "Jeg blir møtt med respekt her."},
    {"kind": "yes_no", "text": "Vil du anbefale stedet til andre?"},
    {
        "kind": "choice",
        "text": "Hvordan hørte du om oss?",
        "options": ["NAV", "En venn", "Kommunen"],
    },
    {"kind": "text", "text": "Er det noe annet du vil fortelle oss?"},
]


def make_survey(api, department_id, *, opens_on, closes_on, min_responses=3, title=None) -> dict:
    return expect(
        api.post(
            "/surveys",
            json={
                "title": title or "Brukerundersøkelse våren 2026",
                "department_id": str(department_id),
                "opens_on": opens_on,
                "closes_on": closes_on,
                "min_responses": min_responses,
                "questions": QUESTIONS,
            },
        ),
        201,
    )


def answer_all(api, anonymous, survey: dict, answers: list[tuple]) -> None:
    """Each tuple (scale, yes or no, choice, text; None for a question left out) answered
    with a code of its own, as a participant answers on their phone."""
    codes = expect(api.post(f"/surveys/{survey['id']}/codes", json={"count": len(answers)}), 201)
    ids = [question["id"] for question in survey["questions"]]
    for code, values in zip(codes["codes"], answers, strict=True):
        body = {i: v for i, v in zip(ids, values, strict=True) if v is not None}
        expect(
            anonymous.post("/api/v1/public/survey-responses", json={"code": code, "answers": body}),
            201,
        )


def pdf_text(data: bytes, directory: Path) -> str:
    """The PDF's text as pdftotext reads it, its pages separated by form feeds."""
    path = directory / "file.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())
