"""/api/v1/deals — deals (交易): open one, trade offers, accept, split the commission, record the
intent agreement and receipts, cancel. The contract endpoints are added beside these."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from anju.clients.selectors import access_client
from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.deals.models import Deal
from anju.deals.schemas import (
    CancelIn,
    CommissionIn,
    DealCreateIn,
    DealDetailOut,
    DealOut,
    IntentIn,
    OfferIn,
    OfferOut,
    ReceiptIn,
    ReceiptOut,
    SplitIn,
    SplitOut,
    StageIn,
)
from anju.deals.selectors import (
    ThreadLine,
    access_deal,
    access_offer,
    deal_commission,
    deal_ledger_entries,
    deal_receipts,
    deal_splits,
    deal_stage_changes,
    deals_visible,
    offer_thread,
    split_agent,
)
from anju.deals.services import (
    IntentTerms,
    OfferTerms,
    deal_cancel,
    deal_create,
    deal_set_commission,
    deal_set_splits,
    intent_record,
    offer_accept,
    offer_make,
    receipt_add,
)
from anju.listings.selectors import access_listing
from anju.needs.selectors import access_need
from anju.org.scoping import agent_of

router = Router(tags=["交易"])


def deal_out(deal: Deal) -> dict[str, Any]:
    return {
        **{f: getattr(deal, f) for f in DealOut.model_fields if hasattr(Deal, f)},
        "listing_id": deal.listing_id,
        "seller_id": deal.seller_id,
        "buyer_id": deal.buyer_id,
        "agent_id": deal.agent_id,
        "accepted_offer_id": deal.accepted_offer_id,
        "stage_label": deal.get_stage_display(),
    }


def offer_out(line: ThreadLine) -> dict[str, Any]:
    offer, gap = line.offer, line.gap
    return {
        **{f: getattr(offer, f) for f in OfferOut.model_fields if hasattr(offer, f)},
        "side_label": offer.get_side_display(),
        "expired": line.expired,
        "gap": gap.amount if gap else None,
        "gap_wan": gap.wan if gap else None,
        "gap_percent": gap.percent if gap else None,
    }


def _splits_out(deal: Deal) -> list[dict[str, Any]]:
    splits = deal_splits(deal)
    commission = deal_commission(deal, splits=splits)
    amounts: list[Decimal | None] = [p.amount for p in commission.parts] or [None] * len(splits)
    return [
        {
            "agent_id": s.agent_id,
            "agent_name": s.agent.name,
            "role": s.role,
            "role_label": s.get_role_display(),
            "percent": s.percent,
            "amount": amount,
        }
        for s, amount in zip(splits, amounts, strict=True)
    ]


def detail_out(deal: Deal) -> dict[str, Any]:
    commission = deal_commission(deal)
    intent = getattr(deal, "intent", None)
    return {
        **deal_out(deal),
        "offers": [offer_out(line) for line in offer_thread(deal)],
        "splits": _splits_out(deal),
        "commission": {
            "rate": commission.rate,
            "payer": commission.payer,
            "company_terms": commission.company_terms,
            "amount": commission.amount,
        },
        "intent": intent,
        "receipts": list(deal_receipts(deal)),
        "ledger": list(deal_ledger_entries(deal)),
        "history": [
            {
                "from_stage": c.from_stage,
                "to_stage": c.to_stage,
                "by": c.by.name,
                "at": c.at,
                "reason": c.reason,
            }
            for c in deal_stage_changes(deal)
        ],
    }


class DealFilters(Schema):
    stage: StageIn | None = None
    listing: int | None = None
    client: int | None = None
    cursor: str | None = None
    limit: int = 50


@router.get("", response={200: CursorPage[DealOut], **ERRORS}, summary="交易列表（可见的交易，最新在前）")
def list_deals(request: HttpRequest, filters: Query[DealFilters]) -> dict:
    qs = deals_visible(agent_of(request.user))
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.listing is not None:
        qs = qs.filter(listing_id=filters.listing)
    if filters.client is not None:
        qs = qs.filter(buyer_id=filters.client) | qs.filter(seller_id=filters.client)
    rows, next_cursor = keyset_page(
        qs, order=["-created_at", "-id"], cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [deal_out(d) for d in rows], "next_cursor": next_cursor}


@router.post("", response={201: DealOut, **ERRORS}, summary="建立交易（从房源和买方/承租方开始，洽谈中）")
def create_deal(request: HttpRequest, payload: DealCreateIn) -> Status[dict]:
    viewer = agent_of(request.user)
    listing = access_listing(viewer, payload.listing_id)
    buyer = access_client(viewer, payload.buyer_id)
    need = access_need(viewer, payload.need_id) if payload.need_id else None
    deal = deal_create(listing=listing, buyer=buyer, kind=payload.kind, need=need, by=viewer)
    return Status(201, deal_out(deal))


@router.get(
    "/{deal_id}",
    response={200: DealDetailOut, **ERRORS},
    summary="交易详情（报价、分佣、佣金、意向金、阶段记录）",
)
def get_deal(request: HttpRequest, deal_id: int) -> dict:
    return detail_out(access_deal(agent_of(request.user), deal_id))


@router.post("/{deal_id}/offers", response={201: OfferOut, **ERRORS}, summary="报价或还价（回应上一次报价）")
def make_offer(request: HttpRequest, deal_id: int, payload: OfferIn) -> Status[dict]:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    data = payload.dict()
    data["payment"] = data["payment"] or ""
    offer = offer_make(deal=deal, terms=OfferTerms(**data), by=viewer)
    return Status(201, offer_out(next(x for x in offer_thread(deal) if x.offer.pk == offer.pk)))


@router.post(
    "/{deal_id}/offers/{offer_id}/accept",
    response={200: DealOut, **ERRORS},
    summary="接受对方最新报价（房源转为已预定；已被其他交易预定时 409）",
)
def accept_offer(request: HttpRequest, deal_id: int, offer_id: int) -> dict:
    viewer = agent_of(request.user)
    offer = access_offer(viewer, deal_id, offer_id)
    return deal_out(offer_accept(offer=offer, by=viewer))


@router.get("/{deal_id}/splits", response={200: list[SplitOut], **ERRORS}, summary="分佣（角色、比例、金额）")
def get_splits(request: HttpRequest, deal_id: int) -> list[dict]:
    return _splits_out(access_deal(agent_of(request.user), deal_id))


@router.put(
    "/{deal_id}/splits", response={200: list[SplitOut], **ERRORS}, summary="修改分佣（比例合计必须正好 100%）"
)
def put_splits(request: HttpRequest, deal_id: int, payload: list[SplitIn]) -> list[dict]:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    lines = [(split_agent(viewer, line.agent_id), line.role, line.percent) for line in payload]
    deal_set_splits(deal=deal, splits=lines, by=viewer)
    return _splits_out(access_deal(viewer, deal_id))


@router.put(
    "/{deal_id}/commission", response={200: DealDetailOut, **ERRORS}, summary="本交易的佣金费率与支付方"
)
def put_commission(request: HttpRequest, deal_id: int, payload: CommissionIn) -> dict:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    deal_set_commission(deal=deal, rate=payload.rate, payer=payload.payer, by=viewer)
    return detail_out(access_deal(viewer, deal_id))


@router.post(
    "/{deal_id}/intent",
    response={201: DealDetailOut, **ERRORS},
    summary="登记意向协议与意向金/定金（交易转为已签意向）",
)
def record_intent(request: HttpRequest, deal_id: int, payload: IntentIn) -> Status[dict]:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    intent_record(deal=deal, terms=IntentTerms(**payload.dict()), by=viewer)
    return Status(201, detail_out(access_deal(viewer, deal_id)))


@router.post("/{deal_id}/receipts", response={201: ReceiptOut, **ERRORS}, summary="登记收据")
def add_receipt(request: HttpRequest, deal_id: int, payload: ReceiptIn) -> Status[Any]:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    return Status(
        201, receipt_add(deal=deal, number=payload.number, on=payload.on, amount=payload.amount, by=viewer)
    )


@router.post("/{deal_id}/cancel", response={200: DealOut, **ERRORS}, summary="取消交易（须填写原因）")
def cancel_deal(request: HttpRequest, deal_id: int, payload: CancelIn) -> dict:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    return deal_out(deal_cancel(deal=deal, reason=payload.reason, by=viewer))


# The contract's endpoints (/{deal_id}/contract, …) live in their own module.
from anju.deals.contracts.api import router as contracts  # noqa: E402

router.add_router("", contracts)
