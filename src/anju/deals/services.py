"""Writes for deals (交易): the transition function first, the rest added below it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.core.announcements import announce
from anju.core.errors import ApplicationError, ConflictError, IllegalTransition
from anju.core.formats import FEN, format_money, to_fen
from anju.deals.announcements import DealMoved
from anju.deals.commission import HUNDRED
from anju.deals.models import (
    BuyerWalks,
    Deal,
    DealKind,
    DealStage,
    EarnestKind,
    EntryKind,
    EntryPurpose,
    Holder,
    IntentAgreement,
    Ledger,
    LedgerEntry,
    Offer,
    Payer,
    Payment,
    Receipt,
    RoleShare,
    SellerWalks,
    Side,
    Split,
    SplitRole,
    StageChange,
    TaxesBy,
)
from anju.deals.selectors import company_shares
from anju.deals.stages import FINAL, OPEN, can_move
from anju.listings.models import Listing, ListingKind, ListingStatus
from anju.listings.services import listing_reactivate, listing_reserve
from anju.listings.status import IN_PLAY
from anju.needs.models import Need
from anju.org.models import Agent


@transaction.atomic
def deal_move(*, deal: Deal, to: str, by: Agent, reason: str = "") -> Deal:
    """The one way a deal changes stage: lock its row, check the move (``stages.MOVES``), record who
    and when. Cancelling needs a reason. The contract work calls it with ``to="contract"`` once the
    signed scan is kept; the processing work with ``"processing"`` and ``"closed"``."""
    if to not in DealStage.values:
        raise ApplicationError(_("未知的交易阶段。"), code="deal_stage_invalid")
    locked = Deal.objects.select_for_update().get(pk=deal.pk)
    current = DealStage(locked.stage)
    target = DealStage(to)
    if not can_move(current, target):
        raise IllegalTransition(
            _("交易当前阶段为“%(current)s”，不能改为“%(to)s”。")
            % {"current": current.label, "to": target.label},
            code="deal_stage_illegal",
        )
    reason = reason.strip()
    if target == DealStage.CANCELLED and not reason:
        raise ApplicationError(_("取消交易必须填写原因。"), code="deal_reason_missing")
    locked.stage = target
    fields = ["stage"]
    if target == DealStage.CANCELLED:
        locked.cancel_reason = reason[:300]
        fields.append("cancel_reason")
    locked._history_user = by.user  # type: ignore[attr-defined]
    locked.save(update_fields=fields)
    StageChange.objects.create(
        deal=locked, from_stage=current, to_stage=target, by=by, at=timezone.now(), reason=reason[:300]
    )
    announce(DealMoved(locked.company_id, locked.pk, str(current), str(target), by.pk))
    deal.stage, deal.cancel_reason, deal.updated_at = locked.stage, locked.cancel_reason, locked.updated_at
    return locked


# --- creating a deal -------------------------------------------------------------------------

LISTING_SIDE = (SplitRole.ENTRY, SplitRole.MAINTAIN, SplitRole.SURVEY, SplitRole.MANDATE, SplitRole.KEYS)
# A listing of this kind is dealt as that kind of deal.
DEAL_KIND_OF = {ListingKind.SALE: DealKind.SALE, ListingKind.RENT: DealKind.LEASE}


@transaction.atomic
def role_shares_set(*, company_id: int, shares: Mapping[str, Any], by: Agent) -> dict[str, Decimal]:
    """Replace the company's default shares; they must add up to exactly 100%."""
    clean: dict[str, Decimal] = {SplitRole(role): _percent(value) for role, value in shares.items()}
    _check_total(sum(clean.values(), Decimal(0)))
    RoleShare.objects.filter(company_id=company_id).delete()
    RoleShare.objects.bulk_create(
        RoleShare(company_id=company_id, role=role, percent=percent) for role, percent in clean.items()
    )
    return clean


