"""The continuation of ``test_deal_flow``: from a deal with its earnest money recorded, the agent
completes the contract's terms, generates it (it opens as Word with the price in figures and in
capitals), re-checks the title, uploads the signed scan and sees 已签合同 — at 375 px in Chromium."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anju.deals.models import Deal
from anju.deals.services import IntentTerms, intent_record
from tests.deals.contract_setup import PDF, TERMS, open_and_agree
from tests.deals.word import text_of
from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory, ListingFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_agent_generates_the_contract_rechecks_the_title_and_signs(phone, live_server, tmp_path):
    # given a deal whose offer was accepted and whose 定金 is recorded (where test_deal_flow ends)
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    listing = ListingFactory(agent=agent, seller=ClientFactory(owner=agent, name="业主周先生"))
    deal = open_and_agree(listing=listing, buyer=ClientFactory(owner=agent, name="买方陈女士"), by=agent)
    today = timezone.localdate()
    earnest = IntentTerms(
        kind="earnest",
        amount=Decimal("50000.00"),
        holder="agency",
        sign_by=today + dt.timedelta(days=7),
        if_buyer_walks="forfeit",
        if_seller_walks="double",
        signed_on=today,
    )
    intent_record(deal=deal, terms=earnest, by=agent)
    sign_in(phone, "zhangwei", PASSWORD)

    # when the agent opens the contract from the deal page
    phone.goto(f"/deals/{deal.pk}/")
    expect(phone.get_by_test_id("stage")).to_have_text("已签意向")
    phone.get_by_test_id("contract-link").click()
    expect(phone).to_have_url(re.compile(r"/deals/\d+/contract/$"))
    # then the form lists exactly what the contract still lacks
    expect(phone.get_by_test_id("missing")).to_have_text("还缺：不动产权证号、付款安排、违约责任")
    assert_fits_phone(phone)

    # when the missing terms are filled in and the contract generated
    form = phone.get_by_test_id("terms-form")
    form.get_by_label("不动产权证号").fill(TERMS["certificate_number"])
    form.get_by_label("付款安排").fill(TERMS["payment_schedule"])
    form.get_by_label("违约责任").fill(TERMS["breach_liability"])
    form.get_by_role("button", name="生成合同").click()
    expect(phone.locator("main")).to_contain_text("合同已生成")
    expect(phone.get_by_test_id("contract-state")).to_have_text("已生成")
    assert_fits_phone(phone)

    # then it downloads as a Word file with the price in figures and in capitals
    with phone.expect_download() as download:
        phone.get_by_test_id("download").click()
    saved = tmp_path / "contract.docx"
    download.value.save_as(saved)
    text = text_of(Path(saved).read_bytes())
    assert "¥1,980,000.00" in text and "壹佰玖拾捌万元整" in text
    assert "伍万元整" in text  # the 定金, also in capitals

    # when the signed scan is uploaded before the title is re-checked, it is refused saying what to check
    scan = tmp_path / "签字合同.pdf"
    scan.write_bytes(PDF)
    phone.get_by_label("签字合同扫描件").set_input_files(scan)
    phone.get_by_test_id("sign").click()
    expect(phone.get_by_test_id("sign-error")).to_contain_text("抵押状态、查封状态")

    # and once the agent records the re-check, the scan is accepted
    phone.locator("[data-testid=title] summary").click()
    phone.get_by_test_id("title-submit").click()
    expect(phone.get_by_test_id("title-ready")).to_be_visible()
    phone.get_by_label("签字合同扫描件").set_input_files(scan)
    phone.get_by_test_id("sign").click()

    # then the contract is signed and the deal is 已签合同
    expect(phone.get_by_test_id("signed")).to_contain_text("已签署")
    assert_fits_phone(phone)
    phone.goto(f"/deals/{deal.pk}/")
    expect(phone.get_by_test_id("stage")).to_have_text("已签合同")
    assert Deal.objects.get(pk=deal.pk).stage == "contract"
