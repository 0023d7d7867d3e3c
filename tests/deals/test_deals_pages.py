"""The deal pages: open a deal from a listing, trade offers, accept, record the intent, split, cancel."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anju.deals.models import Deal
from anju.deals.services import IntentTerms, OfferTerms, deal_create, intent_record, offer_accept, offer_make
from tests.conftest import login
from tests.factories import ClientFactory, ListingFactory


@pytest.fixture
def buyer(agent):
    return ClientFactory(owner=agent, name="买方陈女士")


@pytest.fixture
def deal(listing, buyer, agent):
    return deal_create(listing=listing, buyer=buyer, by=agent)


def test_a_deal_is_opened_from_the_listing_page(web, listing, buyer):
    # given the listing page offers to start a deal
    page = web.get(f"/listings/{listing.pk}/").content.decode()
    assert f"/deals/new/?listing={listing.pk}" in page
    form = web.get(f"/deals/new/?listing={listing.pk}").content.decode()
    assert "买方陈女士" in form
    # when the buyer is chosen
    response = web.post(f"/deals/new/?listing={listing.pk}", {"buyer": buyer.pk})
    # then the deal's page opens, in 洽谈中
    deal = Deal.objects.get(listing=listing)
    assert response.status_code == 302 and response.url == f"/deals/{deal.pk}/"
    page = web.get(response.url).content.decode()
    assert "洽谈中" in page and deal.number in page


def test_a_deal_is_opened_from_the_client_page_by_the_listings_number(web, listing, buyer):
    assert f"/deals/new/?client={buyer.pk}" in web.get(f"/clients/{buyer.pk}/").content.decode()
    response = web.post(f"/deals/new/?client={buyer.pk}", {"listing": listing.pk})
    assert response.status_code == 302
    assert Deal.objects.get(buyer=buyer).listing_id == listing.pk
    missing = web.post(f"/deals/new/?client={buyer.pk}", {"listing": 999999})
    assert "没有找到该房源" in missing.content.decode()


def test_offers_in_wan_show_the_gap_and_the_latest_can_be_accepted(web, deal, listing):
    # when two offers are typed in 万
    web.post(f"/deals/{deal.pk}/offers/", {"side": "buyer", "price": "180", "taxes_by": "statutory"})
    web.post(f"/deals/{deal.pk}/offers/", {"side": "seller", "price": "195", "taxes_by": "statutory"})
    # then the thread shows both and the gap
    page = web.get(f"/deals/{deal.pk}/").content.decode()
    assert "180万" in page and "195万" in page
    assert "差 15.0万（7.7%）" in page
    assert page.count('data-testid="accept"') == 1
    # and the commission is not on the page that negotiates the price (fairness rule)
    assert "佣金" not in page
    # when the buyer accepts the seller's latest
    latest = deal.offers.order_by("-id").first()
    web.post(f"/deals/{deal.pk}/offers/{latest.pk}/accept/")
    # then the listing is reserved and the deal has its price, still 洽谈中
    listing.refresh_from_db()
    assert listing.status == "reserved"
    page = web.get(f"/deals/{deal.pk}/").content.decode()
    assert re.search(r'data-testid="deal-price">[^/]*195万', page)
    assert 'data-testid="intent-form"' in page


def test_an_earnest_over_the_limit_is_refused_on_the_page(web, deal, agent):
    offer = offer_make(deal=deal, terms=OfferTerms(side="seller", price=Decimal("1950000.00")), by=agent)
    offer_accept(offer=offer, by=agent)
    form = {
        "kind": "earnest",
        "amount": "400000",
        "holder": "agency",
        "signed_on": "2026-12-06",
        "sign_by": "2026-12-20",
        "if_buyer_walks": "forfeit",
        "if_seller_walks": "double",
        "receipt_number": "SJ-1",
    }
    refused = web.post(f"/deals/{deal.pk}/intent/", form)
    assert refused.status_code == 400
    assert "民法典第五百八十六条" in refused.content.decode()
    form["amount"] = "50000"
    assert web.post(f"/deals/{deal.pk}/intent/", form).status_code == 302
    page = web.get(f"/deals/{deal.pk}/").content.decode()
    assert "已签意向" in page and "SJ-1" in page and "¥50,000.00" in page


def test_the_split_editor_refuses_a_total_that_is_not_100(web, deal, agent, colleague):
    page = web.get(f"/deals/{deal.pk}/splits/").content.decode()
    assert "合计必须正好 100%" in page
    response = web.post(
        f"/deals/{deal.pk}/splits/",
        {"agent": [agent.pk, colleague.pk], "role": ["entry", "closing"], "percent": ["50", "49.5"]},
    )
    assert response.status_code == 400
    assert "还差 0.50%" in response.content.decode()
    response = web.post(
        f"/deals/{deal.pk}/splits/",
        {"agent": [agent.pk, colleague.pk], "role": ["entry", "closing"], "percent": ["50", "50"]},
    )
    assert response.status_code == 302
    assert sorted(s.role for s in deal.splits.all()) == ["closing", "entry"]


def test_cancel_needs_a_reason_and_shows_it(web, deal):
    assert web.post(f"/deals/{deal.pk}/cancel/", {"reason": ""}).status_code == 400
    web.post(f"/deals/{deal.pk}/cancel/", {"reason": "买方放弃"})
    page = web.get(f"/deals/{deal.pk}/").content.decode()
    assert "已取消" in page and "买方放弃" in page


def test_the_list_shows_deals_by_stage(web, deal):
    page = web.get("/deals/").content.decode()
    assert f'data-deal="{deal.pk}"' in page
    assert f'data-deal="{deal.pk}"' not in web.get("/deals/?stage=cancelled").content.decode()


def test_the_manager_sees_each_agents_expected_commission_by_month(deal, agent, manager, web, time_machine):
    # given a deal at 已签意向 with its contract due in January
    time_machine.move_to(dt.datetime(2026, 12, 6, 10, tzinfo=dt.UTC))
    offer = offer_make(deal=deal, terms=OfferTerms(side="seller", price=Decimal("2000000.00")), by=agent)
    offer_accept(offer=offer, by=agent)
    terms = IntentTerms(
        kind="earnest",
        amount=Decimal("50000"),
        holder="agency",
        sign_by=dt.date(2027, 1, 10),
        if_buyer_walks="forfeit",
        if_seller_walks="double",
        signed_on=dt.date(2026, 12, 6),
    )
    intent_record(deal=deal, terms=terms, by=agent)
    # when the manager opens the forecast
    page = login(manager).get("/deals/commission/").content.decode()
    # then the agent's whole 2% share (he holds every role) is in January
    assert "2027-01" in page and "¥40,000.00" in page
    # and an agent may not open it
    assert web.get("/deals/commission/").status_code == 403


def test_an_agent_without_a_part_in_the_deal_cannot_open_it(deal, colleague):
    assert login(colleague).get(f"/deals/{deal.pk}/").status_code == 403


def test_an_administrator_sets_the_default_shares_that_new_deals_start_with(
    admin_agent, agent, listing, buyer
):
    # given
    admin = login(admin_agent)
    page = admin.get("/settings/split-shares/").content.decode()
    assert "客源推荐" in page and 'value="35.00"' in page
    shares = {role: "0" for role in ("entry", "maintain", "survey", "mandate", "keys", "referral")}
    shares.update({"first_showing": "20", "closing": "70", "transaction": "5", "finance": "4"})
    # when the shares miss 1%, they are refused; when they add up, saved
    refused = admin.post("/settings/split-shares/", shares)
    assert refused.status_code == 400 and "还差 1.00%" in refused.content.decode()
    shares["finance"] = "5"
    assert admin.post("/settings/split-shares/", shares).status_code == 302
    # then a new deal starts with them, and an agent may not change them
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    assert sorted((s.role, s.percent) for s in deal.splits.all()) == [
        ("closing", Decimal("70.00")),
        ("finance", Decimal("5.00")),
        ("first_showing", Decimal("20.00")),
        ("transaction", Decimal("5.00")),
    ]
    assert login(agent).get("/settings/split-shares/").status_code == 403


def test_the_list_reads_as_many_queries_for_one_deal_as_for_many(web, agent, deal):
    web.get("/deals/")
    with CaptureQueriesContext(connection) as one:
        web.get("/deals/")
    for _ in range(4):
        deal_create(listing=ListingFactory(agent=agent), buyer=ClientFactory(owner=agent), by=agent)
    with CaptureQueriesContext(connection) as five:
        page = web.get("/deals/").content.decode()
    assert page.count("data-deal=") == 5
    assert len(five) == len(one)
