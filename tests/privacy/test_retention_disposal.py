"""The records kept by law after an erasure are disposed of when their period ends: the nightly job
(as an operator runs it, ``anju jobs run``) empties the rows' personal fields and deletes their
files from storage, once the transaction commits; a record whose period has not ended stays as it
was, file and all; running the job again changes nothing; the client page says what was disposed
of and when."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from anju.archive.models import DocumentKind
from anju.archive.services import document_open, document_upload
from anju.clients import services
from anju.clients.models import KeptRecord
from anju.deals.contracts.models import Contract
from anju.deals.contracts.services import contract_generate, contract_sign
from anju.deals.services import deal_create
from anju.demo.documents import tiny_pdf
from anju.showings.models import ShowingConfirmation
from anju.showings.services import showing_plan, showing_sign
from tests.conftest import login
from tests.deals.contract_setup import PDF, TERMS, open_and_agree, recheck
from tests.factories import ClientFactory
from tests.showings.conftest import home, signature_png

# Signed and erased on the morning of 6 December 2026 in Wuhan; the period is five years.
SIGNED = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC) - dt.timedelta(hours=8)
# 19:00 UTC on 6 December 2031 is 03:00 on 7 December in Beijing, when the nightly job runs: the
# records kept until 6 December are past their period there, though it is still the 6th in UTC.
NIGHT = dt.datetime(2031, 12, 6, 19, 0, tzinfo=dt.UTC)
DISPOSAL_DAY = dt.date(2031, 12, 7)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Contract files and signatures of each test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def located_store(store):
    store.latitude, store.longitude = Decimal("30.550000"), Decimal("114.300000")
    store.save()
    return store


def buyer_with_kept_records(agent, *, name: str, latitude: str):
    """A buyer with a signed contract, a signed showing confirmation and an ID copy on the deal."""
    buyer = ClientFactory(owner=agent, name=name)
    seller = ClientFactory(owner=agent, name=f"{name}的业主")
    listing = home(
        agent,
        latitude=latitude,
        longitude="114.310000",
        name=f"{name}看的小区",
        seller=seller,
        price=Decimal("1980000.00"),
    )
    showing = showing_plan(
        agent=agent, client=buyer, starts_at=timezone.now() + dt.timedelta(hours=1), listing_ids=[listing.pk]
    )
    confirmation = showing_sign(showing=showing, by=agent, client_name=name, signature_png=signature_png())
    deal = open_and_agree(listing=listing, buyer=buyer, by=agent)
    contract_generate(deal=deal, by=agent, terms=TERMS)
    recheck(deal, agent)
    contract = contract_sign(deal=deal, by=agent, scan=io.BytesIO(PDF))
    id_copy = document_upload(
        deal=deal,
        by=agent,
        file=io.BytesIO(tiny_pdf("ID")),
        name=f"{name}身份证.pdf",
        kind=DocumentKind.ID_COPY,
    )
    return buyer, contract, confirmation, id_copy


def stored(field) -> Path:
    return Path(field.storage.path(field.name))


def run_nightly_job() -> dict[str, int]:
    out = io.StringIO()
    call_command("jobs", "run", "nightly_kept_records_disposal", stdout=out)
    return json.loads(out.getvalue())


def snapshot(*rows) -> list[dict]:
    """Every column of the rows, read again from the database."""
    return [dict(type(row).objects.filter(pk=row.pk).values().get()) for row in rows]


def test_kept_records_are_disposed_of_the_night_their_period_ends(
    agent, manager, located_store, django_capture_on_commit_callbacks
):
    # given a buyer erased on the day of signing, whose records are kept until 6 December 2031,
    with time_machine.travel(SIGNED, tick=False):
        expired, contract, confirmation, id_copy = buyer_with_kept_records(
            agent, name="欧阳予希", latitude="30.551000"
        )
        services.client_erase(client=expired, by=manager, confirm_name=expired.name)
    # and another erased the day after, whose ID copy is kept until 7 December (the positive control)
    with time_machine.travel(SIGNED + dt.timedelta(days=1), tick=False):
        kept, _contract, _confirmation, kept_copy = buyer_with_kept_records(
            agent, name="司马文静", latitude="30.552000"
        )
        services.client_erase(client=kept, by=manager, confirm_name=kept.name)
    files = [stored(contract.document), stored(contract.signed_scan), stored(confirmation.signature)]
    files.append(stored(id_copy.file))
    assert all(f.is_file() for f in files)
    assert KeptRecord.objects.filter(client=expired).count() == 3
    assert set(KeptRecord.objects.filter(client=expired).values_list("keep_until", flat=True)) == {
        dt.date(2031, 12, 6)
    }
    assert KeptRecord.objects.get(client=kept, model="archive.Document").keep_until == DISPOSAL_DAY

    # when the nightly job runs at 03:00 Beijing time on 7 December 2031
    with time_machine.travel(NIGHT, tick=False), django_capture_on_commit_callbacks(execute=True):
        report = run_nightly_job()

    # then the first buyer's three records are disposed of: their files are gone from storage,
    assert report == {"clients": 1, "records": 3, "failed": 0}
    assert [f.exists() for f in files] == [False, False, False, False]
    # the rows' personal fields are empty, and what the deal is stays
    contract.refresh_from_db()
    assert (contract.document.name, contract.signed_scan.name) == ("", "")
    assert (contract.certificate_number, contract.payment_schedule) == ("", "")
    assert contract.signed_at is not None and contract.price == Decimal("1980000.00")
    assert contract.signed_scan_sha256  # the proof of what was signed, without the scan
    assert not Contract.history.filter(id=contract.pk).exclude(signed_scan="", document="").exists()
    assert not Contract.history.filter(
        id=contract.pk, certificate_number=TERMS["certificate_number"]
    ).exists()
    confirmation = ShowingConfirmation.objects.get(pk=confirmation.pk)
    assert (confirmation.client_name, confirmation.content, confirmation.signature.name) == ("***", "", "")
    id_copy.refresh_from_db()
    assert (id_copy.file.name, id_copy.original_name) == ("", "")
    assert id_copy.kind == DocumentKind.ID_COPY and id_copy.sha256
    # each record says when it was disposed of
    assert set(KeptRecord.objects.filter(client=expired).values_list("disposed_on", flat=True)) == {
        DISPOSAL_DAY
    }
    # while the record kept until today is untouched, its file in storage
    kept_copy.refresh_from_db()
    assert kept_copy.original_name == "司马文静身份证.pdf"
    assert stored(kept_copy.file).read_bytes() == tiny_pdf("ID")
    assert not KeptRecord.objects.filter(client=kept, disposed_on__isnull=False).exists()

    # when the job runs again the same night
    rows = [contract, confirmation, id_copy, kept_copy, *KeptRecord.objects.order_by("pk")]
    before = snapshot(*rows)
    with (
        time_machine.travel(NIGHT + dt.timedelta(minutes=5), tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        again = run_nightly_job()
    # then nothing more is done
    assert again == {"clients": 0, "records": 0, "failed": 0}
    assert callbacks == []
    assert snapshot(*rows) == before
    assert stored(kept_copy.file).is_file()

    # and the erased client's page lists the records with the day they were disposed of
    page = login(manager).get(f"/clients/{expired.pk}/")
    text = page.content.decode()
    assert text.count('data-disposed="2031-12-07"') == 3
    assert "已于 2031年12月7日 按期销毁" in text
    kept_page = login(manager).get(f"/clients/{kept.pk}/").content.decode()
    assert "data-kept=" in kept_page and "data-disposed" not in kept_page
    # and the pages that showed the files say they were disposed of, and a download is refused
    web = login(manager)
    deal_id = contract.deal_id
    assert 'data-testid="scan-disposed"' in web.get(f"/deals/{deal_id}/contract/").content.decode()
    assert 'data-testid="disposed"' in web.get(f"/deals/{deal_id}/documents/").content.decode()
    showing_page = web.get(f"/showings/{confirmation.showing_id}/").content.decode()
    assert 'data-testid="signature-disposed"' in showing_page and "signature-image" not in showing_page
    signature_url = f"/showings/{confirmation.showing_id}/confirmations/{confirmation.pk}/signature.png"
    assert web.get(signature_url).status_code == 404
    with pytest.raises(PermissionDenied, match="按期销毁"):
        document_open(document=id_copy, by=manager)


class Rollback(Exception):
    pass


def test_a_disposal_rolled_back_deletes_no_file(
    agent, manager, located_store, django_capture_on_commit_callbacks
):
    # given an erased buyer whose records' period has ended
    with time_machine.travel(SIGNED, tick=False):
        expired, contract, confirmation, id_copy = buyer_with_kept_records(
            agent, name="欧阳予希", latitude="30.551000"
        )
        services.client_erase(client=expired, by=manager, confirm_name=expired.name)
    files = [stored(contract.signed_scan), stored(confirmation.signature), stored(id_copy.file)]

    # when the disposal runs inside a transaction that then rolls back
    with (
        time_machine.travel(NIGHT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        assert services.kept_records_dispose(today=timezone.localdate())["records"] == 3
        raise Rollback

    # then every file the kept rows still name is there, and the records are not disposed of
    assert all(f.is_file() for f in files)
    id_copy.refresh_from_db()
    assert id_copy.file.name and id_copy.original_name == "欧阳予希身份证.pdf"
    assert not KeptRecord.objects.filter(disposed_on__isnull=False).exists()


def test_an_erasure_disposes_at_once_of_a_document_already_past_its_period(
    agent, manager, located_store, django_capture_on_commit_callbacks
):
    # given a buyer whose deal holds an ID copy uploaded six years ago
    buyer = ClientFactory(owner=agent, name="欧阳予希")
    listing = home(
        agent, latitude="30.551000", longitude="114.310000", name="老小区", price=Decimal("1980000.00")
    )
    with time_machine.travel(SIGNED - dt.timedelta(days=6 * 365), tick=False):
        deal = deal_create(listing=listing, buyer=buyer, by=agent)
        old_copy = document_upload(
            deal=deal,
            by=agent,
            file=io.BytesIO(tiny_pdf("ID")),
            name="欧阳予希身份证.pdf",
            kind=DocumentKind.ID_COPY,
        )
    # and a receipt uploaded today (the positive control: kept, file and all)
    with time_machine.travel(SIGNED, tick=False):
        receipt = document_upload(
            deal=deal,
            by=agent,
            file=io.BytesIO(tiny_pdf("R")),
            name="定金收据.pdf",
            kind=DocumentKind.RECEIPT,
        )
    old_file, receipt_file = stored(old_copy.file), stored(receipt.file)

    # when the buyer is erased
    with time_machine.travel(SIGNED, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.client_erase(client=buyer, by=manager, confirm_name=buyer.name)

    # then the document past its period is not kept: its name is empty and its file gone
    assert not KeptRecord.objects.filter(model="archive.Document", object_id=old_copy.pk).exists()
    old_copy.refresh_from_db()
    assert (old_copy.file.name, old_copy.original_name) == ("", "")
    assert not old_file.exists()
    # while the receipt is kept with its file
    assert KeptRecord.objects.filter(model="archive.Document", object_id=receipt.pk).exists()
    assert receipt_file.read_bytes() == tiny_pdf("R")
