"""An agent on a phone files a contract PDF and a handover photo on a deal, sees both listed with
their SHA-256, and downloads one — in Debian's Chromium, at 375 px."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from anju.archive.models import Download
from anju.deals.services import deal_create
from anju.demo.documents import tiny_jpeg, tiny_pdf
from tests.e2e.conftest import assert_fits_phone
from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory, ListingFactory

pytestmark = pytest.mark.browser


def upload(phone, kind: str, name: str, mime: str, data: bytes) -> None:
    box = phone.get_by_test_id("upload-box")
    box.locator("summary").click()
    box.get_by_label("资料类型").select_option(label=kind)
    box.get_by_label("文件").set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}])
    box.get_by_role("button", name="上传").click()
    expect(phone.locator("main")).to_contain_text(f"已上传 {name}")


def test_agent_files_a_pdf_and_a_photo_on_a_deal_and_downloads_one(phone, live_server):
    # given a deal of the agent's
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    seller = ClientFactory(owner=agent, name="业主周先生")
    listing = ListingFactory(agent=agent, seller=seller, price=Decimal("1980000.00"))
    buyer = ClientFactory(owner=agent, name="买方陈女士")
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    pdf, jpeg = tiny_pdf("Contract"), tiny_jpeg()
    sign_in(phone, "zhangwei", PASSWORD)

    # when the deal page's 资料 section has loaded, empty
    phone.goto(f"/deals/{deal.pk}/")
    expect(phone.get_by_test_id("no-documents")).to_be_visible()

    # and a contract PDF and a handover photo are uploaded
    upload(phone, "合同", "购房合同.pdf", "application/pdf", pdf)
    upload(phone, "交接照片", "钥匙.jpg", "image/jpeg", jpeg)

    # then both are listed, newest first, each with its SHA-256, and the page fits the phone
    items = phone.locator("[data-testid=document-list] li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("钥匙.jpg")
    expect(items.first.get_by_test_id("sha256")).to_contain_text(hashlib.sha256(jpeg).hexdigest())
    expect(items.last).to_contain_text("购房合同.pdf")
    expect(items.last.get_by_test_id("sha256")).to_contain_text(hashlib.sha256(pdf).hexdigest())
    assert_fits_phone(phone)

    # when the contract is downloaded
    with phone.expect_download() as waiting:
        items.last.get_by_test_id("download").click()
    download = waiting.value

    # then it is the file that was uploaded, and the download is in the log
    assert download.suggested_filename == "购房合同.pdf"
    assert Path(download.path()).read_bytes() == pdf
    assert Download.objects.filter(by=agent, allowed=True).count() == 1

    # when the contract's download log is opened
    items.last.get_by_role("link", name="下载记录").click()

    # then it names who downloaded it, and fits the phone too
    entries = phone.locator("[data-testid=downloads] li")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("张伟")
    expect(entries.first).to_contain_text("已下载")
    assert_fits_phone(phone)
