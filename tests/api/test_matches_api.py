"""GET /api/v1/needs/{id}/matches and /api/v1/listings/{id}/matches: the contract the pages and apps read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from anju.matching.search import layout
from tests.conftest import login
from tests.factories import ClientFactory, ListingFactory, NeedFactory, PropertyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(agent):
    listing = ListingFactory(
        agent=agent,
        property=PropertyFactory(company=agent.company, rooms=3, floor=5, has_elevator=False),
        price=Decimal("2820000.00"),
        verified_at=timezone.now() - dt.timedelta(days=1),
    )
    need = NeedFactory(
        client=ClientFactory(owner=agent),
        agent=agent,
        budget_min=Decimal("2000000"),
        budget_max=Decimal("3000000"),
        rooms_min=3,
    )
    layout.listing_refresh(listing_id=listing.pk)
    layout.need_refresh(need_id=need.pk)
    return need, listing


def test_a_need_lists_its_listings_with_score_and_reasons(agent, pair):
    # given
    need, listing = pair
    # when
    response = login(agent).get(f"/api/v1/needs/{need.pk}/matches?limit=20")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["total_fitting"] == 1
    assert body["excluded"] == {}
    [item] = body["items"]
    assert item["listing_id"] == listing.pk
    assert 0 < item["score"] <= 100
    assert "总价在预算内，低于上限6%" in item["fits"]
    assert "5楼无电梯" in item["lacks"]


def test_a_need_pages_through_every_fitting_listing_by_next_offset(agent, pair):
    # given a need that five listings fit
    need, first = pair
    others = [
        ListingFactory(
            agent=agent,
            property=PropertyFactory(company=agent.company, rooms=3),
            price=Decimal(2_100_000 + 100_000 * i),
            verified_at=timezone.now() - dt.timedelta(days=1),
        )
        for i in range(4)
    ]
    api = login(agent)
    # when the pages are read two at a time, each from the previous one's next_offset
    seen, offsets, offset = [], [], 0
    while offset is not None:
        body = api.get(f"/api/v1/needs/{need.pk}/matches?limit=2&offset={offset}").json()
        assert body["total_fitting"] == 5
        offsets.append(body["offset"])
        seen += [(item["score"], item["listing_id"]) for item in body["items"]]
        offset = body["next_offset"]
    # then every fitting listing came once, best first, over three pages
    assert offsets == [0, 2, 4]
    assert sorted(listing_id for _score, listing_id in seen) == sorted([first.pk, *(o.pk for o in others)])
    assert seen == sorted(seen, key=lambda pair: (-pair[0], pair[1]))


def test_a_listing_lists_the_needs_it_satisfies_with_the_agent(agent, pair):
    # given
    need, listing = pair
    # when
    response = login(agent).get(f"/api/v1/listings/{listing.pk}/matches")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    [item] = body["items"]
    assert (item["need_id"], item["client_id"], item["agent_id"]) == (need.pk, need.client_id, agent.pk)
    assert "3室2厅，符合至少3室的要求" in item["fits"]


def test_another_company_sees_neither(stranger, pair):
    # given
    need, listing = pair
    api = login(stranger)
    # when / then
    assert api.get(f"/api/v1/needs/{need.pk}/matches").status_code == 404
    assert api.get(f"/api/v1/listings/{listing.pk}/matches").status_code == 404


def test_a_sell_need_is_not_matched_to_listings(agent):
    # given
    need = NeedFactory(
        client=ClientFactory(owner=agent),
        agent=agent,
        kind="sell",
        property=PropertyFactory(company=agent.company),
    )
    # when
    response = login(agent).get(f"/api/v1/needs/{need.pk}/matches")
    # then
    assert response.status_code == 400
    assert "购房和租房" in response.json()["message"]
