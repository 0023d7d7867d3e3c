"""The demo agency's contracts, made through the contract services as agents would: deals taken
from an accepted offer and a recorded 定金 to a generated contract; most re-checked and signed (one
with a 补充协议, one lease), one generated and waiting for its title re-check."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from PIL import Image, ImageDraw

from anju.clients.models import Client
from anju.deals.contracts.models import Amendment, Contract, TitleCheck
from anju.deals.contracts.services import (
    amendment_record,
    contract_generate,
    contract_sign,
    title_check_record,
)
from anju.deals.models import Deal
from anju.deals.services import IntentTerms, OfferTerms, deal_create, intent_record, offer_accept, offer_make
from anju.listings.models import Listing, ListingKind, ListingStatus
from anju.org.models import Company

BREACH = (
    "任何一方逾期履行付款、交房或过户义务的，每逾期一日按成交价的万分之五向对方支付违约金；"
    "逾期超过三十日的，守约方有权解除合同，违约方按成交价的20%支付违约金。"
)


@dataclass(frozen=True)
class ContractPlan:
    kind: str  # sale or rent
    sign: bool = True
    amend: bool = False
    recheck_days_ago: int = 0  # how long ago the title was re-checked


CONTRACT_PLANS: tuple[ContractPlan, ...] = (
    ContractPlan("sale"),
    ContractPlan("sale", amend=True),
    ContractPlan("sale"),
    ContractPlan("sale", sign=False, recheck_days_ago=9),
    ContractPlan("rent"),
)


def signed_scan_pdf(number: str) -> bytes:
    """A one-page PDF standing in for the scan of the signed paper contract."""
    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((40, 40, 555, 802), outline="black", width=2)
    draw.text((60, 60), f"DEMO SIGNED CONTRACT {number}", fill="black")
    out = io.BytesIO()
    page.save(out, format="PDF")
    return out.getvalue()


def demo_contracts(*, company: Company, today: dt.date, rng: random.Random) -> int:
    """Make the demo's contracts on deals of their own; returns how many."""
    made = 0
    for plan in CONTRACT_PLANS:
        listing = (
            Listing.objects.filter(
                company=company, kind=plan.kind, status=ListingStatus.ACTIVE, deals__isnull=True
            )
            .select_related("agent", "property")
            .order_by("-listed_on", "-id")[rng.randrange(0, 5) :]
            .first()
        )
        if listing is None:
            continue
        agent = listing.agent
        buyer = (
            Client.objects.filter(company=company, merged_into__isnull=True)
            .exclude(pk=listing.seller_id or 0)
            .order_by("-id")[rng.randrange(0, 5) :]
            .first()
        )
        if buyer is None:
            break
        deal = _agreed(listing=listing, buyer=buyer, today=today, rng=rng)
        sale = plan.kind == ListingKind.SALE
        terms = {
            "certificate_number": f"鄂(20{rng.randrange(10, 25)})武汉市不动产权第{rng.randrange(10**6, 10**7):07d}号",
            "payment_schedule": (
                "签约当日买方支付首付款（成交价的30%）至资金监管账户，余款以商业贷款支付，放款后解冻给卖方。"
                if sale
                else "每三个月支付一次租金，于每期开始前五日内支付；押金于签约时支付。"
            ),
            "breach_liability": BREACH,
        }
        contract = contract_generate(deal=deal, by=agent, terms=terms)
        title_check_record(
            deal=deal,
            by=agent,
            certificate_number=contract.certificate_number,
            area=contract.area,
            mortgaged=listing.property.mortgaged,
            seized=False,
            note="不动产登记中心窗口查询",
            at=timezone.now() - dt.timedelta(days=plan.recheck_days_ago),
        )
        if plan.sign:
            contract_sign(deal=deal, by=agent, scan=io.BytesIO(signed_scan_pdf(contract.number)))
            if plan.amend and contract.handover_on is not None:
                amendment_record(
                    contract=contract,
                    by=agent,
                    changes={"handover_on": (contract.handover_on + dt.timedelta(days=30)).isoformat()},
                    text="因卖方新房装修延期，双方同意交房日期顺延三十日，其余条款不变。",
                    signed_on=today,
                )
        made += 1
    return made


def _agreed(*, listing: Listing, buyer: Client, today: dt.date, rng: random.Random) -> Deal:
    """A deal whose buyer accepted the seller's counter-offer and paid the 定金 (sales)."""
    agent = listing.agent
    sale = listing.kind == ListingKind.SALE
    step = Decimal(1000) if sale else Decimal(50)
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    last = None
    for side, share in (("buyer", Decimal("0.94")), ("seller", Decimal("0.97"))):
        price = (listing.price * share / step).quantize(Decimal(1)) * step
        terms = OfferTerms(
            side=side,
            price=price,
            payment="commercial" if sale else "",
            handover_on=today + dt.timedelta(days=rng.randrange(30, 90)),
            term_months=None if sale else 12,
            deposit_months=None if sale else 1,
            pay_months=None if sale else 3,
        )
        last = offer_make(deal=deal, terms=terms, by=agent)
    assert last is not None  # noqa: S101 — two offers made just above
    offer_accept(offer=last, by=agent)
    deal.refresh_from_db()
    if sale and deal.price is not None:
        intent = IntentTerms(
            kind="earnest",
            amount=(deal.price * Decimal("0.02") / step).quantize(Decimal(1)) * step,
            holder="supervised",
            sign_by=today + dt.timedelta(days=7),
            if_buyer_walks="forfeit",
            if_seller_walks="double",
            signed_on=today - dt.timedelta(days=3),
            receipt_number=f"SJ{today:%Y%m}{deal.pk:04d}",
        )
        intent_record(deal=deal, terms=intent, by=agent)
    return deal


def wipe_contracts(company: Company) -> None:
    """Before the deals go: the contracts point at them (and are protected), their files with them."""
    contracts = list(Contract.objects.filter(deal__company=company))
    files = [(f.storage, str(f.name)) for c in contracts for f in (c.document, c.signed_scan) if f]
    ids = [c.pk for c in contracts]
    Amendment.objects.filter(contract_id__in=ids).delete()
    Amendment.history.model.objects.filter(contract_id__in=ids).delete()
    Contract.objects.filter(pk__in=ids).delete()
    Contract.history.model.objects.filter(id__in=ids).delete()
    TitleCheck.objects.filter(deal__company=company).delete()
    for storage, name in files:
        storage.delete(name)
