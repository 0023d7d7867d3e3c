"""Loan help and the taxes kept with the deal."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from anju.org.services import token_create
from anju.processing.models import BankPapers, TaxRecord


@pytest.fixture
def api(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


def test_the_loan_keeps_the_calculators_monthly_payment_and_the_banks_papers(api, deal, company):
    # given the company's checklist for 招商银行
    BankPapers.objects.create(company=company, bank="招商银行", papers="身份证\n收入证明\n征信报告")
    # when the buyer's loan is recorded
    body = {"bank": "招商银行", "kind": "commercial", "amount": "1000000.00", "rate": "0.031", "years": 30}
    response = api.put(f"/api/v1/deals/{deal.pk}/loan", body, content_type="application/json")
    # then it carries the monthly payment (equal instalments at 3.1% over 30 years) and the bank's papers
    assert response.status_code == 200, response.content
    loan = response.json()
    assert loan["monthly"] == "4270.16"
    assert [p["name"] for p in loan["papers"]] == ["身份证", "收入证明", "征信报告"]
    # and a paper is ticked off as received
    paper = loan["papers"][2]["id"]
    ticked = api.post(
        f"/api/v1/deals/{deal.pk}/loan/papers/{paper}",
        {"received_on": "2026-11-20"},
        content_type="application/json",
    )
    assert ticked.json()["papers"][2]["received_on"] == "2026-11-20"


def test_taxes_are_kept_with_their_rules_and_a_recompute_shows_what_changed(api, deal):
    # when the costs are calculated as of the expected transfer date
    response = api.post(
        f"/api/v1/deals/{deal.pk}/taxes",
        {"as_of": "2026-12-15", "buyer_home_count": 1, "seller_years_held": "6", "seller_only_home": True},
        content_type="application/json",
    )
    # then they are kept, each item with its rule, and nothing has changed since
    assert response.status_code == 201, response.content
    kept = response.json()
    assert kept["record"]["items"] and all(item["rule"] for item in kept["record"]["items"])
    assert kept["changes"] == []
    # when the kept figures no longer match what the rules give (a rule changed since)
    record = TaxRecord.objects.get(deal=deal)
    item = record.items[0]
    record.items[0] = {**item, "amount": "1.00", "rule": "old-rule"}
    record.save()
    # then the deal's taxes say what a recompute would change, and the kept record is untouched
    changes = api.get(f"/api/v1/deals/{deal.pk}/taxes").json()["changes"]
    assert changes == [f"{item['name']}：1.00 元 → {item['amount']} 元（规则 old-rule → {item['rule']}）"]
    assert TaxRecord.objects.get(deal=deal).items[0]["amount"] == "1.00"
    # and a payment is recorded with its receipt
    paid = api.post(
        f"/api/v1/deals/{deal.pk}/taxes/payments",
        {
            "side": "buyer",
            "item": item["name"],
            "amount": "100.00",
            "paid_on": "2026-12-15",
            "receipt": "SW001",
        },
        content_type="application/json",
    )
    assert paid.status_code == 201
    assert api.get(f"/api/v1/deals/{deal.pk}/taxes").json()["payments"][0]["receipt"] == "SW001"


def test_a_deal_not_yet_signed_has_no_plan_or_handover_to_change(api, listing, buyer, agent):
    from anju.deals.services import deal_create

    # given a deal still in negotiation (no contract, so no plan and no handover list)
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    # when its plan type or its handover is changed
    plan = api.put(
        f"/api/v1/deals/{deal.pk}/milestones",
        {"payment": "full", "escrow": False, "mortgage": False},
        content_type="application/json",
    )
    handover = api.put(
        f"/api/v1/deals/{deal.pk}/handover",
        {"keys_count": 2, "key_kinds": "门钥匙", "buyer_confirmed": True, "seller_confirmed": True},
        content_type="application/json",
    )
    # then each is refused in Chinese, saying why (not a server error)
    assert (plan.status_code, plan.json()["code"]) == (400, "plan_missing")
    assert "合同签订后" in plan.json()["message"]
    assert (handover.status_code, handover.json()["code"]) == (400, "handover_missing")
