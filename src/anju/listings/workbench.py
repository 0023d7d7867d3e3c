"""The listings' part of the workbench: 最新挂牌 (the company's newest active listings, the stale
ones marked 待核实, those whose address is to be completed 地址待补全) and the agent's active count. Registered in ``ListingsConfig.ready``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core import workbench
from anju.core.formats import format_area, format_date, format_money, format_wan
from anju.core.workbench import ContributorResult, Figure, Urgency, WorkItem
from anju.listings.models import Listing, ListingKind
from anju.listings.selectors import listings_for_day
from anju.org.models import Agent


def listing_price(listing: Listing) -> str:
    if listing.kind == ListingKind.SALE:
        return format_wan(listing.price)
    return f"{format_money(listing.price)}/{_('月')}"


def _recent(listing: Listing) -> WorkItem:
    return WorkItem(
        source="listings",
        kind="listing_recent",
        key=f"listing:{listing.pk}",
        title=listing.community.name,
        detail=" · ".join(
            [
                listing.district.name,
                listing.property.layout,
                format_area(listing.area),
                format_date(listing.listed_on),
            ]
        ),
        note=listing_price(listing),
        badge=(
            _("地址待补全")
            if not listing.property.address_complete
            else _("待核实")
            if listing.is_stale  # type: ignore[attr-defined]
            else ""
        ),
        url=reverse("web:listing_detail", args=[listing.pk]),
        urgency=Urgency.INFO,
        at=listing.listed_on,
        obj=listing,
    )


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    """News to read: nothing to tick off."""
    found = listings_for_day(agent)
    # A fresh listing turns 待核实 by the clock alone, when its verification grows too old.
    turns_stale = [
        listing.verified_at + dt.timedelta(days=agent.company.listing_fresh_days)
        for listing in found.recent
        if listing.verified_at is not None and not listing.is_stale  # type: ignore[attr-defined]
    ]
    return ContributorResult(
        items=[_recent(listing) for listing in found.recent],
        valid_until=min(turns_stale, default=None),
        figures=[
            Figure(
                "my_listings",
                gettext_lazy("我的在售/在租房源"),
                found.my_active,
                reverse("web:listings"),
                order=40,
            )
        ],
    )


def register() -> None:
    workbench.register(
        "listings",
        contribute,
        order=60,
        heading=gettext_lazy("最新挂牌"),
        empty_text=gettext_lazy("暂无房源。"),
        template="web/workbench/_listings.html",
    )
