"""What a file really is, read from its first bytes (magic numbers), never from its name.

Word and Excel files are zip packages: they are told apart by the parts inside them
(``word/document.xml``, ``xl/workbook.xml``), so any other zip is not taken for either.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class FileType:
    key: str
    label: str  # as users know it
    content_type: str
    extension: str  # the one the stored file gets
    names: frozenset[str]  # the extensions an uploaded name may carry for it


PDF = FileType("pdf", "PDF", "application/pdf", "pdf", frozenset({".pdf"}))
JPEG = FileType("jpeg", "JPEG", "image/jpeg", "jpg", frozenset({".jpg", ".jpeg"}))
PNG = FileType("png", "PNG", "image/png", "png", frozenset({".png"}))
WEBP = FileType("webp", "WebP", "image/webp", "webp", frozenset({".webp"}))
DOCX = FileType(
    "docx",
    "Word（.docx）",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    frozenset({".docx"}),
)
XLSX = FileType(
    "xlsx",
    "Excel（.xlsx）",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    frozenset({".xlsx"}),
)
TYPES = (PDF, JPEG, PNG, WEBP, DOCX, XLSX)


def sniff(data: bytes) -> FileType | None:
    """The type the content is, or None when it is none we accept."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


def _office(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = set(package.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in parts:
        return None
    if "word/document.xml" in parts:
        return DOCX
    if "xl/workbook.xml" in parts:
        return XLSX
    return None


def named_type(filename: str) -> FileType | None:
    """The type a file's name claims, by its extension."""
    suffix = PurePath(filename).suffix.lower()
    return next((t for t in TYPES if suffix in t.names), None)
