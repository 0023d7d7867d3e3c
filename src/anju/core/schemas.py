"""Schemas shared by every API router."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class ErrorOut(Schema):
    """Every error the API returns: a stable machine code and a message for people."""

    code: str
    message: str
    errors: list[dict[str, Any]] | None = None
    details: dict[str, Any] | None = None


# The error answers every authenticated endpoint may give; routers add them to their responses.
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}


class InputSchema(Schema):
    """What a request body may hold: a field the schema does not name is refused (422 naming it),
    never silently dropped — a misspelt ``budget_mx`` must not create a need without a budget."""

    model_config = ConfigDict(extra="forbid")
