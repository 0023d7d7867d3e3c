"""/api/v1 — the seller side of showings: the showing report of a listing and open days (开放日).

Mounted at the API's root beside the showings router: the report's path, under /listings, is the
issue's contract; open days live under /showings/open-days.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from anju.core.schemas import ERRORS
from anju.listings.selectors import access_listing_for_change
from anju.org.scoping import agent_of
from anju.showings.seller_report import ShowingReport, showing_report
from anju.showings.seller_schemas import ShowingReportOut

router = Router(tags=["带看"])


def report_out(report: ShowingReport) -> dict:
    figures = report.figures
    offers = figures.offers
    return {
        "listing_id": report.listing.pk,
        "kind": report.listing.kind,
        "asking_price": report.asking_price,
        "as_of": report.today,
        "showings": figures.showings,
        "clients": figures.clients,
        "no_shows": figures.no_shows,
        "planned": report.planned,
        "average_interest": figures.average_interest,
        "rated": figures.rated,
        "weeks": [
            {"starts_on": w.starts_on, "showings": w.showings, "clients": w.clients} for w in figures.weeks
        ],
        "objections": [{"tag": t.tag, "count": t.count} for t in figures.objections],
        "liked": [{"tag": t.tag, "count": t.count} for t in figures.liked],
        "price_opinions": figures.opinions,
        "price_offers": {
            "count": offers.count,
            "average": offers.average,
            "low": offers.low,
            "high": offers.high,
            "gap_percent": report.offer_gap_percent,
        },
        "shares": report.shares,
        "open_days": report.open_days,
        "open_day_signups": report.open_day_signups,
    }


@router.get(
    "/listings/{listing_id}/showing-report",
    response={200: ShowingReportOut, **ERRORS},
    summary="房源带看反馈报告（给业主看）：每周带看、意向、常见意见、价格看法",
)
def get_showing_report(request: HttpRequest, listing_id: int) -> dict:
    listing = access_listing_for_change(agent_of(request.user), listing_id)
    return report_out(showing_report(listing))