@transaction.atomic
def deal_create(
    *, listing: Listing, buyer: Client, by: Agent, kind: str | None = None, need: Need | None = None
) -> Deal:
    """A deal in 洽谈中 for ``listing`` with ``buyer``: its ledger, its first stage row, and the split
    by the company's default shares (listing side to the listing's agent, 客源推荐 to the buyer's
    agent, the rest to ``by`` until someone edits it)."""
    if listing.company_id != by.company_id or buyer.company_id != by.company_id:
        raise ApplicationError(_("房源、客户与经纪人必须属于同一公司。"), code="deal_company_mismatch")
    expected = DEAL_KIND_OF[ListingKind(listing.kind)]
    if kind is not None and kind != expected:
        message = (
            _("出售房源只能建立买卖交易。") if expected == DealKind.SALE else _("出租房源只能建立租赁交易。")
        )
        raise ApplicationError(message, code="deal_kind_mismatch")
    if listing.status not in IN_PLAY:
        raise ApplicationError(
            _("房源当前状态为“%(status)s”，不能建立交易。") % {"status": listing.get_status_display()},
            code="deal_listing_unavailable",
        )
    if listing.seller_id is not None and listing.seller_id == buyer.pk:
        raise ApplicationError(_("买方不能是该房源的业主本人。"), code="deal_buyer_is_seller")
    if need is not None and need.client_id != buyer.pk:
        raise ApplicationError(_("所选需求不属于该客户。"), code="deal_need_mismatch")
    store = by.store or listing.store
    deal = Deal(
        company_id=by.company_id,
        kind=expected,
        listing=listing,
        seller_id=listing.seller_id,
        buyer=buyer,
        need=need,
        agent=by,
        store=store,
    )
    deal._history_user = by.user  # type: ignore[attr-defined]
    deal.save()
    deal.number = f"JY{timezone.localdate():%Y%m%d}{deal.pk:05d}"
    deal.save(update_fields=["number"])
    Ledger.objects.create(deal=deal)
    StageChange.objects.create(deal=deal, from_stage="", to_stage=DealStage.NEGOTIATING, by=by)
    # Entering the first stage is a move too: the buyer and the seller are now in a transaction.
    announce(DealMoved(deal.company_id, deal.pk, "", str(DealStage.NEGOTIATING), by.pk))
    agents = {role: by.pk for role in SplitRole}
    for role in LISTING_SIDE:
        agents[role] = listing.agent_id
    if buyer.owner_id is not None:
        agents[SplitRole.REFERRAL] = buyer.owner_id
    Split.objects.bulk_create(
        Split(deal=deal, agent_id=agents[SplitRole(role)], role=role, percent=percent)
        for role, percent in company_shares(by.company_id).items()
    )
    return deal


# --- splits ----------------------------------------------------------------------------------


def _percent(value: Any) -> Decimal:
    try:
        percent = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("比例必须是数字。"), code="split_percent_invalid") from None
    if not percent.is_finite() or percent != percent.quantize(FEN) or not (0 <= percent <= HUNDRED):
        raise ApplicationError(_("比例应在 0 到 100 之间，最多两位小数。"), code="split_percent_invalid")
    return percent.quantize(FEN)


def _check_total(total: Decimal) -> None:
    if total == HUNDRED:
        return
    gap = HUNDRED - total
    if gap > 0:
        message = _("分成合计 %(total)s%%，还差 %(gap)s%%，必须正好 100%%。")
    else:
        message = _("分成合计 %(total)s%%，多出 %(gap)s%%，必须正好 100%%。")
    raise ApplicationError(
        message % {"total": f"{total:.2f}", "gap": f"{abs(gap):.2f}"},
        code="split_total_wrong",
        extra={"total": f"{total:.2f}", "difference": f"{gap:.2f}"},
    )


@transaction.atomic
def deal_set_splits(*, deal: Deal, splits: Sequence[tuple[Agent, str, Any]], by: Agent) -> list[Split]:
    """Replace the deal's split by ``(agent, role, percent)`` lines, all in one transaction; refused
    (saying by how much) unless the percents add up to exactly 100."""
    locked = _locked(deal)
    if locked.stage in FINAL:
        raise ApplicationError(_("交易已结束，分佣不能再修改。"), code="split_deal_final")
    lines: dict[tuple[int, str], Decimal] = {}
    for agent, role, value in splits:
        if agent.company_id != locked.company_id:
            raise ApplicationError(_("分佣经纪人必须是本公司员工。"), code="split_agent_invalid")
        if role not in SplitRole.values:
            raise ApplicationError(_("未知的分佣角色。"), code="split_role_invalid")
        percent = _percent(value)
        if percent == 0:
            continue
        key = (agent.pk, role)
        lines[key] = lines.get(key, Decimal(0)) + percent
    if not lines:
        raise ApplicationError(_("至少需要一条分佣。"), code="split_empty")
    _check_total(sum(lines.values(), Decimal(0)))
    Split.objects.filter(deal=locked).delete()
    created = []
    for (agent_id, role), percent in lines.items():
        split = Split(deal=locked, agent_id=agent_id, role=role, percent=percent)
        split._history_user = by.user  # type: ignore[attr-defined]
        split.save()
        created.append(split)
    locked.split_total = sum(lines.values(), Decimal(0))
    locked._history_user = by.user  # type: ignore[attr-defined]
    locked.save(update_fields=["split_total"])
    return created


