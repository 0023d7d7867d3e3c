"""Processing hears the deal's moves (decision 0010): a signed contract gets its plan; a deal may
reach 已结案 only with nothing open (a refusal here rolls the move back), and closing schedules
the after-sales visits and puts a sale's price into the market figures."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anju.core.announcements import listen
from anju.deals.announcements import DealMoved
from anju.deals.models import Deal, DealKind, DealStage
from anju.market.services import deal_price_record
from anju.org.models import Agent
from anju.processing.models import Handover, Visit
from anju.processing.services import company_visit_days, plan_start, refuse_if_open


@listen(DealMoved)
def plan_on_signing(news: DealMoved) -> None:
    if news.to_stage != DealStage.CONTRACT:
        return
    deal = Deal.objects.select_related("accepted_offer", "agent").get(pk=news.deal_id)
    plan_start(deal=deal, by=Agent.objects.get(pk=news.by_id))


@listen(DealMoved)
def close_only_when_done(news: DealMoved) -> None:
    if news.to_stage != DealStage.CLOSED:
        return
    deal = Deal.objects.select_related("listing").get(pk=news.deal_id)
    refuse_if_open(deal)
    handover = Handover.objects.filter(deal_id=deal.pk).first()
    base = (handover.handed_over_on if handover else None) or timezone.localdate()
    Visit.objects.bulk_create(
        [
            Visit(deal=deal, agent_id=deal.agent_id, days=days, due_on=base + dt.timedelta(days=days))
            for days in company_visit_days(deal.company_id)
        ],
        ignore_conflicts=True,
    )
    if deal.kind == DealKind.SALE and deal.price:
        deal_price_record(listing=deal.listing, price=deal.price, on=timezone.localdate())
