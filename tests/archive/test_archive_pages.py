"""The deal's 资料 section, a document's download log, the client's .zip and the archive search."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anju.archive.models import Document, Download
from anju.deals.services import deal_create
from tests.archive.conftest import upload
from tests.factories import AgentFactory, ClientFactory, ListingFactory

pytestmark = pytest.mark.django_db


def signed_in(client, agent):
    client.force_login(agent.user)
    return client


def test_the_deal_page_has_its_archive_section(client, deal, agent):
    response = signed_in(client, agent).get(f"/deals/{deal.pk}/")
    assert response.status_code == 200
    assert f'hx-get="/deals/{deal.pk}/documents/"' in response.content.decode()


def test_a_document_is_uploaded_and_listed_with_its_hash(client, deal, agent, pdf):
    # given
    signed_in(client, agent)
    # when
    response = client.post(
        f"/deals/{deal.pk}/documents/", {"kind": "contract", "file": SimpleUploadedFile("合同.pdf", pdf)}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/#archive"
    document = Document.objects.get()
    page = client.get(f"/deals/{deal.pk}/documents/", headers={"HX-Request": "true"}).content.decode()
    assert document.sha256 in page and "合同.pdf" in page
    assert "<html" not in page  # the partial the deal page loads


def test_a_refused_upload_shows_the_reason_on_the_form(client, deal, agent, jpeg):
    signed_in(client, agent)
    response = client.post(
        f"/deals/{deal.pk}/documents/", {"kind": "contract", "file": SimpleUploadedFile("合同.pdf", jpeg)}
    )
    assert response.status_code == 400
    assert "文件内容与文件名不符" in response.content.decode()
    assert not Document.objects.exists()


def test_a_download_is_logged_and_the_log_page_shows_it(client, deal, agent, outsider, jpeg):
    # given
    document = upload(deal, agent, jpeg, "身份证.jpg", "id_copy")
    # when the outsider tries and the agent downloads
    refused = signed_in(client, outsider).get(f"/deals/{deal.pk}/documents/{document.pk}/")
    client.logout()
    got = signed_in(client, agent).get(f"/deals/{deal.pk}/documents/{document.pk}/")
    # then
    assert refused.status_code == 403
    assert got.status_code == 200 and b"".join(got.streaming_content) == jpeg
    assert Download.objects.filter(document=document).count() == 2
    log = client.get(f"/deals/{deal.pk}/documents/{document.pk}/log/").content.decode()
    assert "孙磊" in log and "已拒绝" in log
    assert "张伟" in log and "已下载" in log


def test_the_client_archive_downloads_as_a_zip(client, deal, agent, buyer, pdf):
    upload(deal, agent, pdf, "合同.pdf", "contract")
    response = signed_in(client, agent).get(f"/clients/{buyer.pk}/archive.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert "index.html" in archive.namelist()
        assert len(archive.namelist()) == 2


def test_the_archive_search_finds_a_deal_documents_for_a_manager(client, deal, agent, manager, pdf):
    upload(deal, agent, pdf, "合同.pdf", "contract")
    page = signed_in(client, manager).get("/archive/", {"q": "陈女士"}).content.decode()
    assert "合同.pdf" in page and deal.number in page
    empty = client.get("/archive/", {"q": "没有这个人"}).content.decode()
    assert "合同.pdf" not in empty and "没有找到符合条件的资料" in empty
    client.logout()
    assert signed_in(client, agent).get("/archive/").status_code == 403


def test_the_documents_list_query_count_does_not_grow_with_rows(
    client, deal, agent, pdf, jpeg, django_assert_max_num_queries
):
    # given one document and an ID copy, counted
    upload(deal, agent, pdf, "合同.pdf", "contract")
    upload(deal, agent, jpeg, "身份证.jpg", "id_copy")
    signed_in(client, agent)
    url = f"/deals/{deal.pk}/documents/"
    with CaptureQueriesContext(connection) as few:
        client.get(url, headers={"HX-Request": "true"})
    # when eight more are added
    for n in range(8):
        upload(deal, agent, pdf if n % 2 else jpeg, f"资料{n}.{'pdf' if n % 2 else 'jpg'}", "other")
    # then the list costs no more queries, and shows them all
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert page.count('data-testid="sha256"') == 10


def test_an_id_copy_shows_no_download_link_to_whoever_may_not_have_it(
    client, deal, agent, specialist, pdf, jpeg
):
    # given
    contract = upload(deal, agent, pdf, "合同.pdf", "contract")
    id_copy = upload(deal, agent, jpeg, "身份证.jpg", "id_copy")
    # when
    page = signed_in(client, specialist).get(f"/deals/{deal.pk}/documents/").content.decode()
    # then the specialist has the contract's link, and the ID copy listed without one
    assert f'href="/deals/{deal.pk}/documents/{contract.pk}/"' in page
    assert "身份证.jpg" in page
    assert f'href="/deals/{deal.pk}/documents/{id_copy.pk}/"' not in page


def test_a_deal_agent_exports_the_archive_of_a_buyer_a_colleague_owns(client, agent, colleague, seller, pdf):
    # given a deal of the agent's whose buyer is the colleague's private client
    buyer = ClientFactory(owner=colleague, name="同事的买方")
    listing = ListingFactory(agent=agent, seller=seller, price=Decimal("1500000.00"))
    deal = deal_create(listing=listing, buyer=buyer, by=colleague)
    upload(deal, agent, pdf, "合同.pdf", "contract")
    # when / then the deal's agent gets the buyer's archive, an agent outside it does not
    assert signed_in(client, agent).get(f"/clients/{buyer.pk}/archive.zip").status_code == 200
    client.logout()
    outsider = AgentFactory(store=agent.store, company=agent.company, name="孙磊", user__username="sunlei")
    assert signed_in(client, outsider).get(f"/clients/{buyer.pk}/archive.zip").status_code == 403