@transaction.atomic
def deal_set_commission(*, deal: Deal, rate: Any, payer: str, by: Agent) -> Deal:
    """The deal's own commission rate (a fraction: 0.02 is 2%) and payer; empty rate means the company's."""
    locked = _locked(deal)
    if locked.stage in FINAL:
        raise ApplicationError(_("交易已结束，佣金不能再修改。"), code="commission_deal_final")
    if rate in (None, ""):
        locked.commission_rate = None
    else:
        try:
            value = Decimal(str(rate))
        except (InvalidOperation, ValueError):
            raise ApplicationError(_("佣金费率必须是数字。"), code="commission_rate_invalid") from None
        limit = Decimal(2) if locked.kind == DealKind.LEASE else Decimal("0.1")
        if not value.is_finite() or not (0 <= value <= limit) or value != value.quantize(Decimal("0.000001")):
            raise ApplicationError(_("佣金费率超出合理范围。"), code="commission_rate_invalid")
        locked.commission_rate = value
    if payer not in ("", *Payer.values):
        raise ApplicationError(_("佣金支付方应为买方、卖方或双方各半。"), code="commission_payer_invalid")
    locked.commission_payer = payer
    locked._history_user = by.user  # type: ignore[attr-defined]
    locked.save(update_fields=["commission_rate", "commission_payer"])
    return locked


# --- offers (价格斡旋) -------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferTerms:
    side: str
    price: Decimal
    payment: str = ""
    deposit: Decimal | None = None
    handover_on: dt.date | None = None
    taxes_by: str = TaxesBy.STATUTORY
    items_included: str = ""
    terms: str = ""
    deposit_months: int | None = None
    pay_months: int | None = None
    term_months: int | None = None
    expires_at: dt.datetime | None = None


