"""The demo's deals past the haggling have their papers: a contract PDF and a handover photo each,
real files with their hashes, which a demo reset removes before the deals."""

from __future__ import annotations

import hashlib
from pathlib import Path

from anju.archive.models import Document
from anju.deals.models import Deal
from tests.demo.demo_runs import run_demo


def test_the_demo_deals_have_documents_and_a_reset_removes_them(db, frozen_day):
    # when
    run_demo("--listings", "300", "--clients", "200")
    # then every deal with papers has a contract PDF and a handover photo, the files matching their hashes
    with_papers = Deal.objects.exclude(stage__in=["negotiating", "cancelled"])
    assert with_papers.exists()
    for deal in with_papers:
        kinds = set(deal.documents.values_list("kind", flat=True))
        assert {"contract", "handover_photo"} <= kinds
    assert not Document.objects.filter(deal__stage="negotiating").exists()
    for document in Document.objects.all():
        data = Path(document.file.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == document.sha256
        assert (
            data[:5] == b"%PDF-"
            if document.content_type == "application/pdf"
            else data[:3] == b"\xff\xd8\xff"
        )
    old_ids = set(Document.objects.values_list("pk", flat=True))

    # when the demo is made again from scratch
    run_demo("--listings", "300", "--clients", "200", "--reset")
    # then the old documents went with their deals, and the new deals have theirs
    assert not Document.objects.filter(pk__in=old_ids).exists()
    assert Document.objects.count() == len(old_ids)
