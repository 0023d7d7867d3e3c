"""What the contract tests share: a deal whose offer was accepted, the terms it lacks, a scan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from anju.deals.contracts.services import title_check_record
from anju.deals.services import OfferTerms, deal_create, offer_accept, offer_make

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TERMS = {
    "certificate_number": "鄂(2024)武汉市不动产权第0123456号",
    "payment_schedule": "签约当日付首付款59.4万元，余款138.6万元以商业贷款支付。",
    "breach_liability": "任何一方逾期履行的，每逾期一日按成交价的万分之五支付违约金。",
}


def open_and_agree(*, listing, buyer, by, price=Decimal("1980000.00")):
    """A deal on ``listing`` whose seller's counter-offer the buyer accepted."""
    deal = deal_create(listing=listing, buyer=buyer, by=by)
    offer_make(deal=deal, terms=OfferTerms(side="buyer", price=price - 30000, payment="commercial"), by=by)
    counter = OfferTerms(side="seller", price=price, payment="commercial", handover_on=dt.date(2027, 3, 31))
    offer_accept(offer=offer_make(deal=deal, terms=counter, by=by), by=by)
    deal.refresh_from_db()
    return deal


def recheck(deal, agent, **changes):
    values = {
        "certificate_number": TERMS["certificate_number"],
        "area": "89.50",
        "mortgaged": True,
        "seized": False,
    } | changes
    return title_check_record(deal=deal, by=agent, **values)