def _money(value: Any, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApplicationError(
            _("%(label)s必须是金额。") % {"label": label}, code="offer_price_invalid"
        ) from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e12") or amount != amount.quantize(FEN):
        raise ApplicationError(
            _("%(label)s必须大于 0，最多两位小数。") % {"label": label}, code="offer_price_invalid"
        )
    return amount


@transaction.atomic
def offer_make(*, deal: Deal, terms: OfferTerms, by: Agent) -> Offer:
    """An offer from one side; it answers the deal's latest offer. Only while 洽谈中 and nothing is
    accepted yet."""
    locked = _locked(deal)
    if locked.stage != DealStage.NEGOTIATING:
        raise ApplicationError(_("只有洽谈中的交易可以报价。"), code="offer_deal_not_negotiating")
    if locked.accepted_offer_id is not None:
        raise ApplicationError(_("已有报价被接受，不能再报价。"), code="offer_already_accepted")
    if terms.side not in Side.values:
        raise ApplicationError(_("报价方应为买方或卖方。"), code="offer_side_invalid")
    price = _money(terms.price, _("价格"))
    deposit = None if terms.deposit in (None, "") else _money(terms.deposit, _("定金"))
    if terms.payment not in ("", *Payment.values):
        raise ApplicationError(_("未知的付款方式。"), code="offer_payment_invalid")
    if locked.kind == DealKind.LEASE and terms.payment not in ("", Payment.FULL):
        raise ApplicationError(_("租赁没有贷款，付款方式不适用。"), code="offer_payment_invalid")
    if terms.taxes_by not in TaxesBy.values:
        raise ApplicationError(_("未知的税费承担方式。"), code="offer_taxes_invalid")
    if terms.expires_at is not None and terms.expires_at <= timezone.now():
        raise ApplicationError(_("有效期必须晚于现在。"), code="offer_expiry_past")
    for months in (terms.deposit_months, terms.pay_months, terms.term_months):
        if months is not None and not (0 <= months <= 120):
            raise ApplicationError(_("月数应在 0 到 120 之间。"), code="offer_months_invalid")
    previous = locked.offers.order_by("-created_at", "-id").first()
    return Offer.objects.create(
        deal=locked,
        side=terms.side,
        answers=previous,
        price=price,
        payment=terms.payment,
        deposit=deposit,
        handover_on=terms.handover_on,
        taxes_by=terms.taxes_by,
        items_included=terms.items_included.strip()[:300],
        terms=terms.terms.strip(),
        deposit_months=terms.deposit_months if locked.kind == DealKind.LEASE else None,
        pay_months=terms.pay_months if locked.kind == DealKind.LEASE else None,
        term_months=terms.term_months if locked.kind == DealKind.LEASE else None,
        expires_at=terms.expires_at,
        by=by,
    )


@transaction.atomic
def offer_accept(*, offer: Offer, by: Agent) -> Deal:
    """The other side accepts ``offer`` (the deal's latest): the deal takes its price and terms, and
    the listing moves to 已预定 through the listings' transition function. The deal stays 洽谈中.

    The listing's row is locked first, so two accepts on one listing queue there: the second sees
    the first's reservation and is refused (409) naming who holds it.
    """
    listing = Listing.objects.select_for_update().get(pk=offer.deal.listing_id)
    locked = _locked(offer.deal)
    holder = (
        Deal.objects.filter(listing_id=listing.pk, accepted_offer__isnull=False, stage__in=OPEN)
        .exclude(pk=locked.pk)
        .select_related("agent")
        .first()
    )
    if holder is not None:
        raise ConflictError(
            _("该房源已被%(agent)s的交易 %(number)s 预定，不能再接受报价。")
            % {"agent": holder.agent.name, "number": holder.number},
            extra={"deal_id": holder.pk, "agent": holder.agent.name},
        )
    if locked.stage != DealStage.NEGOTIATING:
        raise ApplicationError(_("只有洽谈中的交易可以接受报价。"), code="offer_deal_not_negotiating")
    if locked.accepted_offer_id is not None:
        raise ApplicationError(_("这笔交易已经接受过报价。"), code="offer_already_accepted")
    latest = locked.offers.order_by("-created_at", "-id").first()
    if latest is None or latest.pk != offer.pk:
        raise ApplicationError(_("只能接受对方最新的一次报价。"), code="offer_not_latest")
    if offer.expires_at is not None and offer.expires_at <= timezone.now():
        raise ApplicationError(_("该报价已过期，请对方重新报价。"), code="offer_expired")
    if listing.status != ListingStatus.ACTIVE:
        raise ConflictError(
            _("房源当前状态为“%(status)s”，不能预定。") % {"status": listing.get_status_display()}
        )
    now = timezone.now()
    Offer.objects.filter(pk=offer.pk).update(accepted_at=now, accepted_by=by)
    offer.accepted_at, offer.accepted_by = now, by
    locked.accepted_offer = offer
    locked.price = offer.price
    fields = ["accepted_offer", "price"]
    if locked.kind == DealKind.LEASE:
        locked.deposit_months, locked.pay_months = offer.deposit_months, offer.pay_months
        locked.term_months = offer.term_months
        fields += ["deposit_months", "pay_months", "term_months"]
    locked._history_user = by.user  # type: ignore[attr-defined]
    locked.save(update_fields=fields)
    listing_reserve(listing=listing, by=by)
    return locked


# --- the intent agreement (认购书/意向金协议) ----------------------------------------------------

# 民法典 第586条: 定金 may not exceed 20% of the main contract's amount (policy-facts.md, "Earnest money").
EARNEST_LIMIT = Decimal("0.20")


@dataclass(frozen=True)
class IntentTerms:
    kind: str
    amount: Decimal
    holder: str
    sign_by: dt.date
    if_buyer_walks: str
    if_seller_walks: str
    signed_on: dt.date
    receipt_number: str = ""
    receipt_on: dt.date | None = None
    bank: str = ""
    reference: str = ""


def contract_amount(deal: Deal, price: Decimal) -> Decimal:
    """What the main contract is worth at ``price``: a sale's price; a lease's rent over its term
    (one month when the term is not known yet)."""
    if deal.kind == DealKind.LEASE:
        return price * (deal.term_months or 1)
    return price


@transaction.atomic
def intent_record(*, deal: Deal, terms: IntentTerms, by: Agent) -> IntentAgreement:
    """Record the signed intent agreement: the earnest money goes into the deal's ledger with its
    holder, the receipt is kept, and the deal moves to 已签意向."""
    locked = _locked(deal)
    if locked.stage != DealStage.NEGOTIATING or locked.price is None:
        raise ApplicationError(_("先接受报价，再签意向协议。"), code="intent_no_accepted_offer")
    if terms.kind not in EarnestKind.values or terms.holder not in Holder.values:
        raise ApplicationError(_("意向金性质或保管方不正确。"), code="intent_terms_invalid")
    if terms.if_buyer_walks not in BuyerWalks.values or terms.if_seller_walks not in SellerWalks.values:
        raise ApplicationError(_("违约处理方式不正确。"), code="intent_terms_invalid")
    amount = _money(terms.amount, _("金额"))
    if terms.kind == EarnestKind.INTENT and terms.if_seller_walks == SellerWalks.DOUBLE:
        raise ApplicationError(
            _("双倍返还只适用于定金；意向金请选择全额退还，或改为定金。"), code="intent_double_not_earnest"
        )
    limit = to_fen(contract_amount(locked, locked.price) * EARNEST_LIMIT)
    if terms.kind == EarnestKind.EARNEST and amount > limit:
        raise ApplicationError(
            _(
                "定金不得超过主合同标的额的 20%%（%(limit)s），超过部分不产生定金效力（民法典第五百八十六条）。"
            )
            % {"limit": format_money(limit)},
            code="intent_earnest_over_limit",
            extra={"limit": f"{limit:.2f}"},
        )
    if terms.sign_by < terms.signed_on:
        raise ApplicationError(_("签约期限不能早于意向协议签署日期。"), code="intent_deadline_past")
    agreement = IntentAgreement(
        deal=locked,
        kind=terms.kind,
        amount=amount,
        holder=terms.holder,
        sign_by=terms.sign_by,
        if_buyer_walks=terms.if_buyer_walks,
        if_seller_walks=terms.if_seller_walks,
        signed_on=terms.signed_on,
        by=by,
    )
    agreement._history_user = by.user  # type: ignore[attr-defined]
    agreement.save()
    entry = LedgerEntry(
        ledger=locked.ledger,
        holder=terms.holder,
        kind=EntryKind.DEPOSIT,
        purpose=EntryPurpose.EARNEST,
        amount=amount,
        bank=terms.bank.strip()[:60],
        reference=terms.reference.strip()[:60],
        on=terms.signed_on,
        note=str(EarnestKind(terms.kind).label),
        by=by,
    )
    entry._history_user = by.user  # type: ignore[attr-defined]
    entry.save()
    if terms.receipt_number.strip():
        receipt_add(
            deal=locked,
            number=terms.receipt_number,
            on=terms.receipt_on or terms.signed_on,
            amount=amount,
            by=by,
        )
    deal_move(deal=locked, to=DealStage.INTENT, by=by)
    deal.stage = locked.stage
    return agreement


@transaction.atomic
def receipt_add(*, deal: Deal, number: str, on: dt.date, amount: Any, by: Agent) -> Receipt:
    """A receipt (收据) given for money received for the deal; a number is used once per deal."""
    number = number.strip()
    if not number:
        raise ApplicationError(_("请填写收据号。"), code="receipt_number_missing")
    if Receipt.objects.filter(deal=deal, number=number).exists():
        raise ApplicationError(
            _("收据号 %(number)s 已经登记过。") % {"number": number}, code="receipt_number_taken"
        )
    receipt = Receipt(deal=deal, number=number[:40], on=on, amount=_money(amount, _("金额")), by=by)
    receipt._history_user = by.user  # type: ignore[attr-defined]
    receipt.save()
    return receipt


# --- cancelling ------------------------------------------------------------------------------


@transaction.atomic
def deal_cancel(*, deal: Deal, reason: str, by: Agent) -> Deal:
    """已取消 with a reason, from any open stage; a listing this deal reserved goes back on the market."""
    listing = Listing.objects.select_for_update().get(pk=deal.listing_id)
    locked = deal_move(deal=deal, to=DealStage.CANCELLED, by=by, reason=reason)
    if locked.accepted_offer_id is not None and listing.status == ListingStatus.RESERVED:
        listing_reactivate(listing=listing, by=by)
    return locked


def _locked(deal: Deal) -> Deal:
    """The deal's row, locked for this transaction and read again (the caller's copy may be old)."""
    return Deal.objects.select_for_update().get(pk=deal.pk)
