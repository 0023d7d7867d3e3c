"""/api/v1/finance — transaction costs and mortgages."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["税费与房贷"])
