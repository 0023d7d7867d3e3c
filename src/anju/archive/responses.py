"""The one way the archive's files leave the server, for the pages and the API alike: an
attachment under its name and its sniffed type, which browsers must not second-guess nor cache."""

from __future__ import annotations

from typing import IO, cast

from django.http import FileResponse, HttpResponse

from anju.archive.models import Document


def attachment(file: IO[bytes], *, filename: str, content_type: str) -> HttpResponse:
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A streamed file answers like any page (views and endpoints are typed for HttpResponse).
    return cast(HttpResponse, response)


def document_attachment(document: Document, file: IO[bytes]) -> HttpResponse:
    return attachment(file, filename=document.original_name, content_type=document.content_type)
