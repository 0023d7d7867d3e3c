"""The demo agency's deals, made through the deals' services so they are what agents would leave:
offer threads in 洽谈中 (one accepted, its flat reserved), intent agreements in 已签意向 (one past
its signing deadline), cancelled deals with their reasons, and a lease being negotiated."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from anju.clients.models import Client
from anju.deals.services import (
    IntentTerms,
    OfferTerms,
    deal_cancel,
    deal_create,
    deal_set_splits,
    intent_record,
    offer_accept,
    offer_make,
)
from anju.listings.models import Listing, ListingKind, ListingStatus
from anju.matching.models import Match
from anju.org.models import Agent, Company, Role


@dataclass(frozen=True)
class Plan:
    kind: str  # sale or rent
    offers: tuple[tuple[str, float], ...]  # side and the price as a share of the asking price
    accept: bool = False
    sign_in_days: int | None = None  # an intent agreement whose contract is due in so many days
    cancel: str = ""


PLANS: tuple[Plan, ...] = (
    Plan("sale", (("buyer", 0.92), ("seller", 0.98), ("buyer", 0.95))),
    Plan("sale", (("buyer", 0.90), ("seller", 0.97))),
    Plan("sale", (("buyer", 0.94), ("seller", 0.97), ("buyer", 0.96), ("seller", 0.965)), accept=True),
    Plan("sale", (("buyer", 0.93), ("seller", 0.96)), accept=True, sign_in_days=5),
    Plan("sale", (("buyer", 0.95), ("seller", 0.98), ("buyer", 0.97)), accept=True, sign_in_days=12),
    Plan("sale", (("buyer", 0.91), ("seller", 0.95)), accept=True, sign_in_days=-2),
    Plan("sale", (("buyer", 0.85), ("seller", 0.99)), cancel="双方价格差距太大，买方转看其他房源"),
    Plan("sale", (("buyer", 0.95), ("seller", 0.97)), accept=True, cancel="买方贷款资质不足，银行不予放贷"),
    Plan("rent", (("buyer", 0.90), ("seller", 1.0), ("buyer", 0.95))),
)


def _round(amount: Decimal, kind: str) -> Decimal:
    step = Decimal(1000) if kind == ListingKind.SALE else Decimal(50)
    return (amount / step).quantize(Decimal(1)) * step


def demo_deals(*, company: Company, today: dt.date, rng: random.Random) -> int:
    """Make the demo's deals; returns how many."""
    listings: dict[str, list[Listing]] = {
        kind: list(
            Listing.objects.filter(company=company, kind=kind, status=ListingStatus.ACTIVE)
            # Not the listings whose new matches the workbench shows: those stay on the market.
            .exclude(pk__in=Match.objects.filter(company=company).values("listing_id"))
            .select_related("agent")
            .order_by("-listed_on", "-id")[:40]
        )
        for kind in (ListingKind.SALE, ListingKind.RENT)
    }
    specialist = Agent.objects.filter(company=company, role=Role.SPECIALIST).first()
    made = 0
    for plan in PLANS:
        if not listings[plan.kind]:
            continue
        listing = listings[plan.kind].pop(rng.randrange(min(10, len(listings[plan.kind]))))
        agent = listing.agent
        # Chosen by the demo's seeded random numbers, not the database's: the same seed makes the same
        # deals, and client care's tiers and stages, which follow from them.
        buyer = _pick(
            rng, Client.objects.filter(company=company, owner=agent, merged_into__isnull=True)
        ) or _pick(rng, Client.objects.filter(company=company, merged_into__isnull=True))
        if buyer is None:
            break
        deal = deal_create(listing=listing, buyer=buyer, by=agent)
        for side, share in plan.offers:
            price = _round(listing.price * Decimal(str(share)), plan.kind)
            terms = OfferTerms(
                side=side,
                price=price,
                payment="commercial" if plan.kind == ListingKind.SALE else "",
                handover_on=today + dt.timedelta(days=60),
                term_months=12 if plan.kind == ListingKind.RENT else None,
                deposit_months=1 if plan.kind == ListingKind.RENT else None,
                pay_months=3 if plan.kind == ListingKind.RENT else None,
            )
            last = offer_make(deal=deal, terms=terms, by=agent)
        if plan.accept:
            offer_accept(offer=last, by=agent)
        if plan.sign_in_days is not None:
            deal.refresh_from_db()
            assert deal.price is not None  # noqa: S101 — accepted just above
            sign_by = today + dt.timedelta(days=plan.sign_in_days)
            intent = IntentTerms(
                kind="earnest",
                amount=_round(deal.price * Decimal("0.02"), plan.kind),
                holder="agency" if plan.sign_in_days % 2 else "supervised",
                sign_by=sign_by,
                if_buyer_walks="forfeit",
                if_seller_walks="double",
                signed_on=min(today, sign_by) - dt.timedelta(days=7),
                receipt_number=f"SJ{today:%Y%m}{deal.pk:04d}",
            )
            intent_record(deal=deal, terms=intent, by=agent)
            if specialist is not None:
                lines = [(s.agent, s.role, s.percent) for s in deal.splits.select_related("agent")]
                lines = [(specialist if role == "transaction" else a, role, p) for a, role, p in lines]
                deal_set_splits(deal=deal, splits=lines, by=agent)
        if plan.cancel:
            deal_cancel(deal=deal, reason=plan.cancel, by=agent)
        made += 1
    return made


def _pick(rng: random.Random, clients: QuerySet[Client]) -> Client | None:
    """One of the clients, by the seeded random numbers (two queries, whatever their number)."""
    count = clients.count()
    return clients.order_by("pk")[rng.randrange(count)] if count else None
