"""/api/v1/deals: open a deal, trade offers, accept, split, record the intent, cancel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient

from anju.org.services import token_create
from tests.factories import ClientFactory


def as_token(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def api(agent):
    return as_token(agent)


@pytest.fixture
def buyer(agent):
    """The agent's own buyer: whoever opens a deal must be able to see its buyer."""
    return ClientFactory(owner=agent, name="买方陈女士")


def open_deal(api, listing, buyer) -> dict:
    response = api.post(
        "/api/v1/deals",
        {"listing_id": listing.pk, "buyer_id": buyer.pk, "kind": "sale"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def offer(api, deal_id, side, price) -> dict:
    body = {
        "side": side,
        "price": price,
        "payment": "commercial",
        "handover_on": "2027-03-01",
        "terms": "家电全留",
    }
    response = api.post(f"/api/v1/deals/{deal_id}/offers", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_deal_is_opened_negotiated_and_accepted(api, listing, buyer, agent):
    # when
    deal = open_deal(api, listing, buyer)
    offer(api, deal["id"], "buyer", "1800000.00")
    last = offer(api, deal["id"], "seller", "1950000.00")
    accepted = api.post(f"/api/v1/deals/{deal['id']}/offers/{last['id']}/accept")
    # then
    assert deal["stage"] == "negotiating"
    assert (last["gap"], last["gap_wan"], last["gap_percent"]) == ("150000.00", "15.0", "7.7")
    assert accepted.status_code == 200
    assert accepted.json()["price"] == "1950000.00"
    detail = api.get(f"/api/v1/deals/{deal['id']}").json()
    assert detail["stage"] == "negotiating"
    assert detail["commission"] == {
        "rate": "0.02",
        "payer": "buyer",
        "company_terms": True,
        "amount": "39000.00",
    }
    assert sum(Decimal(s["amount"]) for s in detail["splits"]) == Decimal("39000.00")
    assert [h["to_stage"] for h in detail["history"]] == ["negotiating"]


def test_an_accept_on_a_flat_another_deal_reserved_is_409_naming_who(api, listing, buyer, agent, colleague):
    # given a deal that reserved the flat
    first = open_deal(api, listing, buyer)
    o = offer(api, first["id"], "seller", "1950000.00")
    api.post(f"/api/v1/deals/{first['id']}/offers/{o['id']}/accept")
    theirs = as_token(colleague)
    second = open_deal(theirs, listing, ClientFactory(owner=colleague))
    o2 = offer(theirs, second["id"], "seller", "1990000.00")
    # when
    response = theirs.post(f"/api/v1/deals/{second['id']}/offers/{o2['id']}/accept")
    # then
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "张伟" in response.json()["message"]


def test_a_split_that_does_not_add_up_is_400_with_the_difference(api, listing, buyer, agent, colleague):
    deal = open_deal(api, listing, buyer)
    lines = [
        {"agent_id": agent.pk, "role": "entry", "percent": "30.00"},
        {"agent_id": colleague.pk, "role": "closing", "percent": "70.50"},
    ]
    response = api.put(f"/api/v1/deals/{deal['id']}/splits", lines, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "split_total_wrong"
    assert response.json()["details"] == {"total": "100.50", "difference": "-0.50"}
    assert "多出 0.50%" in response.json()["message"]
    lines[1]["percent"] = "70.00"
    response = api.put(f"/api/v1/deals/{deal['id']}/splits", lines, content_type="application/json")
    assert response.status_code == 200
    assert [(s["role_label"], s["percent"]) for s in response.json()] == [
        ("录入", "30.00"),
        ("成交", "70.00"),
    ]


def test_the_intent_agreement_moves_the_deal_and_an_over_limit_earnest_is_400(api, listing, buyer):
    deal = open_deal(api, listing, buyer)
    o = offer(api, deal["id"], "seller", "1950000.00")
    api.post(f"/api/v1/deals/{deal['id']}/offers/{o['id']}/accept")
    body = {
        "kind": "earnest",
        "amount": "400000.00",
        "holder": "supervised",
        "sign_by": "2026-12-20",
        "if_buyer_walks": "forfeit",
        "if_seller_walks": "double",
        "signed_on": "2026-12-06",
        "receipt_number": "SJ-9",
    }
    refused = api.post(f"/api/v1/deals/{deal['id']}/intent", body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["details"] == {"limit": "390000.00"}
    body["amount"] = "50000.00"
    recorded = api.post(f"/api/v1/deals/{deal['id']}/intent", body, content_type="application/json")
    assert recorded.status_code == 201
    assert recorded.json()["stage"] == "intent"
    assert recorded.json()["ledger"][0]["holder"] == "supervised"
    assert recorded.json()["receipts"][0]["number"] == "SJ-9"


def test_cancel_needs_a_reason_and_the_list_filters_by_stage(api, listing, buyer):
    deal = open_deal(api, listing, buyer)
    empty = api.post(f"/api/v1/deals/{deal['id']}/cancel", {"reason": ""}, content_type="application/json")
    assert empty.status_code == 422
    done = api.post(
        f"/api/v1/deals/{deal['id']}/cancel", {"reason": "业主不卖了"}, content_type="application/json"
    )
    assert done.json()["stage"] == "cancelled"
    assert [d["id"] for d in api.get("/api/v1/deals?stage=cancelled").json()["items"]] == [deal["id"]]
    assert api.get("/api/v1/deals?stage=negotiating").json() == {"items": [], "next_cursor": None}


def test_another_companys_deal_is_404_a_colleagues_403_and_the_managers_200(
    api, listing, buyer, stranger, colleague, manager
):
    deal = open_deal(api, listing, buyer)
    assert as_token(stranger).get(f"/api/v1/deals/{deal['id']}").status_code == 404
    assert as_token(colleague).get(f"/api/v1/deals/{deal['id']}").status_code == 403
    assert as_token(manager).get(f"/api/v1/deals/{deal['id']}").status_code == 200
