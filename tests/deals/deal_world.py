"""Deals as the services leave them, for tests of other parts (the workbench) that need a few."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from anju.deals.models import Deal
from anju.deals.services import IntentTerms, OfferTerms, deal_create, intent_record, offer_accept, offer_make


def intent_signed(agent, listing, buyer, *, sign_in_days: int) -> Deal:
    """A deal at 已签意向 whose contract is due ``sign_in_days`` from today (negative: overdue)."""
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    offer = offer_make(deal=deal, terms=OfferTerms(side="seller", price=listing.price), by=agent)
    offer_accept(offer=offer, by=agent)
    today = timezone.localdate()
    sign_by = today + dt.timedelta(days=sign_in_days)
    terms = IntentTerms(
        kind="earnest",
        amount=Decimal("20000.00"),
        holder="agency",
        sign_by=sign_by,
        if_buyer_walks="forfeit",
        if_seller_walks="double",
        signed_on=min(today, sign_by),
    )
    intent_record(deal=deal, terms=terms, by=agent)
    return deal
