"""The contract pages: the deal's contract (missing terms, generate, re-check, sign, amend) and the
managers' template page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anju.deals.contracts.services import amendment_record, contract_generate, contract_sign
from anju.deals.models import Deal, DealStage
from anju.deals.selectors import deal_story
from tests.conftest import login
from tests.deals.contract_setup import PDF, TERMS, open_and_agree, recheck
from tests.deals.word import docx_with, text_of
from tests.factories import ClientFactory, ListingFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def deal(agent, colleague):
    listing = ListingFactory(agent=agent, seller=ClientFactory(owner=agent, name="业主周先生"))
    return open_and_agree(listing=listing, buyer=ClientFactory(owner=colleague, name="买方陈女士"), by=agent)


def test_the_form_lists_exactly_what_is_missing(web, deal):
    # given a deal that knows its flat, price, payment and handover date
    # when its contract page is opened
    page = web.get(f"/deals/{deal.pk}/contract/").content.decode()
    # then the missing terms are listed, and the known ones are not
    assert 'data-missing="不动产权证号"' in page
    assert 'data-missing="付款安排"' in page
    assert 'data-missing="违约责任"' in page
    assert 'data-missing="成交价（小写及大写）"' not in page
    assert 'value="1980000.00"' in page


def test_generate_sign_and_amend_from_the_page(web, deal, agent):
    # given the contract page of an agreed deal
    url = f"/deals/{deal.pk}/contract/"
    # when the terms are completed and the contract generated
    form = {"kind": "resale", "address": "武汉 测试花园", "area": "89.50", "price": "1980000.00"}
    form |= {"payment_method": "commercial", "handover_on": "2027-03-31", **TERMS}
    assert web.post(f"{url}generate/", form).status_code == 302
    # then it downloads as Word with the price both ways
    docx = web.get(f"/deals/{deal.pk}/contract.docx")
    assert "壹佰玖拾捌万元整" in text_of(docx.content) and "¥1,980,000.00" in text_of(docx.content)
    # and signing is refused until the title is re-checked, saying what to re-check
    refused = web.post(f"{url}sign/", {"scan": SimpleUploadedFile("s.pdf", PDF)})
    assert refused.status_code == 400
    assert "抵押状态、查封状态" in refused.content.decode()
    check = {"certificate_number": TERMS["certificate_number"], "area": "89.50", "mortgaged": "on"}
    assert web.post(f"{url}title-check/", check).status_code == 302
    assert web.post(f"{url}sign/", {"scan": SimpleUploadedFile("s.pdf", PDF)}).status_code == 302
    deal.refresh_from_db()
    assert deal.stage == DealStage.CONTRACT
    page = web.get(url).content.decode()
    assert 'data-testid="signed"' in page and 'data-testid="terms-form"' not in page
    # and an amendment shows the terms now in force
    amend = {"handover_on": "2027-05-01", "text": "交房顺延。", "signed_on": "2026-12-20"}
    assert web.post(f"{url}amendments/", amend).status_code == 302
    page = web.get(url).content.decode()
    assert "2027年5月1日" in page and "交房顺延。" in page


def test_the_deals_story_tells_the_contracts_events_newest_first(web, deal, agent, colleague):
    # given a deal whose story, before any contract, costs some queries
    with CaptureQueriesContext(connection) as before:
        deal_story(Deal.objects.get(pk=deal.pk))
    quiet = len(before)
    # and a contract generated, its title re-checked by a colleague, signed and amended, a minute apart
    start = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    with time_machine.travel(start):
        contract = contract_generate(deal=deal, by=agent, terms=TERMS)
    with time_machine.travel(start + dt.timedelta(minutes=1)):
        recheck(deal, colleague, note="房管局窗口查询")
    with time_machine.travel(start + dt.timedelta(minutes=2)):
        contract_sign(deal=deal, by=agent, scan=io.BytesIO(PDF))
    with time_machine.travel(start + dt.timedelta(minutes=3)):
        amendment_record(
            contract=contract, by=agent, changes={"handover_on": "2027-05-01"}, signed_on=start.date()
        )
    # when the deal's page is opened
    page = web.get(f"/deals/{deal.pk}/").content.decode()
    with CaptureQueriesContext(connection) as told:
        deal_story(Deal.objects.get(pk=deal.pk))
    # then its story costs one query for the contract's events, however many (as many as with none)
    assert len(told) == quiet
    # and its story tells the contract's events, newest first, with who did them
    story = page[page.index('data-testid="story"') :]
    kinds = [
        kind for kind in ("amendment", "signed", "title_check", "contract") if f'data-story="{kind}"' in story
    ]
    assert kinds == ["amendment", "signed", "title_check", "contract"]
    positions = [story.index(f'data-story="{kind}"') for kind in kinds]
    assert positions == sorted(positions)
    assert f"生成合同 {contract.number}" in story
    assert f"合同 {contract.number} 已签约" in story
    assert "产权复核：有抵押" in story and f"{colleague.name} · 房管局窗口查询" in story
    assert "补充协议第 1 号" in story
    # and the deal's earlier story (the accepted offer) is still told after them
    assert story.index('data-story="contract"') < story.index('data-story="accept"')


def test_an_agent_of_another_store_cannot_open_the_contract(deal, stranger):
    # given a deal of this company / when an outsider opens its contract page / then it is not found
    assert login(stranger).get(f"/deals/{deal.pk}/contract/").status_code == 404


def test_managers_upload_versions_and_a_bad_placeholder_is_named(manager, agent):
    # given a manager on the template page
    web = login(manager)
    assert web.get("/deals/contract-templates/").status_code == 200
    # when a template with an unknown placeholder is uploaded
    bad = SimpleUploadedFile("我的合同.docx", docx_with("{{ price }} {{ buyer_wechat }}"))
    refused = web.post("/deals/contract-templates/upload/", {"kind": "resale", "file": bad})
    # then it is refused naming it, and a good one becomes the current version
    assert refused.status_code == 400
    assert "buyer_wechat" in refused.content.decode()
    good = SimpleUploadedFile("我的合同.docx", docx_with("{{ price }}"))
    assert web.post("/deals/contract-templates/upload/", {"kind": "resale", "file": good}).status_code == 302
    page = web.get("/deals/contract-templates/").content.decode()
    assert 'data-version="1"' in page and "我的合同.docx" in page
    # and an agent may not manage templates
    assert login(agent).get("/deals/contract-templates/").status_code == 403


def test_the_default_templates_download(manager):
    # given a manager / when a default template is downloaded / then it is the Word file with its notices
    response = login(manager).get("/deals/contract-templates/default/lease.docx")
    assert response.status_code == 200
    assert "风险提示" in text_of(io.BytesIO(response.content).getvalue())
