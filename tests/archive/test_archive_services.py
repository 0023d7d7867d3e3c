"""Uploads are checked by content and size; downloads are logged, ID copies only for the deal's
agents and managers; a client's archive is a .zip whose index matches its files."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from anju.archive.models import Document, Download
from anju.archive.selectors import archive_search
from anju.archive.services import client_archive_build, document_open
from anju.core.errors import ApplicationError
from tests.archive.conftest import upload

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.ARCHIVE_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_pdf_is_stored_with_its_hash_size_and_real_type(deal, agent, pdf):
    # when
    document = upload(deal, agent, pdf, "购房合同.pdf", "contract")
    # then
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.size == len(pdf)
    assert document.content_type == "application/pdf"
    assert document.original_name == "购房合同.pdf"
    path = Path(document.file.path)
    assert path.read_bytes() == pdf
    # kept in the archive's directory, not among the media any URL serves
    assert path.is_relative_to(Path(settings.ARCHIVE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert path.suffix == ".pdf" and "购房合同" not in path.name


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(deal, agent, jpeg):
    # given
    before = stored_files()
    # when a photo is uploaded under a PDF's name
    with pytest.raises(ApplicationError) as refused:
        upload(deal, agent, jpeg, "合同.pdf", "contract")
    # then it is refused in Chinese, naming what it really is, and nothing is kept
    assert refused.value.code == "document_content_mismatch"
    assert "文件内容与文件名不符" in refused.value.message
    assert "JPEG" in refused.value.message
    assert not Document.objects.exists()
    assert stored_files() == before
    # while the same photo under its own name is accepted
    assert upload(deal, agent, jpeg, "交接.jpg", "handover_photo").content_type == "image/jpeg"


def test_a_file_of_no_accepted_type_is_refused(deal, agent):
    with pytest.raises(ApplicationError) as refused:
        upload(deal, agent, b"MZ\x90\x00 not a document", "合同.pdf", "contract")
    assert refused.value.code == "document_type_unsupported"
    assert "PDF" in refused.value.message


def test_an_oversize_file_is_refused_with_the_limit(deal, agent, pdf):
    # given a limit just below the file's size
    # when
    with override_settings(ARCHIVE_MAX_BYTES=len(pdf) - 1), pytest.raises(ApplicationError) as refused:
        upload(deal, agent, pdf, "合同.pdf", "contract")
    # then
    assert refused.value.code == "document_too_large"
    assert "文件太大" in refused.value.message
    assert refused.value.extra == {"max_bytes": len(pdf) - 1}
    assert not Document.objects.exists()
    # and at exactly the limit it is accepted
    with override_settings(ARCHIVE_MAX_BYTES=len(pdf)):
        assert upload(deal, agent, pdf, "合同.pdf", "contract").size == len(pdf)


def test_an_unknown_kind_is_refused(deal, agent, pdf):
    with pytest.raises(ApplicationError) as refused:
        upload(deal, agent, pdf, "合同.pdf", "passport")
    assert refused.value.code == "document_kind_invalid"


def test_an_id_copy_is_for_the_deal_agents_and_managers_only(
    deal, agent, manager, specialist, outsider, jpeg
):
    # given an ID copy on the deal
    document = upload(deal, agent, jpeg, "身份证.jpg", "id_copy")
    # when the deal's agent and the store manager download it, then they get the file
    for allowed in (agent, manager):
        with document_open(document=document, by=allowed) as file:
            assert file.read() == jpeg
    # when the store's specialist (who sees the deal) and an agent outside the deal try
    with pytest.raises(PermissionDenied, match="身份证复印件仅限本交易的经纪人和店长下载"):
        document_open(document=document, by=specialist)
    with pytest.raises(PermissionDenied, match="无权下载"):
        document_open(document=document, by=outsider)
    # then every attempt is in the log, the refusals with their reason
    log = {(d.by.name, d.allowed) for d in Download.objects.filter(document=document)}
    assert log == {("张伟", True), ("王店长", True), ("钱专员", False), ("孙磊", False)}
    assert all(d.reason for d in Download.objects.filter(allowed=False))


def test_other_documents_are_for_whoever_sees_the_deal(deal, agent, specialist, pdf):
    document = upload(deal, agent, pdf, "合同.pdf", "contract")
    with document_open(document=document, by=specialist) as file:
        assert file.read() == pdf
    assert Download.objects.get(document=document).by == specialist


def test_the_client_archive_holds_the_files_and_an_index_with_their_hashes(deal, agent, buyer, pdf, jpeg):
    # given a contract, a handover photo and an ID copy
    contract = upload(deal, agent, pdf, "合同.pdf", "contract")
    photo = upload(deal, agent, jpeg, "交接.jpg", "handover_photo")
    id_copy = upload(deal, agent, jpeg, "身份证.jpg", "id_copy")
    # when the buyer's archive is built by the deal's agent
    bundle = client_archive_build(client=buyer, by=agent)
    # then each file is in the zip, and the index lists each with its kind and SHA-256
    with zipfile.ZipFile(bundle.file) as archive:
        names = archive.namelist()
        index = archive.read("index.html").decode()
        files = {name: archive.read(name) for name in names if name != "index.html"}
    assert len(files) == 3 and bundle.included == 3 and bundle.left_out == 0
    hashes_in_index = set(re.findall(r'<code class="sha256">([0-9a-f]{64})</code>', index))
    assert hashes_in_index == {hashlib.sha256(data).hexdigest() for data in files.values()}
    assert hashes_in_index == {contract.sha256, photo.sha256, id_copy.sha256}
    for label in ("合同", "交接照片", "身份证复印件", "买方陈女士"):
        assert label in index
    for name in files:
        assert f'href="{name}"' in index
    # and every file put in is a logged download
    assert Download.objects.filter(via="zip", allowed=True).count() == 3


def test_the_client_archive_leaves_out_what_the_viewer_may_not_have(
    deal, agent, specialist, buyer, pdf, jpeg
):
    # given
    upload(deal, agent, pdf, "合同.pdf", "contract")
    upload(deal, agent, jpeg, "身份证.jpg", "id_copy")
    # when the specialist builds the buyer's archive
    bundle = client_archive_build(client=buyer, by=specialist)
    # then the contract is in it, the ID copy is named in the index as left out, and refused in the log
    with zipfile.ZipFile(bundle.file) as archive:
        names = archive.namelist()
        index = archive.read("index.html").decode()
    assert bundle.included == 1 and bundle.left_out == 1
    assert any(name.endswith("合同.pdf") for name in names)
    assert not any(name.endswith("身份证.jpg") for name in names)
    assert "未包含" in index and "身份证.jpg" in index
    assert Download.objects.filter(by=specialist, allowed=False, via="zip").count() == 1


def test_the_archive_is_found_by_client_property_or_deal_number(deal, agent, manager, buyer, pdf):
    # given
    document = upload(deal, agent, pdf, "合同.pdf", "contract")
    community = deal.listing.property.community.name
    # when / then
    for query in ("陈女士", "周先生", community, deal.number, ""):
        assert list(archive_search(manager, query)) == [document], query
    assert list(archive_search(manager, "没有这个人")) == []
    assert list(archive_search(manager, "", kind="id_copy")) == []


def test_only_managers_specialists_and_admins_search_the_archive(agent):
    with pytest.raises(PermissionDenied):
        archive_search(agent, "")
