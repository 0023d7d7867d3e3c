"""What deals announce (see ``anju.core.announcements`` and decision 0010)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DealMoved:
    """A deal changed stage (``services.deal_move``), announced inside the moving transaction; a new
    deal announces its first stage with ``from_stage`` empty (``services.deal_create``).

    A listener that raises refuses the move: the stage change rolls back with it.
    """

    company_id: int
    deal_id: int
    from_stage: str
    to_stage: str
    by_id: int
