"""The demo's deals after their contract (交易办理): some in 办理中 with overdue milestones for the
specialist's board, some closed with after-sales visits due and their prices in the market's 成交
figures. Written through the deals' and processing's services, as an agent would."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from anju.clients.models import Client
from anju.core.formats import FEN, WAN
from anju.deals.escrow import escrow_record
from anju.deals.models import Deal, DealStage, EntryKind, Payment
from anju.deals.services import OfferTerms, deal_create, deal_move, offer_accept, offer_make
from anju.demo.clock import DemoClock
from anju.listings.models import Listing
from anju.matching.models import Match
from anju.org.models import Agent, Company
from anju.processing.models import Milestone
from anju.processing.money import LOAN_KINDS, TaxFacts, loan_paper_received, loan_set, taxes_compute
from anju.processing.services import (
    deal_close,
    handover_item_done,
    handover_keys,
    milestone_done,
    plan_start,
)

IN_PROCESSING = 8
CLOSED = 4
PAYMENTS = (Payment.COMMERCIAL, Payment.COMMERCIAL, Payment.PROVIDENT, Payment.COMBINATION, Payment.FULL)


def _signed(listing: Listing, buyer: Client, rng: random.Random, signed_on: dt.date) -> Deal:
    agent = Agent.objects.get(pk=listing.agent_id)
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    price = (listing.price * Decimal(rng.choice(("0.96", "0.97", "0.98")))).quantize(Decimal(1000))
    offer = offer_make(
        deal=deal, terms=OfferTerms(side="buyer", price=price, payment=rng.choice(PAYMENTS)), by=agent
    )
    offer_accept(offer=offer, by=agent)
    deal.refresh_from_db()
    plan_start(deal=deal, by=agent, signed_on=signed_on)
    deal_move(deal=deal, to=DealStage.CONTRACT, by=agent)
    return deal


def _done_until(deal: Deal, day: dt.date) -> None:
    for milestone in Milestone.objects.filter(plan__deal=deal, due_on__lte=day).order_by("position"):
        milestone_done(milestone=milestone, by=deal.agent, on=milestone.due_on)


def _loan_and_taxes(deal: Deal, clock: DemoClock, rng: random.Random) -> None:
    """The buyer's loan (for a deal paid with one) and the taxes kept as of a transfer a month on."""
    payment = deal.accepted_offer.payment if deal.accepted_offer is not None else ""
    price = deal.price or deal.listing.price
    if payment in LOAN_KINDS:
        loan = loan_set(
            deal=deal,
            bank=rng.choice(("招商银行", "建设银行", "工商银行")),
            kind=payment,
            amount=(price * Decimal("0.65") / WAN).quantize(Decimal(1)) * WAN,
            rate=Decimal("0.031") if payment != Payment.PROVIDENT else Decimal("0.0285"),
            years=rng.choice((20, 25, 30)),
            interview_at=clock.at(rng.randrange(1, 7), 10 * 3600),
            by=deal.agent,
        )
        for paper in loan.papers.all()[: rng.randrange(2, 6)]:
            loan_paper_received(paper=paper, received_on=clock.date(rng.randrange(1, 10)), by=deal.agent)
    facts = TaxFacts(buyer_home_count=rng.choice((1, 1, 2)), seller_years_held=Decimal(rng.randrange(1, 12)))
    taxes_compute(deal=deal, as_of=clock.today + dt.timedelta(days=30), facts=facts, by=deal.agent)


def demo_processing(company: Company, clock: DemoClock, rng: random.Random) -> dict[str, int]:
    """Deals in processing (signed 2–8 weeks ago, the latest milestones left undone, so some are
    overdue) and closed deals (signed about five months ago, handed over days ago)."""
    listings = list(
        Listing.objects.filter(company=company, kind="sale", status="active")
        # not the listings the demo's new matches are about: those stay on the market
        .exclude(pk__in=Match.objects.filter(listing__company=company).values("listing_id"))
        .select_related("community")
        .order_by("id")[: (IN_PROCESSING + CLOSED) * 3]
    )
    buyers = list(Client.objects.filter(company=company, owner__isnull=False).order_by("id")[:200])
    rng.shuffle(listings)
    # A few of the open ones in the specialist's own store, so the board shows them.
    specialist_store = (
        Agent.objects.filter(company=company, role="specialist").values_list("store_id", flat=True).first()
    )
    own = [listing for listing in listings if listing.store_id == specialist_store][: IN_PROCESSING // 2]
    listings = own + [listing for listing in listings if listing not in own]
    made = {"办理中的交易": 0, "已结案的交易": 0}
    if not buyers:
        return made
    for index, listing in enumerate(listings[: IN_PROCESSING + CLOSED]):
        buyer = rng.choice([b for b in buyers if b.pk != listing.seller_id] or buyers)
        if index < IN_PROCESSING:
            deal = _signed(listing, buyer, rng, clock.date(rng.randrange(14, 56)))
            # done up to a week or two ago: what fell due since is overdue
            _done_until(deal, clock.date(rng.randrange(3, 15)))
            _loan_and_taxes(deal, clock, rng)
            made["办理中的交易"] += 1
            continue
        deal = _signed(listing, buyer, rng, clock.date(rng.randrange(150, 170)))
        handed_over = clock.date(rng.randrange(1, 6))
        amount = ((deal.price or listing.price) * Decimal("0.3")).quantize(FEN)
        escrow_record(
            deal=deal,
            kind=EntryKind.DEPOSIT,
            amount=amount,
            on=clock.date(140),
            by=deal.agent,
            bank="招商银行",
        )
        _done_until(deal, handed_over)
        for milestone in Milestone.objects.filter(plan__deal=deal, done_on__isnull=True):
            milestone_done(milestone=milestone, by=deal.agent, on=handed_over)
        escrow_record(
            deal=deal, kind=EntryKind.RELEASE, amount=amount, on=handed_over, by=deal.agent, bank="招商银行"
        )
        for item in deal.handover_items.all():
            handover_item_done(
                item=item,
                reading=str(rng.randrange(100, 9000)),
                account_transferred=True,
                by=deal.agent,
                on=handed_over,
            )
        handover_keys(
            deal=deal,
            keys_count=rng.choice((2, 3, 4)),
            key_kinds="入户门、单元门",
            buyer_confirmed=True,
            seller_confirmed=True,
            by=deal.agent,
            on=handed_over,
        )
        deal_close(deal=deal, by=deal.agent)
        made["已结案的交易"] += 1
    return made
