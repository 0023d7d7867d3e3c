"""Reads for the calculators: a sale listing as the cost calculation sees it, and its estimate."""

from __future__ import annotations

import datetime as dt

from anju.core.errors import ApplicationError
from anju.finance.costs import Costs, Sale, transaction_costs
from anju.finance.rules import rule_book
from anju.listings.models import Listing, ListingKind


def listing_sale(listing: Listing, *, as_of: dt.date) -> Sale:
    """The listing's flat sold at its asking price on ``as_of`` to a typical buyer (a first home, the
    agency's default commission); the seller's holding from the title certificate's date."""
    prop = listing.property
    acquired = prop.certificate_date if prop.certificate_date and prop.certificate_date <= as_of else None
    return Sale(
        city=listing.district.city.name,
        price=listing.price,
        area=prop.area,
        as_of=as_of,
        district_type=listing.district.kind,
        buyer_home_count=1,
        seller_acquired_on=acquired,
        seller_only_home=bool(prop.only_home),
    )


def listing_costs(listing: Listing, *, as_of: dt.date) -> Costs | None:
    """The estimate for a sale listing; None for a rental, a city without rules or unusable rule files."""
    if listing.kind != ListingKind.SALE:
        return None
    try:
        return transaction_costs(listing_sale(listing, as_of=as_of), rule_book())
    except ApplicationError:
        return None
