"""正式合同: core terms, generating from templates, the title re-check, signing, amendments."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client as HttpClient

from anju.core.errors import ApplicationError
from anju.deals.contracts.selectors import contract_terms_in_force, template_in_use
from anju.deals.contracts.services import (
    amendment_record,
    contract_generate,
    contract_policy_set,
    contract_sign,
    contract_template_make_current,
    contract_template_upload,
    contract_template_use_default,
)
from anju.deals.models import DealStage, StageChange
from anju.deals.services import OfferTerms, deal_create, offer_accept, offer_make
from tests.deals.contract_setup import PDF, TERMS, open_and_agree, recheck
from tests.deals.word import docx_with, text_of
from tests.factories import ClientFactory, ListingFactory


@pytest.fixture
def deal(agent, listing, buyer):
    return open_and_agree(listing=listing, buyer=buyer, by=agent)


def test_a_contract_lists_every_core_term_still_missing(deal, agent):
    # given a deal that knows its flat, price, payment and handover date, but not the other terms
    # when the contract is generated
    with pytest.raises(ApplicationError) as refused:
        contract_generate(deal=deal, by=agent)
    # then it is refused with exactly the missing terms, in Chinese and in the form's order
    assert refused.value.code == "contract_terms_missing"
    assert refused.value.extra["missing"] == ["不动产权证号", "付款安排", "违约责任"]
    assert "还缺：不动产权证号、付款安排、违约责任" in refused.value.message
    # and once they are given, it is generated
    assert contract_generate(deal=deal, by=agent, terms=TERMS).document


def test_the_generated_contract_carries_the_price_in_figures_and_capitals(deal, agent):
    # given a deal with all the core terms
    # when its contract is generated
    contract = contract_generate(deal=deal, by=agent, terms=TERMS)
    # then the Word document opens and reads the terms, the price both ways, and the risk notices
    data = contract.document.read()
    text = text_of(data)
    assert "¥1,980,000.00" in text
    assert "壹佰玖拾捌万元整" in text
    assert TERMS["certificate_number"] in text
    assert "2027年3月31日" in text
    assert "商贷" in text
    assert "买方陈女士" in text and "业主周先生" in text
    assert "风险提示" in text
    assert "{{" not in text
    assert contract.document_sha256 == hashlib.sha256(data).hexdigest()


def test_signing_is_refused_until_the_title_is_rechecked_within_the_companys_days(deal, agent, colleague):
    # given a generated contract and a title re-check four days old (the company allows three)
    contract_generate(deal=deal, by=agent, terms=TERMS)
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)):
        recheck(deal, colleague)
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC)):
        # when the signed scan is uploaded
        with pytest.raises(ApplicationError) as refused:
            contract_sign(deal=deal, by=agent, scan=io.BytesIO(PDF))
        # then signing is refused, saying what to re-check, and the deal has not moved
        assert refused.value.code == "title_recheck_required"
        assert refused.value.extra["recheck"] == ["抵押状态", "查封状态", "不动产权证号及面积"]
        assert "3 天内" in refused.value.message
        deal.refresh_from_db()
        assert deal.stage == DealStage.NEGOTIATING
        # and a company allowing five days accepts the same re-check
        contract_policy_set(company=deal.company, title_recheck_days=5, by=agent)
        assert contract_sign(deal=deal, by=agent, scan=io.BytesIO(PDF)).is_signed


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"seized": True}, "房屋被查封"),
        ({"certificate_number": "鄂(2024)武汉市不动产权第9999999号"}, "不动产权证号"),
        ({"area": "98.50"}, "面积"),
    ],
)
def test_a_recheck_that_disagrees_with_the_contract_stops_signing(deal, agent, changes, problem):
    # given a generated contract, re-checked today, but finding something wrong
    contract_generate(deal=deal, by=agent, terms=TERMS)
    recheck(deal, agent, **changes)
    # when the signed scan is uploaded / then signing is refused naming the problem
    with pytest.raises(ApplicationError) as refused:
        contract_sign(deal=deal, by=agent, scan=io.BytesIO(PDF))
    assert refused.value.code == "title_recheck_failed"
    assert problem in refused.value.message
    # and a re-check that agrees lets it through
    recheck(deal, agent)
    assert contract_sign(deal=deal, by=agent, scan=io.BytesIO(PDF)).is_signed


def test_signing_keeps_the_scan_with_its_hash_and_moves_the_deal_to_signed(deal, agent, colleague):
    # given a generated contract and a fresh title re-check by a colleague
    contract_generate(deal=deal, by=agent, terms=TERMS)
    check = recheck(deal, colleague)
    # when the signed scan is uploaded
    contract = contract_sign(deal=deal, by=agent, scan=io.BytesIO(PDF))
    # then the scan is kept byte for byte with its SHA-256, who signed and when,
    assert contract.signed_scan.read() == PDF
    assert contract.signed_scan_sha256 == hashlib.sha256(PDF).hexdigest()
    assert contract.signed_by == agent and contract.signed_at is not None
    assert check.by == colleague
    # and the deal is 已签合同 through its transition, recorded in its history
    deal.refresh_from_db()
    assert deal.stage == DealStage.CONTRACT
    assert StageChange.objects.filter(deal=deal, to_stage=DealStage.CONTRACT, by=agent).exists()


def test_a_signed_contract_never_changes_and_an_amendment_supersedes_its_terms(deal, agent):
    # given a signed contract
    contract = contract_generate(deal=deal, by=agent, terms=TERMS)
    recheck(deal, agent)
    contract_sign(deal=deal, by=agent, scan=io.BytesIO(PDF))
    # when someone tries to generate it again, sign it again, or save it by any other path
    with pytest.raises(ApplicationError) as regenerate:
        contract_generate(deal=deal, by=agent, terms={"handover_on": "2027-05-01"})
    contract.refresh_from_db()
    contract.handover_on = dt.date(2027, 5, 1)
    with pytest.raises(ValueError, match="signed"):
        contract.save()
    # then nothing changed
    assert regenerate.value.code == "contract_signed"
    contract.refresh_from_db()
    assert contract.handover_on == dt.date(2027, 3, 31)
    # and a 补充协议 records the new handover date, superseding the signed one
    amendment = amendment_record(
        contract=contract,
        by=agent,
        changes={"handover_on": "2027-05-01"},
        text="交房日期顺延一个月。",
        signed_on=dt.date(2026, 12, 20),
    )
    assert amendment.sequence == 1
    assert contract_terms_in_force(contract)["handover_on"] == "2027-05-01"
    assert contract_terms_in_force(contract)["price"] == Decimal("1980000.00")
    assert contract.history.count() >= 2  # generated, signed


def test_an_amendment_cannot_change_the_flat_itself(deal, agent):
    # given a signed contract
    contract = contract_generate(deal=deal, by=agent, terms=TERMS)
    recheck(deal, agent)
    contract_sign(deal=deal, by=agent, scan=io.BytesIO(PDF))
    # when an amendment tries to change the address / then it is refused naming the term
    with pytest.raises(ApplicationError) as refused:
        amendment_record(
            contract=contract, by=agent, changes={"address": "别处"}, signed_on=dt.date(2026, 12, 20)
        )
    assert refused.value.extra["terms"] == ["房屋坐落"]
    assert amendment_record(
        contract=contract, by=agent, changes={"price": "1950000"}, signed_on=dt.date(2026, 12, 20)
    ).changes == {"price": "1950000.00"}


def test_a_scan_that_is_not_a_pdf_or_photo_is_refused(deal, agent):
    # given a generated, re-checked contract
    contract_generate(deal=deal, by=agent, terms=TERMS)
    recheck(deal, agent)
    # when a text file is uploaded as the scan / then it is refused and nothing is signed
    with pytest.raises(ApplicationError) as refused:
        contract_sign(deal=deal, by=agent, scan=io.BytesIO(b"just text"))
    assert refused.value.code == "scan_format_unknown"
    assert contract_sign(deal=deal, by=agent, scan=io.BytesIO(PDF)).is_signed


# --- templates --------------------------------------------------------------------------------


def test_an_uploaded_template_with_an_unknown_placeholder_is_refused_by_name(company, manager):
    # given a company template with a placeholder no deal can fill
    data = docx_with("本公司合同 {{ price }} {{ buyer_wechat }}")
    # when it is uploaded
    with pytest.raises(ApplicationError) as refused:
        contract_template_upload(company=company, kind="resale", file=io.BytesIO(data), by=manager)
    # then it is refused naming the placeholder, and the default stays in use
    assert refused.value.code == "template_placeholder_unknown"
    assert "buyer_wechat" in refused.value.message
    assert refused.value.extra["placeholders"] == ["buyer_wechat"]
    assert template_in_use(company, "resale")[0] is None


def test_templates_are_versioned_and_the_current_one_generates_the_contract(deal, agent, manager):
    # given two uploaded versions of the company's 存量房买卖合同
    first = contract_template_upload(
        company=deal.company,
        kind="resale",
        file=io.BytesIO(docx_with("第一版 {{ price_in_capitals }}")),
        name="合同v1.docx",
        by=manager,
    )
    second = contract_template_upload(
        company=deal.company, kind="resale", file=io.BytesIO(docx_with("第二版 {{ price }}")), by=manager
    )
    # when a contract is generated, then the first version is made current again, then the default
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert "第二版 ¥1,980,000.00" in text_of(
        contract_generate(deal=deal, by=agent, terms=TERMS).document.read()
    )
    contract_template_make_current(template=first, by=manager)
    assert "第一版 壹佰玖拾捌万元整" in text_of(contract_generate(deal=deal, by=agent).document.read())
    contract_template_use_default(company=deal.company, kind="resale", by=manager)
    # then each generation used the version current at the time, stored as a real file
    assert "存量房买卖合同" in text_of(contract_generate(deal=deal, by=agent).document.read())
    assert first.file.read().startswith(b"PK")


def test_the_admin_shows_a_signed_contract_with_its_history_and_cannot_change_it(deal, agent):
    # given a signed contract and an operator of the admin site
    contract = contract_generate(deal=deal, by=agent, terms=TERMS)
    recheck(deal, agent)
    contract_sign(deal=deal, by=agent, scan=io.BytesIO(PDF))
    operator = HttpClient()
    operator.force_login(
        get_user_model().objects.create_superuser("operator", "op@example.com", "x-Secret-2026")
    )
    # when the operator opens it, its history, and its change form
    page = operator.get(f"/admin/deals/contract/{contract.pk}/change/")
    history = operator.get(f"/admin/deals/contract/{contract.pk}/history/")
    # then it is shown, with its history, and no save button
    assert page.status_code == 200 and contract.number in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert history.status_code == 200
    assert operator.get("/admin/deals/contracttemplate/").status_code == 200
    assert operator.get("/admin/deals/titlecheck/").status_code == 200


def test_generating_again_replaces_the_draft_file(
    deal, agent, media_root, django_capture_on_commit_callbacks
):
    # given a generated draft
    first = contract_generate(deal=deal, by=agent, terms=TERMS)
    first_name = first.document.name
    # when it is generated again with another handover date, and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        again = contract_generate(deal=deal, by=agent, terms={"handover_on": "2027-04-30"})
    # then the contract is the same row with a new document, and only the new file is kept
    assert again.pk == first.pk
    assert "2027年4月30日" in text_of(again.document.read())
    assert (media_root / again.document.name).exists()
    assert not (media_root / first_name).exists()


def test_a_lease_contract_carries_the_rent_and_how_it_is_paid(agent, buyer):
    # given a flat to let whose landlord accepted the tenant's offer of 4,350 a month, 押一付三, a year
    listing = ListingFactory(
        agent=agent, kind="rent", price=Decimal("4500.00"), seller=ClientFactory(owner=agent)
    )
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    lease = {"term_months": 12, "deposit_months": 1, "pay_months": 3, "handover_on": dt.date(2027, 1, 1)}
    offer = offer_make(deal=deal, terms=OfferTerms(side="buyer", price=Decimal("4350.00"), **lease), by=agent)
    offer_accept(offer=offer, by=agent)
    deal.refresh_from_db()
    # when the lease contract is generated
    contract = contract_generate(deal=deal, by=agent, terms=TERMS)
    # then it is the lease template, with the rent in figures and capitals and 押1付3 as the payment
    text = text_of(contract.document.read())
    assert contract.kind == "lease"
    assert "房屋租赁合同" in text
    assert "¥4,350.00" in text and "肆仟叁佰伍拾元整" in text
    assert "租期12个月" in text and "押1付3" in text
    assert "风险提示" in text
