"""The demo agency has deals in processing with overdue milestones and closed deals with visits."""

from __future__ import annotations

from django.urls import reverse

from anju.deals.models import Deal
from anju.market.models import MarketMonth
from anju.org.models import Agent
from anju.processing.models import Loan, Milestone, TaxRecord, Visit
from tests.conftest import login
from tests.demo.demo_runs import run_demo

SMALL = ["--listings", "200", "--clients", "150"]


def test_the_demo_has_deals_in_processing_and_closed_with_visits(db, frozen_day):
    # when the demo is made
    run_demo(*SMALL)
    # then deals are in processing with some milestones overdue
    assert Deal.objects.filter(stage__in=["contract", "processing"]).count() >= 4
    overdue = Milestone.objects.filter(done_on__isnull=True, plan__deal__stage="processing")
    assert overdue.exists()
    # and closed deals have their visits and their prices in the market's deal figures
    assert Deal.objects.filter(stage="closed").exists()
    assert Visit.objects.filter(done_at__isnull=True).exists()
    assert MarketMonth.objects.filter(source="deal").exists()
    # and the specialist's board is not empty
    specialist = Agent.objects.get(role="specialist")
    board = login(specialist).get(reverse("web:processing_board"))
    assert board.status_code == 200
    assert "board-deal" in board.content.decode()
    # and deals in processing have their taxes kept, and those paid with a loan their loan
    assert TaxRecord.objects.filter(deal__stage__in=["contract", "processing"]).exists()
    loan = Loan.objects.select_related("deal__agent").first()
    assert loan is not None and loan.monthly is not None
    page = login(loan.deal.agent).get(reverse("web:deal_loan", args=[loan.deal_id]))
    assert page.status_code == 200 and loan.bank in page.content.decode()
