"""The demo's price cuts and 行情 figures: the market pages have something to show after ``make run``."""

from __future__ import annotations

import itertools

from django.db.models import Count, Max, Min

from anju.listings.models import Listing, PriceChange
from anju.market.models import MarketMonth
from tests.demo.demo_runs import FROZEN_NOW, run_demo


def test_some_listings_were_cut_and_each_ends_at_its_asking_price(db, frozen_day):
    # when
    run_demo("--listings", "400", "--clients", "50", "--needs", "20")
    # then
    cut_listings = Listing.objects.annotate(cuts=Count("price_changes")).filter(cuts__gt=0)
    assert 0.1 < cut_listings.count() / Listing.objects.count() < 0.4
    for listing in cut_listings:
        changes = list(listing.price_changes.order_by("at"))
        assert changes[-1].new_price == listing.price
        assert all(change.new_price < change.old_price for change in changes)
        assert all(a.new_price == b.old_price for a, b in itertools.pairwise(changes))
        assert listing.created_at <= changes[0].at <= changes[-1].at <= listing.updated_at
        assert changes[0].by_id == listing.agent_id
    bounds = PriceChange.objects.aggregate(first=Min("at"), last=Max("at"))
    assert bounds["last"] < FROZEN_NOW


def test_the_demo_ends_with_market_figures_for_its_districts(db, frozen_day):
    # when
    run_demo("--listings", "400", "--clients", "50", "--needs", "20")
    # then
    districts = set(Listing.objects.values_list("district_id", flat=True))
    figured = set(
        MarketMonth.objects.filter(scope="district", source="asking").values_list("scope_id", flat=True)
    )
    assert districts <= figured


def test_reset_removes_the_cuts_and_figures_with_the_demo_company(db, frozen_day):
    # given
    run_demo("--listings", "200", "--clients", "50", "--needs", "20")
    # when
    run_demo("--listings", "100", "--clients", "50", "--needs", "20", "--reset")
    # then
    assert PriceChange.objects.filter(listing__company__isnull=True).count() == 0
    assert set(PriceChange.objects.values_list("listing_id", flat=True)) <= set(
        Listing.objects.values_list("pk", flat=True)
    )
    assert Listing.objects.count() == 100
