"""The showing report for the seller (带看反馈报告): through the arithmetic, the API and the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from anju.showings.seller_report import summarise, week_start
from tests.conftest import login
from tests.factories import ClientFactory, ListingFactory
from tests.showings.seller_data import visit

TODAY = dt.date(2026, 11, 26)  # a Thursday


def row(day: dt.date, client_id: int, **values):
    return {
        "outcome": "shown",
        "interest": None,
        "liked": [],
        "disliked": [],
        "price_opinion": "",
        "price_offer": None,
        "client_id": client_id,
        "day": day,
        **values,
    }


# --- the arithmetic --------------------------------------------------------------------------


def test_weeks_count_showings_and_distinct_clients_and_end_with_this_week():
    # given: client 1 twice this week, client 2 once; client 3 three weeks ago; a no-show this week
    monday = week_start(TODAY)
    rows = [
        row(monday, 1),
        row(TODAY, 1),
        row(TODAY, 2),
        row(monday - dt.timedelta(weeks=3), 3),
        row(TODAY, 4, outcome="no_show"),
    ]
    # when
    figures = summarise(rows, today=TODAY)
    # then
    assert len(figures.weeks) == 12 and figures.weeks[-1].starts_on == monday
    assert (figures.weeks[-1].showings, figures.weeks[-1].clients) == (3, 2)
    assert (figures.weeks[-4].showings, figures.weeks[-4].clients) == (1, 1)
    assert sum(w.showings for w in figures.weeks) == 4
    assert (figures.showings, figures.clients, figures.no_shows) == (4, 3, 1)


def test_interest_objections_and_price_opinions():
    rows = [
        row(
            TODAY,
            1,
            interest=4,
            disliked=["噪音", "楼层"],
            liked=["采光"],
            price_opinion="high",
            price_offer=Decimal("2500000"),
        ),
        row(TODAY, 2, interest=3, disliked=["噪音"], price_opinion="high", price_offer=Decimal("2600000")),
        row(TODAY, 3, interest=None, disliked=["噪音", "价格"], price_opinion="fair"),
        row(TODAY, 4, outcome="no_show", interest=None, disliked=["学区"]),  # not seen: says nothing
    ]
    figures = summarise(rows, today=TODAY)
    assert figures.average_interest == Decimal("3.5") and figures.rated == 2
    assert [(t.tag, t.count) for t in figures.objections] == [("噪音", 3), ("楼层", 1), ("价格", 1)]
    assert [(t.tag, t.count) for t in figures.liked] == [("采光", 1)]
    assert figures.opinions == {"high": 2, "fair": 1, "low": 0}
    offers = figures.offers
    assert (offers.count, offers.average, offers.low, offers.high) == (
        2,
        Decimal("2550000.00"),
        Decimal("2500000"),
        Decimal("2600000"),
    )
    assert offers.gap_percent(Decimal("2680000")) == Decimal("-4.9")


def test_nothing_seen_yet_gives_empty_figures_not_errors():
    figures = summarise([], today=TODAY)
    assert figures.showings == 0 and figures.average_interest is None
    assert figures.offers.average is None and figures.offers.gap_percent(Decimal("100")) is None
    assert all(w.showings == 0 for w in figures.weeks)


# --- the API and the page ---------------------------------------------------------------------


@pytest.fixture
def shown_listing(agent, colleague):
    """A listing of ``agent`` shown to three clients (one of them twice), one visit still ahead."""
    listing = ListingFactory(agent=agent, price=Decimal("2680000"), property__community__name="东湖花园")
    first, second, third = (ClientFactory(owner=colleague, name=f"买家{n}") for n in range(3))
    now = timezone.now()
    visit(
        listing,
        first,
        now - dt.timedelta(days=1),
        feedback={
            "interest": 4,
            "disliked": ["噪音"],
            "price_opinion": "high",
            "price_offer": Decimal("2500000"),
        },
    )
    visit(listing, first, now - dt.timedelta(hours=2), feedback={"interest": 5, "liked": ["采光"]})
    visit(
        listing,
        second,
        now - dt.timedelta(days=15),
        feedback={"interest": 2, "disliked": ["噪音", "楼层"], "price_opinion": "high"},
    )
    visit(listing, third, now - dt.timedelta(days=2), feedback={"outcome": "no_show"})
    visit(listing, third, now + dt.timedelta(days=1))
    return listing


def test_the_api_answers_the_report(web, shown_listing):
    # when
    response = web.get(f"/api/v1/listings/{shown_listing.pk}/showing-report")
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["showings"], body["clients"], body["no_shows"], body["planned"]) == (3, 2, 1, 1)
    assert body["average_interest"] == "3.7"
    assert body["objections"][0] == {"tag": "噪音", "count": 2}
    assert body["price_opinions"] == {"high": 2, "fair": 0, "low": 0}
    assert body["price_offers"]["average"] == "2500000.00" and body["price_offers"]["gap_percent"] == "-6.7"
    assert Decimal(body["asking_price"]) == Decimal("2680000")
    assert len(body["weeks"]) == 12 and sum(w["showings"] for w in body["weeks"]) == 3
    assert body["weeks"][-1]["starts_on"] == week_start(timezone.localdate()).isoformat()


def test_the_page_shows_the_figures_printably_without_any_client(web, shown_listing):
    page = web.get(f"/listings/{shown_listing.pk}/showing-report/").content.decode()
    assert 'data-testid="showings">3<' in page and 'data-testid="clients">2<' in page
    assert 'data-tag="噪音"' in page and "偏高" in page and "250万" in page
    assert 'id="weeks-chart"' in page and "@media print" in page
    assert "买家0" not in page and "买家1" not in page  # the seller reads counts, never the buyers


def test_an_unshown_listing_reports_nothing_yet(web, agent):
    listing = ListingFactory(agent=agent)
    page = web.get(f"/listings/{listing.pk}/showing-report/").content.decode()
    assert 'data-testid="report-empty"' in page
    assert web.get(f"/api/v1/listings/{listing.pk}/showing-report").json()["showings"] == 0


def test_only_the_listings_agent_and_their_managers_read_the_report(
    shown_listing, colleague, manager, stranger
):
    # a colleague of the same store may read the listing but not its seller's report
    assert login(colleague).get(f"/api/v1/listings/{shown_listing.pk}/showing-report").status_code == 403
    assert login(colleague).get(f"/listings/{shown_listing.pk}/showing-report/").status_code == 403
    assert login(manager).get(f"/api/v1/listings/{shown_listing.pk}/showing-report").status_code == 200
    assert login(stranger).get(f"/api/v1/listings/{shown_listing.pk}/showing-report").status_code == 404


def test_the_listing_page_links_its_agent_to_the_report(web, agent, colleague):
    listing = ListingFactory(agent=agent)
    assert f"/listings/{listing.pk}/showing-report/" in web.get(f"/listings/{listing.pk}/").content.decode()
    assert (
        f"/listings/{listing.pk}/showing-report/"
        not in login(colleague).get(f"/listings/{listing.pk}/").content.decode()
    )
