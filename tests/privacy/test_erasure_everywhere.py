"""Erasure in the demo agency: a client with rows in every app (deals, contract, documents, showings
and their signed confirmations, messages, complaints, referrals, care, outreach, processing) is
erased, and then every text column of every table — history tables included — is scanned for each
of the client's personal values: none is left outside the records the law makes the deal keep."""

from __future__ import annotations

import io

import time_machine
from django.db.models import Count, Q

from anju.archive.models import Document, DocumentKind
from anju.archive.services import document_open, document_upload
from anju.clients import services
from anju.clients.models import AccessKind, Client, KeptRecord, PersonalDataAccess
from anju.complaints.models import Category
from anju.complaints.services import complaint_record
from anju.deals.models import Deal
from anju.demo.documents import tiny_pdf
from anju.messaging.models import Message
from anju.org.models import Agent, Notification
from anju.showings.models import Showing, ShowingConfirmation, StopFeedback
from tests.demo.demo_runs import FROZEN_NOW, run_demo
from tests.privacy.scan import find, unscanned_tables

SMALL = ["--listings", "200", "--clients", "150"]


def _the_busiest_buyer() -> Client:
    """A buyer with a signed contract and showing confirmations, whose name no other client or
    member of staff shares (the scan looks for the name everywhere)."""
    candidates = (
        Client.objects.filter(deals_as_buyer__contract__signed_at__isnull=False, merged_into__isnull=True)
        .annotate(
            confirmations=Count("showings__confirmations", distinct=True),
            messages_count=Count("messages", distinct=True),
        )
        .filter(confirmations__gt=0)
        .order_by("-messages_count", "-confirmations", "pk")
    )
    for client in candidates:
        others = Client.objects.filter(name__contains=client.name).exclude(pk=client.pk)
        if not others.exists() and not Agent.objects.filter(name__contains=client.name).exists():
            return client
    raise AssertionError("the demo has no buyer with a signed contract and a unique name")


def test_erasure_leaves_no_personal_value_outside_the_records_kept_by_law(db):
    with time_machine.travel(FROZEN_NOW, tick=False):
        run_demo(*SMALL)
        manager = Agent.objects.get(user__username="wanglei")
        client = _the_busiest_buyer()
        deal = Deal.objects.filter(buyer=client, contract__signed_at__isnull=False).first()
        # given: the details a client gives over the years, and copies of them in other apps' text
        client = services.client_update(
            client=client,
            by=deal.agent,
            second_phone="13612340987",
            id_number="420106198503120011",
            email="erase.me@example.com",
            notes="女儿在水果湖一小上学，周末才能看房",
            birthday=services.Birthday(calendar="solar", solar=FROZEN_NOW.date().replace(year=1985)),
        )
        values = [
            client.name,
            client.mobile,
            "13612340987",
            "420106198503120011",
            "erase.me@example.com",
            "女儿在水果湖一小上学",
            client.birthday.isoformat(),
        ]
        copy = f"{client.name}（{client.mobile}，身份证 420106198503120011）"
        id_copy = document_upload(
            deal=deal,
            by=deal.agent,
            file=io.BytesIO(tiny_pdf("ID")),
            name=f"{client.name}身份证.pdf",
            kind=DocumentKind.ID_COPY,
        )
        document_open(document=id_copy, by=deal.agent).close()
        complaint_record(
            by=manager,
            client=client,
            severity="normal",
            category=Category.objects.filter(company=client.company).first(),
            text=f"{copy}投诉看房迟到",
            deal=deal,
        )
        Showing.objects.filter(client=client).update(note=f"{copy}要求看南向")
        StopFeedback.objects.filter(stop__showing__client=client).update(text=f"{client.name}说采光好")
        Message.objects.filter(client=client).update(text=f"{client.name}您好，{client.birthday}生日快乐")
        Notification.objects.create(agent=deal.agent, text=f"请回电 {copy}", key="privacy-test")
        hits = find(values)
        found_in = {hit.model for hit in hits}
        # the positive control: the scan finds the values in every app that holds them
        assert unscanned_tables() == set()
        assert {
            "clients.Client",
            "clients.HistoricalClient",
            "archive.Document",
            "showings.Showing",
            "showings.ShowingConfirmation",
            "messaging.Message",
            "complaints.Complaint",
            "org.Notification",
        } <= found_in, found_in

        # when
        services.client_erase(client=client, by=manager, confirm_name=client.name)

        # then: nothing outside the kept records
        assert find(values) == []
        kept = {(k.model, k.object_id) for k in KeptRecord.objects.filter(client=client)}
        assert ("deals.Contract", deal.contract.pk) in kept
        assert ("archive.Document", id_copy.pk) in kept
        confirmations = ShowingConfirmation.objects.filter(showing__client=client)
        assert {("showings.ShowingConfirmation", c.pk) for c in confirmations} <= kept
        # the kept records still hold what was signed
        assert Document.objects.get(pk=id_copy.pk).original_name.startswith(values[0])
        assert any(hit.model == "archive.Document" for hit in find(values, include_kept=True))
        assert (
            PersonalDataAccess.objects.filter(
                client=client, kind__in=[AccessKind.ID_COPY, AccessKind.ERASURE]
            )
            .values("kind")
            .distinct()
            .count()
            == 2
        )
        assert not Message.objects.filter(Q(client=client), ~Q(status__in=["sent", "cancelled"])).exists()
