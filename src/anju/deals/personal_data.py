"""The deals' part of a client's personal information (decision 0024): the deals the client buys or
sells in, with their offers, stage changes and contract. On erasure the deals' text is scrubbed; a
signed contract is a record the law makes the agency keep, so within the retention period it stays
as signed (its amendments with it), listed as kept. When the period ends (``KeptRecordsExpired``),
or at once for a contract not kept, the contract is disposed of: its files and the fields that hold
the parties' data emptied, the files deleted after the commit."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.clients.announcements import ClientErased, KeptRecordsExpired
from anju.clients.services import record_kept, retention_ends
from anju.core import personal_data
from anju.core.announcements import listen
from anju.deals.contracts.models import Amendment, Contract, TitleCheck
from anju.deals.models import Deal, LedgerEntry, Offer, Receipt, StageChange


def deals_of(client_ids: Any) -> Any:
    return Deal.objects.filter(Q(buyer_id__in=client_ids) | Q(seller_id__in=client_ids))


def deals(client: Any) -> list[dict[str, Any]]:
    rows = []
    for deal in deals_of([client.pk]).order_by("pk"):
        row = personal_data.plain_row(deal)
        row["offers"] = personal_data.plain_rows(Offer.objects.filter(deal=deal))
        row["stage_changes"] = personal_data.plain_rows(StageChange.objects.filter(deal=deal))
        contract = Contract.objects.filter(deal=deal).first()
        row["contract"] = personal_data.plain_row(contract) if contract else None
        rows.append(row)
    return rows


@listen(ClientErased)
def erase_deals(news: ClientErased) -> None:
    theirs = deals_of(news.client_ids)
    deal_ids = list(theirs.values_list("pk", flat=True))
    personal_data.scrub_model(theirs, news.values)
    personal_data.scrub_model(Deal.history.model.objects.filter(id__in=deal_ids), news.values)
    personal_data.scrub_model(Offer.objects.filter(deal_id__in=deal_ids), news.values)
    personal_data.scrub_model(StageChange.objects.filter(deal_id__in=deal_ids), news.values)
    personal_data.scrub_model(TitleCheck.objects.filter(deal_id__in=deal_ids), news.values)
    # The money ledger's notes and the receipts, and their history, may name the payer.
    for model, path in ((LedgerEntry, "ledger__deal_id__in"), (Receipt, "deal_id__in")):
        rows = model.objects.filter(**{path: deal_ids})
        ids = list(rows.values_list("pk", flat=True))
        personal_data.scrub_model(rows, news.values)
        personal_data.scrub_model(model.history.model.objects.filter(id__in=ids), news.values)
    for contract in Contract.objects.filter(deal_id__in=deal_ids).select_related("deal"):
        party = (
            contract.deal.buyer_id if contract.deal.buyer_id in news.client_ids else contract.deal.seller_id
        )
        keep_until = retention_ends(contract.signed_at) if contract.signed_at else None
        if party is not None and keep_until is not None and keep_until >= news.on:
            record_kept(
                client_id=party,
                obj=contract,
                what=_("合同 %(number)s") % {"number": contract.number},
                reason=_("已签署的合同是房地产经纪业务资料，须在保存期内保留"),
                keep_until=keep_until,
            )
            continue
        one = Contract.objects.filter(pk=contract.pk)
        personal_data.scrub_model(one, news.values)
        personal_data.scrub_model(Contract.history.model.objects.filter(id=contract.pk), news.values)
        amendments = Amendment.objects.filter(contract=contract)
        personal_data.scrub_model(amendments, news.values)
        amendment_ids = list(amendments.values_list("pk", flat=True))
        personal_data.scrub_model(Amendment.history.model.objects.filter(id__in=amendment_ids), news.values)
        contracts_dispose([contract.pk])


# What of a contract holds the parties' personal data, emptied when it is disposed of: the generated
# document and the signed scan (names, ID numbers, phones, signatures), the title certificate's number
# (it names the owner's title) and the payment arrangements typed for the parties. The number, kind,
# price, area, address of the flat, dates and hashes stay: they are the deal's business facts.
CONTRACT_PERSONAL: dict[str, Any] = {
    "document": "",
    "signed_scan": "",
    "certificate_number": "",
    "payment_schedule": "",
}
# An amendment's changed terms and its text are the parties' agreement in words.
AMENDMENT_PERSONAL: dict[str, Any] = {"changes": {}, "text": ""}


def contracts_dispose(contract_ids: list[int]) -> int:
    """Empty the personal fields of these contracts, their amendments and the history of both, and
    delete their files once the transaction commits. Idempotent; returns the files to delete."""
    contracts = Contract.objects.filter(pk__in=contract_ids)
    history = Contract.history.model.objects.filter(id__in=contract_ids)
    storage = Contract._meta.get_field("document").storage
    files: list[Any] = [f for c in contracts for f in (c.document, c.signed_scan)]
    # The history keeps the names only: of earlier drafts (deleted when replaced) and of these.
    files += [(storage, str(name)) for h in history for name in (h.document, h.signed_scan)]
    # ``update``: a signed contract's ``save`` refuses every change, rightly, but this one.
    contracts.update(**CONTRACT_PERSONAL)
    history.update(**CONTRACT_PERSONAL)
    amendments = Amendment.objects.filter(contract_id__in=contract_ids)
    amendment_ids = list(amendments.values_list("pk", flat=True))
    amendments.update(**AMENDMENT_PERSONAL)
    Amendment.history.model.objects.filter(id__in=amendment_ids).update(**AMENDMENT_PERSONAL)
    return personal_data.delete_files_on_commit(files)


@listen(KeptRecordsExpired)
def dispose_contracts(news: KeptRecordsExpired) -> None:
    if ids := news.ids_of(Contract._meta.label):
        contracts_dispose(ids)


def register() -> None:
    personal_data.register_section("deals", deals, title=gettext_lazy("交易"), order=50)
