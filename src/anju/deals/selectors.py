"""Reads for deals (交易): who sees which deal, the offer thread with its gap, the commission and
its split, the intent deadlines for the workbench, and each agent's expected commission by month.

An agent sees the deals they run or share in; a manager or transaction specialist their store's
and those their store's agents share in; an administrator the company's. Across companies a deal
is a 404, within one a 403 with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.clients.selectors import clients_visible
from anju.core.formats import WAN, format_date, format_money, format_rent, format_wan
from anju.deals.commission import LEASE_RATE, Part, Share, commission_amount, split_commission
from anju.deals.contracts.models import Amendment, Contract, TitleCheck
from anju.deals.models import (
    Deal,
    DealKind,
    DealStage,
    EntryKind,
    Holder,
    Offer,
    Payer,
    RoleShare,
    Split,
    SplitRole,
)
from anju.deals.stages import OPEN
from anju.finance.rules import rule_book
from anju.finance.selectors import company_rules_city
from anju.finance.wording import percent
from anju.org.models import Agent, Company, Role

DEAL_RELATED = (
    "listing__property__community",
    "listing__community",
    "listing__district",
    "seller",
    "buyer",
    "agent",
    "store",
)


# The cooperation model's default shares (percent) when the company has not set its own; they add
# up to 100. Listing side 35, client side 55, services 10.
DEFAULT_SHARES: dict[str, Decimal] = {
    SplitRole.ENTRY: Decimal(10),
    SplitRole.MAINTAIN: Decimal(10),
    SplitRole.SURVEY: Decimal(5),
    SplitRole.MANDATE: Decimal(5),
    SplitRole.KEYS: Decimal(5),
    SplitRole.REFERRAL: Decimal(10),
    SplitRole.FIRST_SHOWING: Decimal(10),
    SplitRole.CLOSING: Decimal(35),
    SplitRole.TRANSACTION: Decimal(5),
    SplitRole.FINANCE: Decimal(5),
}


def company_shares(company_id: int) -> dict[str, Decimal]:
    """The company's default share per role (公司设置), or the cooperation model's defaults."""
    rows = dict(RoleShare.objects.filter(company_id=company_id).values_list("role", "percent"))
    if rows and sum(rows.values()) == Decimal(100):
        return {role: percent for role, percent in rows.items() if percent > 0}
    return dict(DEFAULT_SHARES)


def _scope(viewer: Agent) -> Q:
    if viewer.role == Role.ADMIN:
        return Q()
    if viewer.role in (Role.MANAGER, Role.SPECIALIST):
        return Q(store_id=viewer.store_id) | Q(splits__agent__store_id=viewer.store_id)
    return Q(agent_id=viewer.pk) | Q(splits__agent_id=viewer.pk)


def deals_visible(viewer: Agent) -> QuerySet[Deal]:
    """The deals the viewer may see, newest first."""
    ids = Deal.objects.filter(company_id=viewer.company_id).filter(_scope(viewer)).values("pk")
    return Deal.objects.filter(pk__in=ids).select_related(*DEAL_RELATED).order_by("-created_at", "-id")


def access_deal(viewer: Agent, deal_id: int) -> Deal:
    """The deal, 404 when another company's or absent, 403 when the viewer has no part in it."""
    deal = Deal.objects.filter(company_id=viewer.company_id, pk=deal_id).select_related(*DEAL_RELATED).first()
    if deal is None:
        raise Http404(_("没有找到该交易。"))
    if not deals_visible(viewer).filter(pk=deal.pk).exists():
        raise PermissionDenied(_("您不是这笔交易的经纪人，也不是其门店的店长，无权查看。"))
    return deal


def deals_of_listing(viewer: Agent, listing_id: int) -> QuerySet[Deal]:
    return deals_visible(viewer).filter(listing_id=listing_id)


def deals_of_client(viewer: Agent, client_id: int) -> QuerySet[Deal]:
    return deals_visible(viewer).filter(Q(buyer_id=client_id) | Q(seller_id=client_id))


def deal_offers(deal: Deal) -> list[Offer]:
    return list(deal.offers.select_related("by", "accepted_by").order_by("created_at", "id"))


def deal_latest_offer(deal: Deal) -> Offer | None:
    return deal.offers.order_by("-created_at", "-id").first()


def deal_splits(deal: Deal) -> list[Split]:
    return list(deal.splits.select_related("agent").order_by("id"))


