"""The share link (分享): a public listing page with the forwarding agent's card, and nothing private."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient

from anju.listings.services import listing_media_add, listing_transition
from anju.showings.models import ListingShare
from tests.factories import ClientFactory, CommunityFactory, ListingFactory
from tests.listings.conftest import upload


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def listing(agent, company):
    seller = ClientFactory(owner=agent, name="王业主", mobile="13912345678")
    garden = CommunityFactory(company=company, name="东湖花园")
    return ListingFactory(
        agent=agent,
        seller=seller,
        property__owner=seller,
        property__community=garden,
        property__building="7",
        property__unit="2",
        property__room_number="1503",
        price=Decimal("2680000"),
        highlights="南北通透",
        drawbacks="临街有噪音",
    )


def share(web, listing) -> str:
    """Press 分享 on the listing page; the answer is the public page's address."""
    response = web.post(f"/listings/{listing.pk}/share/")
    assert response.status_code == 302
    return response["Location"]


def test_a_shared_page_shows_the_home_and_the_agent_card_but_no_owner_or_address(web, agent, listing):
    # given
    agent.mobile = "13800001111"
    agent.save()
    photo = listing_media_add(listing=listing, by=agent, file=upload("客厅.png"), kind="photo")
    link = share(web, listing)
    # when: someone without an account opens it
    response = HttpClient().get(link)
    page = response.content.decode()
    # then: the home, its community and district, the price, the agent's card and a QR code…
    assert response.status_code == 200
    assert "东湖花园" in page and listing.district.name in page and "268万" in page
    assert "南北通透" in page
    assert agent.name in page and "13800001111" in page and agent.store.name in page
    assert 'data-testid="qr"' in page and "<svg" in page
    assert f'data-media="{photo.pk}"' in page
    # …and not the owner, the exact address, nor the drawbacks the agency keeps for its own sheet
    assert "王业主" not in page and "13912345678" not in page
    assert "1503" not in page and "7栋" not in page and "2单元" not in page
    assert "临街有噪音" not in page
    assert response["X-Robots-Tag"] == "noindex"


def test_the_link_carries_no_listing_id_and_is_the_same_each_time(web, listing):
    first, second = share(web, listing), share(web, listing)
    assert first == second
    slug = first.rstrip("/").rsplit("/", 1)[-1]
    assert first == f"/s/{slug}/" and len(slug) >= 16 and not slug.isdigit()
    assert ListingShare.objects.get().slug == slug


def test_each_agent_forwards_their_own_card(web, colleague, listing):
    from tests.conftest import login

    mine, theirs = share(web, listing), share(login(colleague), listing)
    assert mine != theirs
    assert colleague.name in HttpClient().get(theirs).content.decode()


def test_a_shared_photo_is_served_without_login_and_only_for_that_listing(web, agent, listing):
    # given
    photo = listing_media_add(listing=listing, by=agent, file=upload("客厅.png"), kind="photo")
    other = ListingFactory(agent=agent)
    elsewhere = listing_media_add(listing=other, by=agent, file=upload("别处.png"), kind="photo")
    link = share(web, listing)
    anyone = HttpClient()
    # when / then
    ok = anyone.get(f"{link}media/{photo.pk}/")
    assert ok.status_code == 200 and ok["Content-Type"] == "image/jpeg"
    assert anyone.get(f"{link}media/{elsewhere.pk}/").status_code == 404
    assert (
        anyone.get(f"/listings/{listing.pk}/media/{photo.pk}/").status_code == 404
    )  # the agency's own route


def test_a_sold_listing_says_so_instead_of_showing_itself(web, agent, listing):
    # given
    photo = listing_media_add(listing=listing, by=agent, file=upload("客厅.png"), kind="photo")
    link = share(web, listing)
    listing_transition(listing=listing, to="sold", by=agent)
    anyone = HttpClient()
    # when
    response = anyone.get(link)
    page = response.content.decode()
    # then
    assert response.status_code == 410
    assert "该房源已售出" in page and agent.name in page
    assert "268万" not in page and f'data-media="{photo.pk}"' not in page
    assert anyone.get(f"{link}media/{photo.pk}/").status_code == 404


def test_a_withdrawn_listing_cannot_be_shared(web, agent, listing):
    listing_transition(listing=listing, to="withdrawn", by=agent)
    response = web.post(f"/listings/{listing.pk}/share/", follow=True)
    assert "不能分享" in response.content.decode()
    assert not ListingShare.objects.exists()


def test_a_referral_code_rides_along_into_the_qr_link_and_nonsense_is_dropped(web, listing):
    link = share(web, listing)
    anyone = HttpClient()
    page = anyone.get(f"{link}?ref=AB12").content.decode()
    assert f'data-copy="http://testserver{link}?ref=AB12"' in page
    bad = anyone.get(f"{link}?ref=%3Cscript%3E").content.decode()
    assert f'data-copy="http://testserver{link}"' in bad and f"testserver{link}?ref" not in bad


def test_an_unknown_link_is_not_found(db):
    assert HttpClient().get("/s/not-a-real-link-at-all/").status_code == 404


def test_another_companys_listing_cannot_be_shared(web, stranger):
    theirs = ListingFactory(agent=stranger)
    assert web.post(f"/listings/{theirs.pk}/share/").status_code == 404


def test_the_listing_page_has_a_share_button(web, listing):
    page = web.get(f"/listings/{listing.pk}/").content.decode()
    assert f'action="/listings/{listing.pk}/share/"' in page
