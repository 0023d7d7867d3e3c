"""What needs announce (see ``anju.core.announcements`` and decision 0010)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NeedsChanged:
    """Needs written (created, edited, their status or client changed): whatever is kept from them
    must be read again."""

    company_id: int
    need_ids: tuple[int, ...]
