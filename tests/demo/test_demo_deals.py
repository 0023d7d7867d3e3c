"""The demo's deals: every stage Deals I has, so the deal pages and reports are not empty."""

from __future__ import annotations

from django.db.models import Count

from anju.deals.models import Deal
from anju.deals.selectors import deal_commission, intent_deadlines
from anju.listings.models import ListingStatus
from anju.org.models import Agent
from tests.demo.demo_runs import FROZEN_NOW, run_demo


def test_the_demo_has_deals_in_every_stage_with_their_offers_money_and_reasons(db, frozen_day):
    # when
    run_demo("--listings", "300", "--clients", "200")
    # then there are deals negotiating (with offer threads), at 已签意向 and cancelled
    stages = dict(Deal.objects.values_list("stage").annotate(n=Count("pk")))
    assert (
        stages.get("negotiating", 0) >= 3 and stages.get("intent", 0) >= 3 and stages.get("cancelled", 0) >= 2
    )
    assert Deal.objects.filter(kind="lease").exists()
    threads = Deal.objects.filter(stage="negotiating").annotate(n=Count("offers"))
    assert max(d.n for d in threads) >= 3
    for deal in Deal.objects.filter(stage="intent"):
        assert deal.ledger.entries.get().amount == deal.intent.amount
        assert deal.receipts.exists()
        assert deal.listing.status == ListingStatus.RESERVED
        assert sum(p.amount for p in deal_commission(deal).parts) == deal_commission(deal).amount
    for deal in Deal.objects.filter(stage="cancelled"):
        assert deal.cancel_reason
        assert deal.listing.status == ListingStatus.ACTIVE
    # and one signing deadline has passed: it is flagged on its agent's workbench
    overdue = [d for d in Deal.objects.filter(stage="intent") if d.intent.sign_by < FROZEN_NOW.date()]
    assert len(overdue) == 1
    agent = Agent.objects.get(pk=overdue[0].agent_id)
    assert overdue[0] in list(intent_deadlines(agent, until=FROZEN_NOW.date()))
