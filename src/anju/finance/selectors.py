"""Reads for the calculators: a sale listing as the cost calculation sees it, and its estimate; a
buyer's need as the affordability calculation sees it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from anju.core.errors import ApplicationError
from anju.finance.affordability import Affordability, Means, affordability
from anju.finance.costs import Costs, Sale, transaction_costs
from anju.finance.rules import rule_book
from anju.listings.models import Listing, ListingKind

if TYPE_CHECKING:
    from anju.needs.models import Need
    from anju.org.models import Company

# The city whose rules apply when the agency has not set its own (the demo agency's city).
DEFAULT_CITY = "武汉"


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


def company_rules_city(company: Company) -> str:
    """The city whose rules price the agency's buyers: its own city, 武汉 when none is set."""
    return (company.city or "").strip() or DEFAULT_CITY


def need_means(need: Need, *, as_of: dt.date) -> Means | None:
    """A buy need's means as the affordability calculation sees them: None without cash or income.

    Buying a first home unless the need says otherwise (the lower down payment of the two), in
    the agency's city, with the calculator's defaults for the loan (30 years at the LPR).
    """
    if need.kind != "buy" or need.down_payment_cash is None or need.monthly_income is None:
        return None
    return Means(
        city=company_rules_city(need.company),
        cash=need.down_payment_cash,
        monthly_income=need.monthly_income,
        monthly_debts=need.monthly_debts or Decimal(0),
        home_count=2 if need.first_home is False else 1,
        as_of=as_of,
    )


def need_affordability(need: Need, *, as_of: dt.date) -> Affordability | None:
    """What the buyer can afford by the rules in force on ``as_of``; None without cash or income.

    Raises ApplicationError when it cannot be calculated: a city without rules, unusable rule
    files, figures the calculation refuses.
    """
    means = need_means(need, as_of=as_of)
    return None if means is None else affordability(means, rule_book())
