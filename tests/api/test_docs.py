"""The API describes itself: the OpenAPI document and the interactive docs page, served from this server."""

from __future__ import annotations

import re

from django.test import Client as HttpClient

ASSET_REFERENCE = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""")


def test_the_openapi_document_describes_every_operation_under_api_v1():
    # when
    response = HttpClient().get("/api/v1/openapi.json")
    # then
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "安居 Anju API"
    assert "BearerToken" in document["components"]["securitySchemes"]
    assert document["paths"], "no operations documented"
    assert all(path.startswith("/api/v1/") for path in document["paths"])


def test_the_docs_page_loads_nothing_from_other_sites():
    # when
    response = HttpClient().get("/api/v1/docs")
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assets = ASSET_REFERENCE.findall(page)
    assert assets, "the docs page references no scripts or style sheets at all"
    assert [url for url in assets if not url.startswith("/") or url.startswith("//")] == []
