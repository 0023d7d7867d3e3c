"""A client who referred a friend; the friend buys through a deal: what every referrals test starts from."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anju.clients.services import client_create
from anju.deals.models import DealStage
from anju.deals.services import OfferTerms, deal_create, deal_move, offer_accept, offer_make
from anju.referrals.models import ReferralSettings
from tests.factories import ClientFactory, ListingFactory


@pytest.fixture
def referrer(agent):
    return ClientFactory(owner=agent, name="老客户刘女士")


@pytest.fixture
def friend(agent, referrer):
    """A new client recorded at intake as referred by ``referrer`` (介绍人)."""
    return client_create(agent=agent, name="新客户孙先生", mobile="13900001111", referred_by=referrer)


def rule(company, **values) -> ReferralSettings:
    row, _created = ReferralSettings.objects.update_or_create(company=company, defaults=values)
    return row


def deal_for(buyer, agent, *, price="2000000.00"):
    """A deal of ``buyer`` on a new listing whose buyer's offer was accepted (the price is agreed)."""
    listing = ListingFactory(agent=agent, seller=ClientFactory(owner=agent), price=Decimal("2100000.00"))
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    offer = offer_make(deal=deal, terms=OfferTerms(side="buyer", price=Decimal(price)), by=agent)
    offer_accept(offer=offer, by=agent)
    deal.refresh_from_db()
    return deal


def sign(deal, agent):
    deal_move(deal=deal, to=DealStage.CONTRACT, by=agent)
    deal.refresh_from_db()
    return deal
