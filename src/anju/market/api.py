"""/api/v1/market — asking prices, price cuts, days on market and inventory."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["市场行情"])
