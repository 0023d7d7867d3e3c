"""What the building dictionary announces (see ``anju.core.announcements`` and decision 0010)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommunitiesChanged:
    """Facts of these communities that their listings and the needs naming them are read with
    changed: the district or 板块, the name, a building's name, the school assignments, the
    subway stations within reach."""

    community_ids: tuple[int, ...]
