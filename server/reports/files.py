"""A report made as a file: its bytes, its media type and the name it is saved under."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from shared.vocab import ReportFormat

MEDIA_TYPES = {
    ReportFormat.CSV: "text/csv; charset=utf-8",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PDF: "application/pdf",
}


@dataclass(frozen=True)
class File:
    content: bytes
    format: ReportFormat
    name: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


def file_name(stem: str, *parts: str | date, format: ReportFormat) -> str:
    """``oppmote-songdalen-2026-11-01-2026-11-30.xlsx``: lower-case ASCII and hyphens,
    which every mail program and file system keeps (ø, æ and å written as o, ae and a)."""
    words = "-".join(p.isoformat() if isinstance(p, date) else p for p in (stem, *parts))
    words = words.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    ascii_only = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-") + "." + format.value
