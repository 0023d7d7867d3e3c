"""Referrals hear the clients and the deals (decision 0010): a client recorded as referred gets its
referral row; a merge moves what pointed at the duplicate; a deal reaching the company's reward
moment (signing or closing) earns its referrers' rewards."""

from __future__ import annotations

from anju.clients.announcements import ClientReferred, ClientsMerged
from anju.core.announcements import listen
from anju.deals.announcements import DealMoved
from anju.referrals import services


@listen(ClientReferred)
def follow_referred_by(news: ClientReferred) -> None:
    services.referral_follow_client(client_id=news.client_id, by_id=news.by_id)


@listen(ClientsMerged)
def follow_merge(news: ClientsMerged) -> None:
    services.referrals_follow_merge(keep_id=news.keep_id, merged_id=news.merged_id)


@listen(DealMoved)
def reward_on_deal(news: DealMoved) -> None:
    services.rewards_earn(deal_id=news.deal_id, to_stage=news.to_stage)
