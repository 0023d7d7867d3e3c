"""Money held for a deal (资金监管): writes and reads on the deal's ledger.

Every yuan the agency's account or a supervised account holds for a deal is an entry of the
deal's one ``Ledger``: deposits in, releases (to the seller or the seller's bank for 解押),
refunds and conversions into the price out. A holder's balance never goes below 0.00: an entry
that would take it there is refused with what is available. The ledger's row is the lock, so two
releases at once queue and the second sees the first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError
from anju.core.formats import FEN, format_money
from anju.deals.models import Deal, EntryKind, EntryPurpose, Holder, Ledger, LedgerEntry
from anju.deals.stages import FINAL
from anju.org.models import Agent

OUT = (EntryKind.RELEASE, EntryKind.REFUND, EntryKind.CONVERT)
ZERO = Decimal("0.00")


def ledger_balances(deal: Deal) -> dict[str, Decimal]:
    """What each holder holds for the deal now (both holders, 0.00 when nothing)."""
    balances = {holder: ZERO for holder in Holder.values}
    rows = (
        LedgerEntry.objects.filter(ledger__deal_id=deal.pk)
        .values("holder", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        sign = -1 if row["kind"] in OUT else 1
        balances[row["holder"]] = balances.get(row["holder"], ZERO) + sign * row["total"]
    return {holder: amount.quantize(FEN) for holder, amount in balances.items()}


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("金额必须是数字。"), code="escrow_amount_invalid") from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e12") or amount != amount.quantize(FEN):
        raise ApplicationError(_("金额必须大于 0，最多两位小数。"), code="escrow_amount_invalid")
    return amount


@transaction.atomic
def escrow_record(
    *,
    deal: Deal,
    kind: str,
    amount: Any,
    on: dt.date,
    by: Agent,
    holder: str = Holder.SUPERVISED,
    bank: str = "",
    reference: str = "",
    note: str = "",
) -> LedgerEntry:
    """One entry of money held for the deal; refused (with ``available``) when it would take the
    holder's balance below 0.00."""
    ledger = Ledger.objects.select_for_update().select_related("deal").get(deal_id=deal.pk)
    if ledger.deal.stage in FINAL:
        raise ApplicationError(_("交易已结束，不能再登记资金。"), code="escrow_deal_final")
    if kind not in EntryKind.values:
        raise ApplicationError(_("资金类型应为存入、划转、退还或转为房款。"), code="escrow_kind_invalid")
    if holder not in Holder.values:
        raise ApplicationError(_("保管方应为公司账户或监管账户。"), code="escrow_holder_invalid")
    value = _amount(amount)
    if kind in OUT:
        available = ledger_balances(deal)[holder]
        if value > available:
            raise ApplicationError(
                _("%(holder)s现有 %(available)s，不足 %(amount)s。")
                % {
                    "holder": Holder(holder).label,
                    "available": format_money(available),
                    "amount": format_money(value),
                },
                code="escrow_balance_short",
                extra={"available": f"{available:.2f}", "holder": holder},
            )
    entry = LedgerEntry(
        ledger=ledger,
        holder=holder,
        kind=kind,
        purpose=EntryPurpose.ESCROW,
        amount=value,
        bank=bank.strip()[:60],
        reference=reference.strip()[:60],
        on=on,
        note=note.strip()[:200],
        by=by,
    )
    entry._history_user = by.user  # type: ignore[attr-defined]
    entry.save()
    return entry
