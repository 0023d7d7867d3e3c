"""The listing pages: search with filters, the listing page, entry and edits, the actions — and who sees what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anju.listings.models import Listing, ListingMedia, PriceChange, Verification
from tests.conftest import login
from tests.factories import (
    ClientFactory,
    CommunityFactory,
    DistrictFactory,
    ListingFactory,
    PriceChangeFactory,
)
from tests.listings.conftest import assign_school, upload


def rows(page: str) -> int:
    return page.count("<tr data-listing=")


# --- the list ------------------------------------------------------------------------------


def test_the_list_filters_by_what_the_form_sends(web, agent, colleague, company):
    # given
    east = DistrictFactory(name="洪山区")
    garden = CommunityFactory(company=company, business_area__district=east, name="光谷花园")
    ListingFactory(agent=agent, property__community=garden, price=Decimal("2000000"))
    ListingFactory(agent=colleague, price=Decimal("5000000"), property__community__name="远方小区")
    ListingFactory(agent=agent, kind="rent", price=Decimal("3000"), property__community__name="出租小区")
    # when
    by_district = web.get(f"/listings/?kind=sale&district={east.pk}").content.decode()
    by_price = web.get("/listings/?kind=sale&price_min=300&price_max=600").content.decode()  # 万元
    mine = web.get("/listings/?kind=sale&mine=1").content.decode()
    rents = web.get("/listings/?kind=rent&price_max=3500").content.decode()  # 元/月
    # then
    assert "光谷花园" in by_district and "远方小区" not in by_district
    assert "远方小区" in by_price and "光谷花园" not in by_price
    assert "光谷花园" in mine and "远方小区" not in mine
    assert "出租小区" in rents and rows(rents) == 1


def test_the_list_shows_sales_by_default_and_ignores_nonsense(web, agent):
    ListingFactory(agent=agent, property__community__name="出售的")
    ListingFactory(agent=agent, kind="rent", property__community__name="出租的")
    page = web.get("/listings/?price_min=abc&district=x&sort=cheapest&rooms=99").content.decode()
    assert "出售的" in page and "出租的" not in page


def test_stale_and_verified_listings_wear_their_badges(web, agent):
    ListingFactory(agent=agent, verified_at=timezone.now(), property__community__name="刚核实")
    ListingFactory(agent=agent, verified_at=None, property__community__name="没核实")
    page = web.get("/listings/").content.decode()
    fresh_row = page.split("刚核实")[1].split("</tr>")[0]
    stale_row = page.split("没核实")[1].split("</tr>")[0]
    assert 'data-badge="verified"' in fresh_row and 'data-badge="stale"' not in fresh_row
    assert 'data-badge="stale"' in stale_row


def test_the_school_and_verification_filters(web, agent, community):
    assign_school(community)
    ListingFactory(agent=agent, property__community=community, verified_at=timezone.now())
    ListingFactory(agent=agent, property__community__name="无学区")
    page = web.get("/listings/?school_level=primary").content.decode()
    assert community.name in page and "无学区" not in page
    stale = web.get("/listings/?verify=stale").content.decode()
    assert "无学区" in stale and community.name not in stale


def test_loading_more_keeps_the_filters(web, agent, company):
    district = DistrictFactory()
    garden = CommunityFactory(company=company, business_area__district=district)
    ListingFactory.create_batch(23, agent=agent, property__community=garden)
    ListingFactory.create_batch(3, agent=agent)
    first = web.get(f"/listings/?district={district.pk}&sort=price_asc").content.decode()
    more_url = first.split('hx-get="')[1].split('"')[0].replace("&amp;", "&")
    more = web.get(f"/listings/{more_url}", headers={"HX-Request": "true"}).content.decode()
    assert rows(first) == 20 and rows(more) == 3
    assert "<html" not in more


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?kind=rent",
        "?district=1&district=2&rooms=3&price_min=100",
        "?sort=unit_price_desc&verify=stale&mine=1",
    ],
)
def test_the_list_page_query_count_does_not_grow_with_rows(web, agent, company, query):
    # given
    garden = CommunityFactory(company=company)
    assign_school(garden)
    for kind in ("sale", "rent"):
        ListingFactory.create_batch(2, agent=agent, kind=kind, property__community=garden)
    with CaptureQueriesContext(connection) as few:
        assert web.get(f"/listings/{query}").status_code == 200
    # when
    for kind in ("sale", "rent"):
        ListingFactory.create_batch(12, agent=agent, kind=kind)
    with CaptureQueriesContext(connection) as many:
        web.get(f"/listings/{query}")
    # then
    assert len(many) == len(few)


def test_another_companys_listings_never_show_in_the_list(web, agent, stranger):
    ListingFactory(agent=agent, property__community__name="自家小区")
    ListingFactory(agent=stranger, property__community__name="别家小区")
    response = web.get("/listings/?status=all")
    page = response.content.decode()
    assert response.status_code == 200
    assert "自家小区" in page
    assert "别家小区" not in page


# --- the listing page ----------------------------------------------------------------------


def test_the_listing_page_shows_the_flat_history_and_the_agents_actions(web, agent, time_machine):
    # given
    time_machine.move_to(dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC), tick=False)
    seller = ClientFactory(owner=agent, name="王建国", mobile="13812345678")
    listing = ListingFactory(
        agent=agent,
        seller=seller,
        mandate="exclusive",
        mandate_end=dt.date(2025, 12, 31),
        highlights="南北通透",
        drawbacks="临街有噪音",
        keys_store=agent.store,
        property__certificate_date=dt.date(2019, 5, 1),
        property__only_home=True,
    )
    PriceChangeFactory(listing=listing, by=agent)
    Verification.objects.create(listing=listing, by=agent, method="visit")
    # when
    page = web.get(f"/listings/{listing.pk}/").content.decode()
    # then
    for text in (
        "南北通透",
        "临街有噪音",
        "独家委托",
        "光谷店",
        "满五唯一",
        '王建国</a> <a class="text-nowrap" href="tel:13812345678">13812345678</a>',
        '<span class="num">185万</span> → <span class="num">180万</span>',
        "实地查看",
    ):
        assert text in page, text
    actions = page.split('data-testid="actions"')[1].split("</div>\n\n")[0]
    for action in ("修改", "调价", 'data-status="reserved"', 'data-status="sold"', "核实房源", "上传图片"):
        assert action in actions, action
    assert 'id="price-data"' in page and "echarts.min.js" in page


def test_a_colleague_sees_the_seller_masked_and_no_change_actions(web, agent, colleague):
    listing = ListingFactory(
        agent=colleague, seller=ClientFactory(owner=colleague, name="王建国", mobile="13812345678")
    )
    page = web.get(f"/listings/{listing.pk}/").content.decode()
    seller = page.split('data-testid="seller">')[1].split("</dd>")[0]
    assert "王**" in seller and "138****5678" in seller and "13812345678" not in page
    actions = page.split('data-testid="actions"')[1].split("</div>\n\n")[0]
    assert "调价" not in actions and "data-status" not in actions
    assert "核实房源" in actions and "上传图片" in actions


@pytest.mark.parametrize("path", ["", "edit/", "media/1/"])
def test_another_companys_listing_is_a_404_on_every_page(web, stranger, path):
    listing = ListingFactory(agent=stranger)
    assert web.get(f"/listings/{listing.pk}/{path}").status_code == 404


@pytest.mark.parametrize("action", ["price/", "status/", "verify/", "media/"])
def test_another_companys_listing_is_a_404_for_every_action(web, stranger, action):
    listing = ListingFactory(agent=stranger)
    assert (
        web.post(
            f"/listings/{listing.pk}/{action}", {"price": "100", "to": "withdrawn", "method": "visit"}
        ).status_code
        == 404
    )
    listing.refresh_from_db()
    assert (listing.price, listing.status) == (Decimal("1800000.00"), "active")


def test_a_colleague_cannot_reprice_edit_or_withdraw_by_guessing_the_url(web, colleague):
    listing = ListingFactory(agent=colleague)
    assert web.post(f"/listings/{listing.pk}/price/", {"price": "100"}).status_code == 403
    assert web.post(f"/listings/{listing.pk}/status/", {"to": "withdrawn"}).status_code == 403
    assert web.get(f"/listings/{listing.pk}/edit/").status_code == 403
    listing.refresh_from_db()
    assert (listing.price, listing.status) == (Decimal("1800000.00"), "active")


def test_a_manager_reprices_in_wan_and_the_history_records_it(agent, manager):
    listing = ListingFactory(agent=agent)
    response = login(manager).post(f"/listings/{listing.pk}/price/", {"price": "175.5"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.price == Decimal("1755000.00")
    assert PriceChange.objects.get(listing=listing).by == manager


def test_an_illegal_status_change_is_explained_not_an_error_page(web, agent):
    listing = ListingFactory(agent=agent, status="sold")
    response = web.post(f"/listings/{listing.pk}/status/", {"to": "active"}, follow=True)
    assert "不能改为" in response.content.decode()


def test_a_colleague_verifies_and_a_failed_check_withdraws(web, colleague):
    listing = ListingFactory(agent=colleague)
    web.post(f"/listings/{listing.pk}/verify/", {"method": "phone", "exists": "1", "price_confirmed": "1"})
    listing.refresh_from_db()
    assert listing.status == "withdrawn"
    assert Verification.objects.get(listing=listing).available is False


def test_photos_upload_show_and_are_served_only_inside_the_company(web, agent, stranger):
    # given
    listing = ListingFactory(agent=agent)
    # when
    web.post(
        f"/listings/{listing.pk}/media/",
        {"file": [upload(), upload("假的.jpg", b"not an image")], "kind": "photo"},
    )
    # then
    media = ListingMedia.objects.get()
    page = web.get(f"/listings/{listing.pk}/").content.decode()
    assert f'data-media="{media.pk}"' in page
    full = web.get(f"/listings/{listing.pk}/media/{media.pk}/")
    thumb = web.get(f"/listings/{listing.pk}/media/{media.pk}/?thumb=1")
    assert full.status_code == 200 and full["Content-Type"] == "image/png"
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert login(stranger).get(f"/listings/{listing.pk}/media/{media.pk}/").status_code == 404
    from django.test import Client as Anonymous

    assert Anonymous().get(f"/listings/{listing.pk}/media/{media.pk}/").status_code == 404


def test_a_failed_upload_says_why_in_chinese(web, agent):
    listing = ListingFactory(agent=agent)
    response = web.post(f"/listings/{listing.pk}/media/", {"file": upload("假的.png", b"text")}, follow=True)
    assert "假的.png：上传的文件不是有效的图片" in response.content.decode()
    assert not ListingMedia.objects.exists()


# --- entry and edits -----------------------------------------------------------------------


def entry_form(community, **overrides):
    return {
        "community": community.pk,
        "building": "3",
        "unit": "1",
        "room_number": "1201",
        "kind": "sale",
        "price_wan": "325",
        "area": "89.5",
        "rooms": "3",
        "halls": "2",
        "baths": "1",
        "floor": "12",
        "total_floors": "32",
        "orientation": "SN",
        "decoration": "fine",
        "title_type": "commodity",
        "only_home": "unknown",
        "mandate": "general",
        **overrides,
    }


def test_entry_by_the_form_creates_the_listing_in_wan(web, agent, community):
    seller = ClientFactory(owner=agent, mobile="13812345678")
    response = web.post(
        "/listings/new/", entry_form(community, seller_mobile="138 1234 5678", verify_method="phone")
    )
    listing = Listing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/listings/{listing.pk}/"
    assert (listing.price, listing.seller, listing.agent) == (Decimal("3250000.00"), seller, agent)
    assert listing.verified_at is not None


def test_entry_of_a_flat_already_listed_shows_which_listing(web, agent, colleague, community):
    login(colleague).post("/listings/new/", entry_form(community))
    page = web.post("/listings/new/", entry_form(community, building="3栋")).content.decode()
    existing = Listing.objects.get()
    assert f"#{existing.pk}" in page and 'data-testid="form-error"' in page
    assert Listing.objects.count() == 1


def test_entry_refuses_a_seller_who_is_a_colleagues_private_client(web, colleague, community):
    ClientFactory(owner=colleague, mobile="13812345678")
    page = web.post("/listings/new/", entry_form(community, seller_mobile="13812345678")).content.decode()
    assert "该业主是其他经纪人的私客" in page
    assert not Listing.objects.exists()


def test_entry_refuses_another_companys_community(web, community, stranger):
    foreign = CommunityFactory(company=stranger.company)
    page = web.post("/listings/new/", entry_form(foreign)).content.decode()
    assert not Listing.objects.exists()
    assert "is-invalid" in page


def test_the_community_picker_finds_by_name_and_pinyin_initials(web, company, stranger):
    CommunityFactory(company=company, name="万科城市花园")
    CommunityFactory(company=stranger.company, name="万科城市之光")
    by_name = web.get("/listings/communities/?q=万科").content.decode()
    by_initials = web.get("/listings/communities/?q=wkcs").content.decode()
    assert "万科城市花园" in by_name and "万科城市之光" not in by_name
    assert "万科城市花园" in by_initials


def test_the_edit_form_changes_the_flat_but_not_the_price(web, agent):
    listing = ListingFactory(agent=agent)
    form = entry_form(listing.community, area="100", highlights="新装修")
    for name in ("community", "building", "unit", "room_number", "kind", "price_wan"):
        form.pop(name)
    response = web.post(f"/listings/{listing.pk}/edit/", form)
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.area, listing.highlights, listing.price) == (
        Decimal("100.00"),
        "新装修",
        Decimal("1800000.00"),
    )


def test_pages_render_on_a_phone_sized_table(web, agent):
    """The list hides columns below md: the phone line carries layout and area instead."""
    ListingFactory(agent=agent)
    page = web.get("/listings/").content.decode()
    assert 'class="d-md-none"> · 3室2厅1卫 · <span class="num">89.50㎡</span>' in page
    assert 'class="collapse d-md-block' in page


def test_the_listing_page_query_count_does_not_grow_with_its_history(web, agent, colleague):
    # given
    listing = ListingFactory(agent=agent, seller=ClientFactory(owner=agent))
    web.post(f"/listings/{listing.pk}/media/", {"file": upload()})
    with CaptureQueriesContext(connection) as few:
        assert web.get(f"/listings/{listing.pk}/").status_code == 200
    # when
    for _ in range(4):
        PriceChangeFactory(listing=listing, by=colleague)
        Verification.objects.create(listing=listing, by=colleague, method="phone")
        login(colleague).post(f"/listings/{listing.pk}/media/", {"file": upload(), "kind": "floor_plan"})
    with CaptureQueriesContext(connection) as many:
        web.get(f"/listings/{listing.pk}/")
    # then
    assert len(many) == len(few)


def test_the_edit_form_starts_from_the_flat_as_recorded(web, agent):
    listing = ListingFactory(agent=agent, property__only_home=True, property__has_elevator=True)
    page = web.get(f"/listings/{listing.pk}/edit/").content.decode()
    assert '<option value="true" selected>是</option>' in page
    assert 'name="has_elevator"' in page and "checked" in page.split('name="has_elevator"')[1].split(">")[0]
    assert 'name="price_wan"' not in page and 'name="room_number"' not in page
