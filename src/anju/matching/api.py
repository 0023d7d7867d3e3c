"""/api/v1/needs/{id}/matches and /api/v1/listings/{id}/matches — ranked, explained matches."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["匹配"])
