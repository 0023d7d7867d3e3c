"""/api/v1/deals/{id}/documents: upload (multipart), list, download (logged), the download log."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient

from anju.archive.models import Download
from anju.org.services import token_create
from tests.archive.conftest import upload

pytestmark = pytest.mark.django_db


def as_token(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


def post_file(api, deal, data: bytes, name: str, kind: str):
    return api.post(
        f"/api/v1/deals/{deal.pk}/documents", {"file": SimpleUploadedFile(name, data), "kind": kind}
    )


def test_a_document_is_uploaded_listed_and_downloaded(deal, agent, pdf):
    # given
    api = as_token(agent)
    # when
    created = post_file(api, deal, pdf, "购房合同.pdf", "contract")
    listed = api.get(f"/api/v1/deals/{deal.pk}/documents")
    downloaded = api.get(f"/api/v1/deals/{deal.pk}/documents/{created.json()['id']}")
    # then
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert body["size"] == len(pdf)
    assert body["content_type"] == "application/pdf"
    assert body["kind_label"] == "合同"
    assert listed.status_code == 200
    assert [d["id"] for d in listed.json()["items"]] == [body["id"]]
    assert listed.json()["next_cursor"] is None
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == pdf
    assert "attachment" in downloaded["Content-Disposition"]
    assert Download.objects.get(document_id=body["id"]).via == "api"


def test_a_wrong_content_upload_is_refused_with_a_chinese_message(deal, agent, jpeg):
    # when
    response = post_file(as_token(agent), deal, jpeg, "合同.pdf", "contract")
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "document_content_mismatch"
    assert "文件内容与文件名不符" in response.json()["message"]
    assert response.json()["details"] == {"detected": "jpeg"}


def test_an_id_copy_download_by_an_agent_outside_the_deal_is_refused_and_logged(
    deal, agent, manager, outsider, specialist, jpeg
):
    # given
    document = upload(deal, agent, jpeg, "身份证.jpg", "id_copy")
    url = f"/api/v1/deals/{deal.pk}/documents/{document.pk}"
    # when
    by_outsider = as_token(outsider).get(url)
    by_specialist = as_token(specialist).get(url)
    by_agent = as_token(agent).get(url)
    by_manager = as_token(manager).get(url)
    # then
    assert by_outsider.status_code == 403
    assert by_specialist.status_code == 403
    assert by_specialist.json()["message"] == "身份证复印件仅限本交易的经纪人和店长下载。"
    assert by_agent.status_code == 200 and b"".join(by_agent.streaming_content) == jpeg
    assert by_manager.status_code == 200
    log = as_token(manager).get(f"{url}/downloads").json()
    assert [(d["by"], d["allowed"]) for d in reversed(log)] == [
        ("孙磊", False),
        ("钱专员", False),
        ("张伟", True),
        ("王店长", True),
    ]


def test_another_company_gets_not_found(deal, agent, stranger, pdf):
    document = upload(deal, agent, pdf, "合同.pdf", "contract")
    response = as_token(stranger).get(f"/api/v1/deals/{deal.pk}/documents/{document.pk}")
    assert response.status_code == 404
    assert as_token(agent).get(f"/api/v1/deals/{deal.pk}/documents/{document.pk}").status_code == 200


def test_the_list_pages_with_a_cursor(deal, agent, pdf, jpeg):
    # given three documents
    first = upload(deal, agent, pdf, "一.pdf", "contract")
    second = upload(deal, agent, jpeg, "二.jpg", "handover_photo")
    third = upload(deal, agent, pdf, "三.pdf", "receipt")
    api = as_token(agent)
    # when
    page_one = api.get(f"/api/v1/deals/{deal.pk}/documents", {"limit": 2}).json()
    page_two = api.get(
        f"/api/v1/deals/{deal.pk}/documents", {"limit": 2, "cursor": page_one["next_cursor"]}
    ).json()
    # then newest first, across both pages, each once
    assert [d["id"] for d in page_one["items"]] == [third.pk, second.pk]
    assert [d["id"] for d in page_two["items"]] == [first.pk]
    assert page_two["next_cursor"] is None


def test_an_upload_without_its_kind_is_malformed(deal, agent, pdf):
    response = as_token(agent).post(
        f"/api/v1/deals/{deal.pk}/documents", {"file": SimpleUploadedFile("合同.pdf", pdf)}
    )
    assert response.status_code == 422
    assert post_file(as_token(agent), deal, pdf, "合同.pdf", "contract").status_code == 201
