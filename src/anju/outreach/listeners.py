"""Outreach hears the deals' moves (decision 0010): once a deal closes (after the handover, which
closing requires), its buyer gets the home-care tips and the partners that fit the flat, when the
closing commits."""

from __future__ import annotations

from django.db import transaction

from anju.core.announcements import listen
from anju.deals.announcements import DealMoved
from anju.deals.models import DealStage
from anju.outreach.services import handover_care_send


@listen(DealMoved)
def care_after_handover(news: DealMoved) -> None:
    if news.to_stage != DealStage.CLOSED:
        return
    deal_id = news.deal_id
    transaction.on_commit(lambda: handover_care_send(deal_id=deal_id))
