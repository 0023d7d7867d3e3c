"""Erasure in the demo agency: a client with rows in every app (deals, a signed contract, documents
and an ID copy, showings and their signed confirmations, needs, messages, complaints, referrals,
care, outreach, processing, notifications) is erased, and then every text column of every table —
history tables included — is scanned for each of the client's personal values: none is left outside
the records the law makes the deal keep."""

from __future__ import annotations

import io

import time_machine
from django.db.models import Q

from anju.archive.models import Document, DocumentKind
from anju.archive.services import document_open, document_upload
from anju.care.models import TierChange
from anju.clients import services
from anju.clients.models import AccessKind, Client, KeptRecord, PersonalDataAccess
from anju.complaints.models import Category
from anju.complaints.services import complaint_record
from anju.deals.models import Deal
from anju.demo.documents import tiny_pdf
from anju.messaging.models import Message
from anju.org.models import Agent, Notification
from anju.outreach.models import Partner, PartnerRating
from anju.processing.models import Visit
from anju.referrals.models import Referral
from anju.showings.models import Showing, ShowingConfirmation, StopFeedback
from tests.demo.demo_runs import FROZEN_NOW, run_demo
from tests.factories import InteractionFactory, NeedFactory
from tests.privacy.scan import find, unscanned_tables

SMALL = ["--listings", "200", "--clients", "150"]
SECOND = "13612340987"
ID_NUMBER = "420106198503120011"
EMAIL = "erase.me@example.com"
NOTES = "女儿在水果湖一小上学"


def _buyer_with_a_signed_contract() -> tuple[Client, Deal]:
    """A buyer with a signed contract whose name no other client or member of staff shares (the scan
    looks for the name everywhere)."""
    deals = Deal.objects.filter(
        contract__signed_at__isnull=False, buyer__merged_into__isnull=True, buyer__erased_at__isnull=True
    ).select_related("buyer", "agent", "store")
    for deal in deals.order_by("pk"):
        name = deal.buyer.name
        shared = Client.objects.filter(name__contains=name).exclude(pk=deal.buyer_id).exists()
        if not shared and not Agent.objects.filter(name__contains=name).exists():
            return deal.buyer, deal
    raise AssertionError("the demo has no buyer with a signed contract and a name of their own")


def client_in_every_app() -> tuple[Client, list[str], Deal, Document]:
    """The buyer, given the details a client gives over the years and the demo's rows of the other
    apps (a showing with its signed confirmation, messages, a referral), each with copies of the
    personal values in its text as staff write them."""
    client, deal = _buyer_with_a_signed_contract()
    manager = Agent.objects.get(user__username="wanglei")
    client = services.client_update(
        client=client,
        by=deal.agent,
        second_phone=SECOND,
        id_number=ID_NUMBER,
        email=EMAIL,
        notes=f"{NOTES}，周末才能看房",
        birthday=services.Birthday(calendar="solar", solar=FROZEN_NOW.date().replace(year=1985)),
    )
    values = [client.name, client.mobile, SECOND, ID_NUMBER, EMAIL, NOTES, client.birthday.isoformat()]
    copy = f"{client.name}（{client.mobile}，身份证 {ID_NUMBER}）"
    InteractionFactory(client=client, agent=deal.agent, summary=f"{copy}来电")
    NeedFactory(client=client, agent=deal.agent, must_haves=f"{NOTES}，联系{SECOND}")
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
    # The demo's rows of other apps become this client's, with copies of the values.
    showing = Showing.objects.filter(confirmations__isnull=False).exclude(client=client).first()
    Showing.objects.filter(pk=showing.pk).update(client=client, note=f"{copy}要求看南向")
    ShowingConfirmation.objects.filter(showing=showing).update(client_name=client.name)
    StopFeedback.objects.filter(stop__showing=showing).update(text=f"{client.name}说采光好")
    messages = Message.objects.exclude(client=client).order_by("pk")[:3]
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(
        client=client, text=f"{client.name}您好，祝{client.birthday}生日快乐"
    )
    Referral.objects.filter(pk=Referral.objects.exclude(referred=client).first().pk).update(
        referrer_kind="client", referrer_client=client, referrer_name="", note=f"{copy}介绍了同事"
    )
    Visit.objects.filter(pk=Visit.objects.first().pk).update(deal=deal, remarks=f"{client.name}很满意")
    PartnerRating.objects.create(
        partner=Partner.objects.filter(company=client.company).first(),
        client=client,
        score=5,
        comment=f"{client.name}说装修队很好",
        recorded_by=deal.agent,
    )
    TierChange.objects.filter(client=client).update(reasons=f"{client.name}近30天带看3次")
    Notification.objects.create(agent=deal.agent, text=f"请回电 {copy}", key="privacy-test")
    return client, values, deal, id_copy


def test_erasure_leaves_no_personal_value_outside_the_records_kept_by_law(db):
    with time_machine.travel(FROZEN_NOW, tick=False):
        run_demo(*SMALL)
        manager = Agent.objects.get(user__username="wanglei")
        client, values, deal, id_copy = client_in_every_app()
        # the positive control: the scan finds the values in every app that holds them
        assert unscanned_tables() == set()
        found_in = {hit.model for hit in find(values)}
        assert {
            "clients.Client",
            "clients.HistoricalClient",
            "clients.Interaction",
            "needs.Need",
            "needs.HistoricalNeed",
            "archive.Document",
            "showings.Showing",
            "showings.StopFeedback",
            "showings.ShowingConfirmation",
            "messaging.Message",
            "complaints.Complaint",
            "referrals.Referral",
            "processing.Visit",
            "outreach.PartnerRating",
            "care.TierChange",
            "org.Notification",
        } <= found_in, found_in

        # when
        services.client_erase(client=client, by=manager, confirm_name=client.name)

        # then: nothing is left outside the kept records
        assert find(values) == []
        kept = {(k.model, k.object_id) for k in KeptRecord.objects.filter(client=client)}
        confirmations = ShowingConfirmation.objects.filter(showing__client=client)
        assert {
            ("deals.Contract", deal.contract.pk),
            ("archive.Document", id_copy.pk),
            *(("showings.ShowingConfirmation", c.pk) for c in confirmations),
        } <= kept
        # the kept records still hold what was signed, for storage
        assert Document.objects.get(pk=id_copy.pk).original_name.startswith(values[0])
        assert {"archive.Document", "showings.ShowingConfirmation"} <= {
            hit.model for hit in find(values, include_kept=True)
        }
        kinds = set(PersonalDataAccess.objects.filter(client=client).values_list("kind", flat=True))
        assert {AccessKind.ID_COPY, AccessKind.ERASURE} <= kinds
        assert not Message.objects.filter(Q(client=client), ~Q(status__in=["sent", "cancelled"])).exists()
