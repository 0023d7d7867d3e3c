"""A file's type is read from its content: each accepted type is recognised, and nothing else is."""

from __future__ import annotations

import io
import zipfile

import pytest

from anju.archive.content import DOCX, JPEG, PDF, PNG, WEBP, XLSX, named_type, sniff
from anju.demo.documents import tiny_jpeg, tiny_pdf


def office(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for part in parts:
            package.writestr(part, "<x/>")
    return buffer.getvalue()


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    return buffer.getvalue()


def webp() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "WEBP")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (tiny_pdf("x"), PDF),
        (tiny_jpeg(), JPEG),
        (png(), PNG),
        (webp(), WEBP),
        (office("[Content_Types].xml", "word/document.xml"), DOCX),
        (office("[Content_Types].xml", "xl/workbook.xml"), XLSX),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(data, expected):
    assert sniff(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 an executable",
        b"just some text",
        b"",
        office("[Content_Types].xml", "ppt/presentation.xml"),  # a zip, but neither Word nor Excel
        office("word/document.xml"),  # no content types part: not an Office package
        b"PK\x03\x04 a broken zip",
    ],
)
def test_anything_else_is_not_recognised(data):
    assert sniff(data) is None


def test_the_name_claims_a_type_by_its_extension():
    assert named_type("合同.PDF") == PDF
    assert named_type("photo.jpeg") == JPEG
    assert named_type("photo.jpg") == JPEG
    assert named_type("setup.exe") is None
    assert named_type("no-extension") is None
