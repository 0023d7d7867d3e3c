"""A sale with a loan and escrow, its contract signed: the deal every processing test starts from."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anju.deals.models import DealStage
from anju.deals.services import OfferTerms, deal_create, deal_move, offer_accept, offer_make
from tests.factories import AgentFactory, ClientFactory, ListingFactory


@pytest.fixture
def specialist(store):
    return AgentFactory(
        store=store, company=store.company, name="陈专员", role="specialist", user__username="chen"
    )


@pytest.fixture
def listing(agent):
    seller = ClientFactory(owner=agent, name="业主周先生")
    return ListingFactory(agent=agent, seller=seller, price=Decimal("1980000.00"))


@pytest.fixture
def buyer(agent):
    return ClientFactory(owner=agent, name="买方陈女士")


def signed_deal(listing, buyer, agent, *, payment="commercial"):
    """A deal whose buyer's offer was accepted and whose contract is signed (已签合同)."""
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    offer = offer_make(
        deal=deal, terms=OfferTerms(side="buyer", price=Decimal("1950000.00"), payment=payment), by=agent
    )
    offer_accept(offer=offer, by=agent)
    deal_move(deal=deal, to=DealStage.CONTRACT, by=agent)
    deal.refresh_from_db()
    return deal


@pytest.fixture
def deal(listing, buyer, agent, specialist):
    return signed_deal(listing, buyer, agent)
