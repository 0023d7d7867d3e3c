"""Care hears what changes a client's tier (decision 0010): a follow-up recorded, a deal moved.

The recomputation is the nightly one limited to the clients named, inside the writing
transaction: a few statements, so a tier and its next contact date are right at once.
"""

from __future__ import annotations

from anju.care.services import tiers_recompute
from anju.clients.announcements import ClientsMerged, InteractionsRecorded
from anju.core.announcements import listen
from anju.deals.announcements import DealMoved
from anju.deals.models import Deal


@listen(InteractionsRecorded)
def tiers_after_follow_up(news: InteractionsRecorded) -> None:
    tiers_recompute(company_id=news.company_id, client_ids=news.client_ids)


@listen(DealMoved)
def tiers_after_deal_move(news: DealMoved) -> None:
    parties = Deal.objects.filter(pk=news.deal_id).values_list("buyer_id", "seller_id").get()
    tiers_recompute(company_id=news.company_id, client_ids=[pk for pk in parties if pk is not None])


@listen(ClientsMerged)
def tiers_after_merge(news: ClientsMerged) -> None:
    tiers_recompute(company_id=news.company_id, client_ids=[news.keep_id])
