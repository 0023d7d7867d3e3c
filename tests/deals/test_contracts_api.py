"""/api/v1/deals/{id}/contract: generate (or the missing terms), download, re-check the title, sign."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anju.deals.models import DealStage
from tests.conftest import login
from tests.deals.contract_setup import PDF, TERMS, open_and_agree
from tests.deals.word import text_of


@pytest.fixture
def deal(agent, listing, buyer):
    return open_and_agree(listing=listing, buyer=buyer, by=agent)


def test_generating_without_every_core_term_is_a_400_listing_them(deal, agent):
    # given a deal whose contract lacks its certificate number, payment schedule and breach terms
    api = login(agent)
    # when the contract is generated with no body
    response = api.post(f"/api/v1/deals/{deal.pk}/contract")
    # then 400 names exactly the missing terms in Chinese
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "contract_terms_missing"
    assert body["details"]["missing"] == ["不动产权证号", "付款安排", "违约责任"]
    # and with them it is 201
    assert (
        api.post(f"/api/v1/deals/{deal.pk}/contract", TERMS, content_type="application/json").status_code
        == 201
    )


def test_the_contract_downloads_as_word_with_the_price_in_figures_and_capitals(deal, agent):
    # given a generated contract
    api = login(agent)
    created = api.post(f"/api/v1/deals/{deal.pk}/contract", TERMS, content_type="application/json").json()
    # when it is downloaded
    response = api.get(f"/api/v1/deals/{deal.pk}/contract.docx")
    # then it is a Word file that reads the price both ways
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    text = text_of(response.content)
    assert "¥1,980,000.00" in text and "壹佰玖拾捌万元整" in text
    assert created["terms"]["price_in_capitals"] == "壹佰玖拾捌万元整"
    assert created["terms"]["price"] == "1980000.00"


def test_signing_needs_a_fresh_title_check_then_moves_the_deal(deal, agent):
    # given a generated contract, not yet re-checked
    api = login(agent)
    api.post(f"/api/v1/deals/{deal.pk}/contract", TERMS, content_type="application/json")
    scan = SimpleUploadedFile("签字.pdf", PDF, content_type="application/pdf")
    # when the scan is uploaded before the re-check
    refused = api.post(f"/api/v1/deals/{deal.pk}/contract/signed", {"scan": scan})
    # then 400 says what to re-check
    assert refused.status_code == 400
    assert refused.json()["details"]["recheck"] == ["抵押状态", "查封状态", "不动产权证号及面积"]
    # and after a named person re-checks, signing works and the deal is 已签合同
    check = api.post(
        f"/api/v1/deals/{deal.pk}/title-checks",
        {
            "certificate_number": TERMS["certificate_number"],
            "area": "89.50",
            "mortgaged": False,
            "seized": False,
        },
        content_type="application/json",
    )
    assert check.status_code == 201
    assert check.json()["by"] == agent.name
    signed = api.post(f"/api/v1/deals/{deal.pk}/contract/signed", {"scan": io.BytesIO(PDF)})
    assert signed.status_code == 200, signed.content
    assert signed.json()["signed"] is True
    assert signed.json()["deal_stage"] == DealStage.CONTRACT
    assert api.get(f"/api/v1/deals/{deal.pk}/contract/scan").content == PDF
    # and an amendment supersedes the handover date
    amended = api.post(
        f"/api/v1/deals/{deal.pk}/contract/amendments",
        {"changes": {"handover_on": "2027-05-01"}, "signed_on": "2026-12-20"},
        content_type="application/json",
    )
    assert amended.status_code == 201
    assert amended.json()["terms_in_force"]["handover_on"] == "2027-05-01"
    assert amended.json()["terms"]["handover_on"] == "2027-03-31"


def test_another_companys_contract_is_not_found(deal, agent, stranger):
    # given a generated contract
    login(agent).post(f"/api/v1/deals/{deal.pk}/contract", TERMS, content_type="application/json")
    # when an agent of another company asks for it / then it does not exist for them
    assert login(stranger).get(f"/api/v1/deals/{deal.pk}/contract.docx").status_code == 404
    assert login(agent).get(f"/api/v1/deals/{deal.pk}/contract.docx").status_code == 200


def test_a_misspelt_term_is_named_not_dropped(deal, agent):
    # given a body with a misspelt field beside a good one
    api = login(agent)
    body = {"certificate_numbr": TERMS["certificate_number"], "breach_liability": TERMS["breach_liability"]}
    # when the contract is generated
    response = api.post(f"/api/v1/deals/{deal.pk}/contract", body, content_type="application/json")
    # then 422 names the field, and nothing was generated
    assert response.status_code == 422
    assert response.json()["code"] == "field_unknown"
    assert "certificate_numbr" in response.json()["message"]
    assert api.get(f"/api/v1/deals/{deal.pk}/contract").status_code == 404