def deal_stage_changes(deal: Deal) -> QuerySet:
    return deal.stage_changes.select_related("by").order_by("-at", "-id")


def deal_ledger_entries(deal: Deal) -> QuerySet:
    return deal.ledger.entries.select_related("by").order_by("-on", "-id")


def deal_receipts(deal: Deal) -> QuerySet:
    return deal.receipts.order_by("-on", "-id")


def company_agents(viewer: Agent) -> QuerySet[Agent]:
    """The colleagues a split can name: the company's active staff."""
    return Agent.objects.filter(company_id=viewer.company_id, is_active=True).order_by(
        "store_id", "name", "id"
    )


# --- the offer thread (价格斡旋) ------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """How far apart the two sides are: the seller's latest ask minus the buyer's latest bid."""

    amount: Decimal  # yuan
    wan: Decimal  # 万, one decimal
    percent: Decimal  # of the seller's ask, one decimal


@dataclass(frozen=True)
class ThreadLine:
    offer: Offer
    gap: Gap | None  # after this offer, once both sides have spoken
    expired: bool


def offer_gap(seller_price: Decimal, buyer_price: Decimal) -> Gap:
    amount = seller_price - buyer_price
    return Gap(
        amount=amount,
        wan=(amount / WAN).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        percent=(amount / seller_price * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
    )


def offer_thread(deal: Deal, *, now: dt.datetime | None = None) -> list[ThreadLine]:
    """The offers in order, each with the gap between the sides' latest prices after it."""
    now = now or timezone.now()
    latest: dict[str, Decimal] = {}
    lines = []
    for offer in deal_offers(deal):
        latest[offer.side] = offer.price
        gap = offer_gap(latest["seller"], latest["buyer"]) if len(latest) == 2 else None
        expired = offer.accepted_at is None and offer.expires_at is not None and offer.expires_at <= now
        lines.append(ThreadLine(offer=offer, gap=gap, expired=expired))
    return lines


# --- commission (佣金) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Commission:
    base: Decimal | None  # the price it is computed from (sale: price; lease: monthly rent)
    rate: Decimal
    payer: str
    company_terms: bool  # the rate is the company's default, not the deal's own
    amount: Decimal | None
    parts: list[Part]

    @property
    def payer_label(self) -> str:
        return str(Payer(self.payer).label)

    @property
    def rate_text(self) -> str:
        """2%, 1.5%; a lease's one month's rent as 100%."""
        return percent(self.rate)


def company_commission_terms(company: Company, kind: str, on: dt.date) -> tuple[Decimal, str]:
    """The company's default rate and payer: the finance rule book's commission item for a sale,
    one month's rent split between the sides for a lease."""
    if kind == DealKind.LEASE:
        return LEASE_RATE, Payer.SPLIT
    rule = rule_book().in_force("commission", city=company_rules_city(company), on=on)
    return rule.rate("default_rate"), rule.text("default_payer")


def deal_commission(deal: Deal, *, splits: list[Split] | None = None) -> Commission:
    """The deal's commission from its agreed (or contract) price and its or the company's terms,
    split to its agents to the fen."""
    rate, payer = company_commission_terms(deal.company, deal.kind, timezone.localdate())
    own = deal.commission_rate is not None
    if own:
        rate = deal.commission_rate  # type: ignore[assignment]
    payer = deal.commission_payer or payer
    rows = deal_splits(deal) if splits is None else splits
    amount = None if deal.price is None else commission_amount(deal.price, rate)
    shares = [Share(agent_id=s.agent_id, role=s.role, percent=s.percent) for s in rows]
    parts = split_commission(amount, shares) if amount is not None and shares else []
    return Commission(
        base=deal.price, rate=rate, payer=payer, company_terms=not own, amount=amount, parts=parts
    )


# --- the intent deadline (workbench) and the commission forecast ---------------------------------


def intent_deadlines(agent: Agent, *, until: dt.date) -> QuerySet[Deal]:
    """Deals in 已签意向 the agent runs or shares in whose contract must be signed by ``until``, with
    what the workbench shows of them (the community, the buyer, the deadline) and no more: on
    PostgreSQL at the 1M demo, planning the join of every relation of a deal took 4 ms of a query
    that then ran in 0.4."""
    return (
        deals_visible(agent)
        .filter(stage=DealStage.INTENT, intent__sign_by__lte=until)
        .filter(Q(agent_id=agent.pk) | Q(pk__in=Split.objects.filter(agent_id=agent.pk).values("deal_id")))
        .select_related(None)
        .select_related("intent", "listing__community", "buyer")
        .order_by("intent__sign_by", "id")
    )


def deals_by_stage(viewer: Agent) -> dict[str, int]:
    rows = deals_visible(viewer).order_by().values("stage").annotate(n=Count("pk"))
    return {row["stage"]: row["n"] for row in rows}


@dataclass(frozen=True)
class ExpectedRow:
    agent: Agent
    months: dict[str, Decimal]  # "2026-12" → yuan
    total: Decimal
    cells: tuple[Decimal | None, ...] = ()  # one per month of the table, in its order


def expected_month(deal: Deal) -> dt.date | None:
    """The month a deal's commission is expected: when it was signed, else the intent's deadline."""
    signed = next((c.at for c in deal.stage_changes.all() if c.to_stage == DealStage.CONTRACT), None)
    if signed is not None:
        return timezone.localtime(signed).date().replace(day=1)
    intent = getattr(deal, "intent", None)
    if intent is not None:
        return intent.sign_by.replace(day=1)
    return None


def expected_commission(viewer: Agent) -> tuple[list[str], list[ExpectedRow]]:
    """Each agent's expected commission by month over the deals the viewer sees that have a price
    and are past negotiation (not cancelled): months in order, agents by total, largest first."""
    deals = (
        deals_visible(viewer)
        .filter(stage__in=[*OPEN, DealStage.CLOSED], price__isnull=False)
        .exclude(stage=DealStage.NEGOTIATING)
        .select_related("company", "intent")
        .prefetch_related("splits__agent", "stage_changes")
    )
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    agents: dict[int, Agent] = {}
    for deal in deals:
        month = expected_month(deal)
        if month is None:
            continue
        splits = list(deal.splits.all())
        for split in splits:
            agents[split.agent_id] = split.agent
        for part in deal_commission(deal, splits=splits).parts:
            sums[part.share.agent_id][f"{month:%Y-%m}"] += part.amount
    months = sorted({m for per in sums.values() for m in per})
    rows = [
        ExpectedRow(
            agent=agents[a],
            months=dict(per),
            total=sum(per.values(), Decimal(0)),
            cells=tuple(per.get(m) for m in months),
        )
        for a, per in sums.items()
    ]
    rows.sort(key=lambda r: (-r.total, r.agent.pk))
    return months, rows


def access_offer(viewer: Agent, deal_id: int, offer_id: int) -> Offer:
    deal = access_deal(viewer, deal_id)
    offer = deal.offers.filter(pk=offer_id).first()
    if offer is None:
        raise Http404(_("没有找到该报价。"))
    offer.deal = deal
    return offer


def split_agent(viewer: Agent, agent_id: int) -> Agent:
    """A colleague named in a split: 404 unless an active agent of the viewer's company."""
    agent = company_agents(viewer).filter(pk=agent_id).first()
    if agent is None:
        raise Http404(_("没有找到该员工。"))
    return agent


# --- what the pages show -----------------------------------------------------------------------


def buyer_choices(viewer: Agent, *, limit: int = 200) -> list[Client]:
    """Clients a deal can be opened for: the viewer's own first, then the rest they see, newest first."""
    mine_first = Case(When(owner_id=viewer.pk, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(clients_visible(viewer).order_by(mine_first, "-created_at", "-id")[:limit])


def deals_list(viewer: Agent, *, stage: str = "", limit: int = 100) -> list[Deal]:
    qs = deals_visible(viewer)
    if stage:
        qs = qs.filter(stage=stage)
    return list(qs[:limit])


def deals_for_listing(viewer: Agent, listing_id: int) -> list[Deal]:
    return list(deals_of_listing(viewer, listing_id))


def deals_for_client(viewer: Agent, client_id: int) -> list[Deal]:
    return list(deals_of_client(viewer, client_id))


@dataclass(frozen=True)
class StoryLine:
    """One thing that happened in a deal, for the page's story (newest first)."""

    at: dt.datetime
    kind: str  # stage, offer, accept, money, receipt, contract, title_check, signed, amendment
    title: str
    detail: str = ""


def _price_text(deal: Deal, amount: Decimal) -> str:
    return format_wan(amount) if deal.kind == DealKind.SALE else format_rent(amount)


def _contract_story(deal: Deal) -> list[StoryLine]:
    """The contract's events (generated, title re-checked, signed, amendments) in one query."""

    def events(qs: QuerySet, kind: str, at: str, by: str, note: str, sequence: str | None = None) -> QuerySet:
        return (
            qs.order_by()
            .annotate(
                event=Value(kind, output_field=CharField()),
                event_at=F(at),
                event_by=Coalesce(F(by), Value(""), output_field=CharField()),
                event_note=F(note),
                event_mortgaged=F("mortgaged") if kind == "title_check" else Value(False),
                event_seized=F("seized") if kind == "title_check" else Value(False),
                event_sequence=F(sequence) if sequence else Value(0),
            )
            .values_list(
                "event",
                "event_at",
                "event_by",
                "event_note",
                "event_mortgaged",
                "event_seized",
                "event_sequence",
            )
        )

    contracts = Contract.objects.filter(deal=deal)
    rows = events(
        contracts.filter(generated_at__isnull=False),
        "contract",
        "generated_at",
        "generated_by__name",
        "number",
    ).union(
        events(contracts.filter(signed_at__isnull=False), "signed", "signed_at", "signed_by__name", "number"),
        events(TitleCheck.objects.filter(deal=deal), "title_check", "at", "by__name", "note"),
        events(
            Amendment.objects.filter(contract__deal=deal), "amendment", "at", "by__name", "text", "sequence"
        ),
        all=True,
    )
    lines = []
    for kind, at, by, note, mortgaged, seized, sequence in rows:
        if kind == "contract":
            title, detail = _("生成合同 %(number)s") % {"number": note}, by
        elif kind == "signed":
            title, detail = _("合同 %(number)s 已签约") % {"number": note}, by
        elif kind == "title_check":
            flags = [label for flag, label in ((mortgaged, _("有抵押")), (seized, _("被查封"))) if flag]
            title = _("产权复核：%(result)s") % {"result": "、".join(flags) if flags else _("无抵押、未查封")}
            detail = by + (f" · {note}" if note else "")
        else:
            title, detail = _("补充协议第 %(n)s 号") % {"n": sequence}, by
        lines.append(StoryLine(at=at, kind=kind, title=title, detail=detail))
    return lines


def deal_story(deal: Deal) -> list[StoryLine]:
    """Stage moves, offers, money, receipts and the contract's events in one list, newest first."""
    lines: list[StoryLine] = []
    for change in deal.stage_changes.select_related("by"):
        detail = change.by.name + (f" · {change.reason}" if change.reason else "")
        lines.append(
            StoryLine(at=change.at, kind="stage", title=str(DealStage(change.to_stage).label), detail=detail)
        )
    for offer in deal.offers.select_related("by", "accepted_by"):
        who = _("买方出价") if offer.side == "buyer" else _("卖方报价")
        lines.append(
            StoryLine(
                at=offer.created_at,
                kind="offer",
                title=f"{who} {_price_text(deal, offer.price)}",
                detail=offer.by.name,
            )
        )
        if offer.accepted_at is not None:
            lines.append(
                StoryLine(
                    at=offer.accepted_at,
                    kind="accept",
                    title=_("接受报价 %(price)s，房源已预定") % {"price": _price_text(deal, offer.price)},
                    detail=offer.accepted_by.name if offer.accepted_by else "",
                )
            )
    for entry in deal.ledger.entries.select_related("by"):
        title = f"{EntryKind(entry.kind).label} {format_money(entry.amount)} · {Holder(entry.holder).label}"
        lines.append(StoryLine(at=entry.created_at, kind="money", title=title, detail=entry.note))
    for receipt in deal.receipts.all():
        title = _("收据 %(number)s · %(amount)s") % {
            "number": receipt.number,
            "amount": format_money(receipt.amount),
        }
        lines.append(
            StoryLine(at=receipt.created_at, kind="receipt", title=title, detail=format_date(receipt.on))
        )
    lines.extend(_contract_story(deal))
    order = {
        "stage": 0,
        "signed": 1,
        "amendment": 2,
        "receipt": 3,
        "money": 4,
        "title_check": 5,
        "contract": 6,
        "accept": 7,
        "offer": 8,
    }
    lines.sort(key=lambda line: (line.at, -order[line.kind]), reverse=True)
    return lines
