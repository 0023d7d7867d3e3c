"""The deal's stages and the moves between them, read by services, selectors and pages.

洽谈中 → 已签意向 → 已签合同 → 办理中 → 已结案, or 已取消 with a reason from any open stage. A deal
may go from 洽谈中 straight to 已签合同 (no intent agreement, common for leases) and from 已签合同
straight to 已结案 (nothing to process). The moves themselves are made by ``services.deal_move``,
which locks the deal's row and checks the move here.
"""

from __future__ import annotations

from anju.deals.models import DealStage

OPEN = (DealStage.NEGOTIATING, DealStage.INTENT, DealStage.CONTRACT, DealStage.PROCESSING)
FINAL = (DealStage.CLOSED, DealStage.CANCELLED)
# In the order a deal passes them, for the page's progress line.
ORDER = (DealStage.NEGOTIATING, DealStage.INTENT, DealStage.CONTRACT, DealStage.PROCESSING, DealStage.CLOSED)

MOVES: dict[str, frozenset[str]] = {
    DealStage.NEGOTIATING: frozenset({DealStage.INTENT, DealStage.CONTRACT, DealStage.CANCELLED}),
    DealStage.INTENT: frozenset({DealStage.CONTRACT, DealStage.CANCELLED}),
    DealStage.CONTRACT: frozenset({DealStage.PROCESSING, DealStage.CLOSED, DealStage.CANCELLED}),
    DealStage.PROCESSING: frozenset({DealStage.CLOSED, DealStage.CANCELLED}),
    DealStage.CLOSED: frozenset(),
    DealStage.CANCELLED: frozenset(),
}


def can_move(current: str, to: str) -> bool:
    return to in MOVES.get(current, frozenset())
