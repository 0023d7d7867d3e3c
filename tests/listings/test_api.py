"""/api/v1/listings: search, detail, entry, edits, price, status, verification and photos — and who may do each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client as HttpClient

from anju.listings.models import Listing, ListingMedia, PriceChange
from anju.org.services import token_create
from tests.factories import ClientFactory, CommunityFactory, DistrictFactory, ListingFactory
from tests.listings.conftest import image_bytes, upload


def api(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


def entry(community, **overrides):
    return {
        "community_id": community.pk,
        "building": "3栋",
        "unit": "1",
        "room_number": "1201",
        "floor": 12,
        "total_floors": 32,
        "area": "89.50",
        "rooms": 3,
        "halls": 2,
        "baths": 1,
        "orientation": "SN",
        "decoration": "fine",
        "kind": "sale",
        "price": "3250000",
        **overrides,
    }


def test_search_takes_the_filters_as_query_parameters(agent, company):
    # given
    east, west = DistrictFactory(), DistrictFactory()
    a = ListingFactory(
        agent=agent, property__community=CommunityFactory(company=company, business_area__district=east)
    )
    b = ListingFactory(
        agent=agent, property__community=CommunityFactory(company=company, business_area__district=west)
    )
    ListingFactory(agent=agent, status="sold")
    client = api(agent)
    # when
    both = client.get(f"/api/v1/listings?district={east.pk}&district={west.pk}&sort=price_asc").json()
    one = client.get(f"/api/v1/listings?district={east.pk}").json()
    everything = client.get("/api/v1/listings?status=all").json()
    # then
    assert {x["id"] for x in both["items"]} == {a.pk, b.pk}
    assert [x["id"] for x in one["items"]] == [a.pk]
    assert len(everything["items"]) == 3
    assert one["items"][0]["is_stale"] is True  # never verified
    assert one["items"][0]["district_id"] == east.pk


def test_search_pages_with_the_cursor(agent):
    ListingFactory.create_batch(5, agent=agent)
    client = api(agent)
    first = client.get("/api/v1/listings?limit=3").json()
    second = client.get(f"/api/v1/listings?limit=3&cursor={first['next_cursor']}").json()
    assert len(first["items"]) == 3 and len(second["items"]) == 2
    assert second["next_cursor"] is None


@pytest.mark.parametrize("query", ["sort=cheapest", "status=lost", "rooms=-1", "price_min=abc", "kind=lease"])
def test_bad_search_parameters_are_a_422(agent, query):
    assert api(agent).get(f"/api/v1/listings?{query}").status_code == 422


def test_detail_shows_the_property_history_and_what_the_viewer_may_do(agent, colleague):
    # given
    seller = ClientFactory(owner=agent, name="王建国", mobile="13812345678")
    listing = ListingFactory(agent=agent, seller=seller)
    PriceChange.objects.create(
        listing=listing, old_price=Decimal("1900000"), new_price=listing.price, by=agent
    )
    # when
    mine = api(agent).get(f"/api/v1/listings/{listing.pk}").json()
    theirs = api(colleague).get(f"/api/v1/listings/{listing.pk}").json()
    # then
    assert mine["property"]["layout"] == "3室2厅1卫"
    assert mine["price_changes"][0]["old_price"] == "1900000.00"
    assert mine["seller"] == {"id": seller.pk, "name": "王建国", "mobile": "13812345678", "masked": False}
    assert mine["can_change"] is True
    assert mine["next_statuses"] == ["reserved", "sold", "withdrawn"]
    assert mine["is_stale"] is True
    assert theirs["seller"] == {"id": None, "name": "王**", "mobile": "138****5678", "masked": True}
    assert theirs["can_change"] is False
    assert theirs["next_statuses"] == []


def test_entry_by_api_creates_the_listing(agent, community):
    response = api(agent).post("/api/v1/listings", entry(community), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["property"]["building"] == "3"
    assert body["unit_price"] == "36312.85"
    assert body["agent_id"] == agent.pk


def test_entering_a_flat_on_the_market_again_is_a_409_naming_it(agent, colleague, community):
    first = api(colleague).post("/api/v1/listings", entry(community), content_type="application/json").json()
    response = api(agent).post("/api/v1/listings", entry(community), content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "listing_exists"
    assert f"#{first['id']}" in response.json()["message"]


def test_entry_refuses_other_companies_records_and_colleagues_private_clients(
    agent, colleague, community, stranger
):
    client = api(agent)
    foreign = CommunityFactory(company=stranger.company)
    secret = ClientFactory(owner=colleague)
    assert client.post("/api/v1/listings", entry(foreign), content_type="application/json").status_code == 404
    assert (
        client.post(
            "/api/v1/listings", entry(community, seller_id=secret.pk), content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/listings",
            entry(community, keys_store_id=stranger.store_id),
            content_type="application/json",
        ).status_code
        == 404
    )
    assert not Listing.objects.exists()


def test_update_changes_only_what_is_sent(agent):
    listing = ListingFactory(agent=agent, highlights="旧亮点", drawbacks="临街")
    response = api(agent).patch(
        f"/api/v1/listings/{listing.pk}", {"highlights": "南北通透"}, content_type="application/json"
    )
    assert response.status_code == 200
    listing.refresh_from_db()
    assert (listing.highlights, listing.drawbacks) == ("南北通透", "临街")


class TestWhoMayChangeAListing:
    def test_a_colleague_may_read_but_not_reprice_edit_or_change_status(self, agent, colleague):
        listing = ListingFactory(agent=colleague)
        client = api(agent)
        assert client.get(f"/api/v1/listings/{listing.pk}").status_code == 200
        assert (
            client.post(
                f"/api/v1/listings/{listing.pk}/price", {"price": "1700000"}, content_type="application/json"
            ).status_code
            == 403
        )
        assert (
            client.patch(
                f"/api/v1/listings/{listing.pk}", {"highlights": "x"}, content_type="application/json"
            ).status_code
            == 403
        )
        assert (
            client.post(
                f"/api/v1/listings/{listing.pk}/status", {"to": "withdrawn"}, content_type="application/json"
            ).status_code
            == 403
        )
        listing.refresh_from_db()
        assert (listing.price, listing.status) == (Decimal("1800000.00"), "active")

    @pytest.mark.parametrize("who", ["agent", "manager", "admin_agent"])
    def test_the_listing_agent_their_manager_and_administrators_may_reprice(self, request, agent, who):
        listing = ListingFactory(agent=agent)
        viewer = request.getfixturevalue(who)
        response = api(viewer).post(
            f"/api/v1/listings/{listing.pk}/price", {"price": "1700000"}, content_type="application/json"
        )
        assert response.status_code == 200
        assert response.json()["price"] == "1700000.00"
        assert PriceChange.objects.get(listing=listing).by == viewer

    def test_a_manager_of_another_store_may_not(self, agent, other_store):
        from tests.factories import AgentFactory

        other_manager = AgentFactory(store=other_store, company=other_store.company, role="manager")
        listing = ListingFactory(agent=agent)
        response = api(other_manager).post(
            f"/api/v1/listings/{listing.pk}/price", {"price": "1700000"}, content_type="application/json"
        )
        assert response.status_code == 403

    @pytest.mark.parametrize(
        ("method", "path", "body"),
        [
            ("get", "", None),
            ("patch", "", {"highlights": "x"}),
            ("post", "/price", {"price": "1"}),
            ("post", "/status", {"to": "withdrawn"}),
            ("post", "/verifications", {"method": "visit"}),
        ],
    )
    def test_another_companys_listing_is_not_found(self, agent, stranger, method, path, body):
        listing = ListingFactory(agent=stranger)
        client = api(agent)
        call = getattr(client, method)
        kwargs = {"content_type": "application/json"} if body is not None else {}
        args = (body,) if body is not None else ()
        assert call(f"/api/v1/listings/{listing.pk}{path}", *args, **kwargs).status_code == 404


def test_status_moves_by_api_and_illegal_ones_are_409(agent):
    listing = ListingFactory(agent=agent)
    client = api(agent)
    sold = client.post(
        f"/api/v1/listings/{listing.pk}/status", {"to": "sold"}, content_type="application/json"
    )
    again = client.post(
        f"/api/v1/listings/{listing.pk}/status", {"to": "active"}, content_type="application/json"
    )
    assert sold.status_code == 200 and sold.json()["status"] == "sold"
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"


def test_any_colleague_may_verify(agent, colleague):
    listing = ListingFactory(agent=agent)
    response = api(colleague).post(
        f"/api/v1/listings/{listing.pk}/verifications",
        {"method": "visit", "note": "看过"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["passed"] is True and response.json()["by_name"] == "李娜"
    listing.refresh_from_db()
    assert listing.verified_at is not None


def test_photos_are_uploaded_as_multipart_and_checked(agent, colleague):
    # given
    listing = ListingFactory(agent=agent)
    client = api(colleague)
    # when
    good = client.post(
        f"/api/v1/listings/{listing.pk}/media", {"file": upload(), "kind": "floor_plan", "caption": "户型"}
    )
    bad = client.post(f"/api/v1/listings/{listing.pk}/media", {"file": upload("假图.png", b"hello")})
    # then
    assert good.status_code == 201
    assert good.json()["kind"] == "floor_plan" and good.json()["width"] == 40
    assert bad.status_code == 400 and "不是有效的图片" in bad.json()["message"]
    assert ListingMedia.objects.count() == 1
    detail = client.get(f"/api/v1/listings/{listing.pk}").json()
    assert detail["media"][0]["url"] == f"/listings/{listing.pk}/media/{good.json()['id']}/"
    image = client.get(detail["media"][0]["url"])
    assert image.status_code == 200 and b"".join(image.streaming_content) == image_bytes()


def test_a_photo_is_removed_by_its_uploader_or_the_listings_writers_only(agent, colleague, store):
    from tests.factories import AgentFactory

    listing = ListingFactory(agent=agent)
    media_id = api(colleague).post(f"/api/v1/listings/{listing.pk}/media", {"file": upload()}).json()["id"]
    third = AgentFactory(store=store, company=store.company)
    assert api(third).delete(f"/api/v1/listings/{listing.pk}/media/{media_id}").status_code == 403
    assert api(agent).delete(f"/api/v1/listings/{listing.pk}/media/{media_id}").status_code == 204
    assert not ListingMedia.objects.exists()


def test_update_refuses_null_for_what_cannot_be_empty_and_clears_what_can(agent):
    listing = ListingFactory(agent=agent, mandate_end=dt.date(2025, 12, 31), property__build_year=2010)
    client = api(agent)
    refused = client.patch(f"/api/v1/listings/{listing.pk}", {"floor": None}, content_type="application/json")
    cleared = client.patch(
        f"/api/v1/listings/{listing.pk}",
        {"mandate_end": None, "build_year": None},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert cleared.status_code == 200
    listing.refresh_from_db()
    assert (listing.mandate_end, listing.property.build_year, listing.property.floor) == (None, None, 8)
