"""A flat brought in without its building and room (地址待补全): kept as it is, never verified until
an agent completes the address, matched only for needs that take unverified listings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from anju.core.errors import ApplicationError, ConflictError
from anju.listings.models import Property
from anju.listings.services import listing_complete_address, listing_verify
from anju.matching.search.criteria import NeedCriteria
from anju.matching.search.engine import listings_for_need
from anju.matching.search.scoring import ListingFacts, score
from tests.conftest import login
from tests.factories import ListingFactory, PropertyFactory
from tests.matching.test_announcements import _buyer


def incomplete_listing(agent, **flat):
    prop = PropertyFactory(
        company=agent.company,
        building=None,
        unit=None,
        room_number=None,
        floor=None,
        floor_band="middle",
        total_floors=18,
        **flat,
    )
    return ListingFactory(agent=agent, property=prop, price=Decimal("3200000.00"))


def test_flats_without_address_are_not_duplicates_of_each_other_but_whole_addresses_stay_unique(agent):
    # given
    first = incomplete_listing(agent)
    # when: a second flat of the same community, address unknown too
    second = PropertyFactory(
        company=agent.company,
        community=first.community,
        building=None,
        unit=None,
        room_number=None,
        floor=None,
        floor_band="high",
    )
    # then: both stand; a whole address still cannot be entered twice
    assert Property.objects.filter(community=first.community, building__isnull=True).count() == 2
    assert str(second) == f"{first.community.name} 地址待补全"
    PropertyFactory(
        company=agent.company, community=first.community, building="3", unit="1", room_number="1502"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyFactory(
            company=agent.company, community=first.community, building="3", unit="1", room_number="1502"
        )


def test_half_an_address_or_no_floor_at_all_cannot_be_stored(agent):
    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyFactory(company=agent.company, building="3", unit=None, room_number=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyFactory(company=agent.company, floor=None, floor_band="")
    assert PropertyFactory(company=agent.company, floor=None, floor_band="low").floor is None


def test_a_listing_to_complete_cannot_be_verified_until_its_address_is_completed(agent):
    # given
    listing = incomplete_listing(agent)
    # when / then
    with pytest.raises(ApplicationError) as refused:
        listing_verify(listing=listing, by=agent, method="phone")
    assert refused.value.code == "listing_address_incomplete"
    completed = listing_complete_address(
        listing=listing, by=agent, building="3栋", unit="1单元", room_number="1502室", floor=15
    )
    flat = Property.objects.get(pk=completed.property_id)
    assert (flat.building, flat.unit, flat.room_number, flat.floor, flat.floor_band) == (
        "3",
        "1",
        "1502",
        15,
        "",
    )
    assert flat.address_complete
    verification = listing_verify(listing=completed, by=agent, method="phone")
    assert verification.listing.verified_at is not None


def test_completing_to_an_address_another_flat_has_is_refused(agent):
    # given
    listing = incomplete_listing(agent)
    PropertyFactory(
        company=agent.company, community=listing.community, building="3", unit="1", room_number="1502"
    )
    # when / then
    with pytest.raises(ConflictError) as refused:
        listing_complete_address(
            listing=listing, by=agent, building="3", unit="1", room_number="1502", floor=15
        )
    assert refused.value.code == "property_exists"
    with pytest.raises(ApplicationError) as too_high:
        listing_complete_address(
            listing=listing, by=agent, building="3", unit="1", room_number="1902", floor=19
        )
    assert too_high.value.code == "floor_above_total"
    assert Property.objects.get(pk=listing.property_id).building is None


def test_a_listing_to_complete_is_matched_only_for_needs_that_take_unverified_listings(agent):
    # given
    listing = incomplete_listing(agent)
    open_minded = _buyer(agent, verified_only=False)
    strict = _buyer(agent, verified_only=True)
    # when
    found = listings_for_need(open_minded)
    left_out = listings_for_need(strict)
    # then
    assert [item.listing_id for item in found.items] == [listing.pk]
    assert left_out.items == []
    assert sum(left_out.excluded.values()) == 1
    page = login(agent).get(reverse("web:need_matches", args=[open_minded.pk])).content.decode()
    assert f'data-listing="{listing.pk}"' in page and 'data-badge="address-incomplete"' in page


def test_an_unknown_floor_is_read_as_unknown_never_as_the_ground_floor():
    # given: a buyer wanting floors 1 to 6, and two flats without elevator: one on the 3rd floor,
    # one whose floor is not known
    criteria = NeedCriteria(kind="buy", floor_min=1, floor_max=6)
    base = {
        "listing_id": 1,
        "kind": "sale",
        "district_id": 1,
        "community_id": 1,
        "business_area_id": 1,
        "price": Decimal("1000000"),
        "area": Decimal("90"),
        "rooms": 3,
        "has_elevator": False,
        "orientation": "S",
    }
    third = score(criteria, ListingFacts(floor=3, **base))
    unknown = score(criteria, ListingFacts(floor=None, address_complete=False, verified=False, **base))
    # then: the known floor fits; the unknown one neither fits nor counts as low
    assert "位于3楼，楼层合适" in third.fits
    assert "楼层不详（地址待补全），无法确认是否符合楼层要求" in unknown.lacks
    assert "楼层不详，无电梯" in unknown.lacks
    assert unknown.score < third.score


def test_the_pages_mark_a_listing_to_complete_and_its_edit_page_completes_it(agent):
    # given
    listing = incomplete_listing(agent)
    browser = login(agent)
    # when
    detail = browser.get(f"/listings/{listing.pk}/").content.decode()
    listed = browser.get("/listings/").content.decode()
    edit = browser.get(f"/listings/{listing.pk}/edit/").content.decode()
    workbench = browser.get("/").content.decode()
    # then
    assert 'data-badge="address-incomplete"' in detail and "中楼层/18层" in detail
    assert "核实房源" not in detail
    assert 'data-badge="address-incomplete"' in listed
    assert 'data-testid="complete-address"' in edit
    assert "地址待补全" in workbench and listing.community.name in workbench
    # when: the agent completes it on the edit page
    form = {
        "building": "5",
        "unit": "2",
        "room_number": "801",
        "floor": "8",
        "total_floors": "18",
        "area": "89.5",
        "rooms": "3",
        "halls": "2",
        "baths": "1",
        "orientation": "SN",
        "decoration": "fine",
        "title_type": "commodity",
        "only_home": "unknown",
        "mandate": "general",
    }
    response = browser.post(f"/listings/{listing.pk}/edit/", form)
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    flat = Property.objects.get(pk=listing.property_id)
    assert (flat.building, flat.unit, flat.room_number, flat.floor) == ("5", "2", "801", 8)
    detail = browser.get(f"/listings/{listing.pk}/").content.decode()
    assert 'data-badge="address-incomplete"' not in detail and "核实房源" in detail
