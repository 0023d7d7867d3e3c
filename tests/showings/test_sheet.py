"""The materials sheet (看房资料): what a client reads at a showing, on a phone or printed."""

from __future__ import annotations

from decimal import Decimal

from anju.geo.services import amenity_add, station_create
from anju.listings.services import listing_media_add
from tests.factories import CommunityFactory, ListingFactory
from tests.listings.conftest import assign_school, upload


def test_the_sheet_shows_the_home_its_surroundings_and_the_cost_estimate(
    web, agent, company, settings, tmp_path
):
    # given a listing with a photo, a floor plan, highlights, drawbacks, and a community with a school,
    # a station and a supermarket in the dictionary
    settings.MEDIA_ROOT = tmp_path
    garden = CommunityFactory(company=company, name="东湖花园")
    assign_school(garden, name="水果湖第一小学")
    station_create(
        city=garden.district.city, line="8号线", name="梨园", latitude="30.551000", longitude="114.301000"
    )
    amenity_add(community=garden, kind="market", name="中百超市", distance_m=300)
    listing = ListingFactory(
        agent=agent,
        property__community=garden,
        price=Decimal("2680000"),
        highlights="南北通透，采光好",
        drawbacks="临街，有噪音",
    )
    photo = listing_media_add(
        listing=listing, by=agent, file=upload("客厅.png"), kind="photo", caption="客厅"
    )
    plan = listing_media_add(listing=listing, by=agent, file=upload("户型.png"), kind="floor_plan")
    # when
    page = web.get(f"/listings/{listing.pk}/sheet/").content.decode()
    # then
    assert "东湖花园" in page and "268万" in page
    assert f'data-media="{photo.pk}"' in page and f'data-media="{plan.pk}"' in page
    assert "水果湖第一小学" in page and "梨园站" in page and "中百超市" in page
    assert "南北通透，采光好" in page and "临街，有噪音" in page
    assert 'data-testid="cost-estimate"' in page and 'data-testid="estimate-buyer"' in page
    assert "@media print" in page
    # the agent who prints it is on it; the exact address is not (a client could go around the agency)
    assert agent.name in page
    assert listing.property.room_number not in page


def test_the_sheet_says_so_when_the_dictionary_knows_nothing_around(web, agent):
    listing = ListingFactory(agent=agent, kind="rent", price=Decimal("3200"))
    page = web.get(f"/listings/{listing.pk}/sheet/").content.decode()
    assert "楼盘字典中还没有该小区的周边资料" in page
    assert 'data-testid="cost-estimate"' not in page  # a rental has no transaction taxes
    assert "3,200" in page


def test_the_sheet_of_another_company_is_not_found(web, stranger):
    listing = ListingFactory(agent=stranger)
    assert web.get(f"/listings/{listing.pk}/sheet/").status_code == 404


def test_the_listing_page_links_to_its_sheet(web, agent):
    listing = ListingFactory(agent=agent)
    page = web.get(f"/listings/{listing.pk}/").content.decode()
    assert f'href="/listings/{listing.pk}/sheet/"' in page
