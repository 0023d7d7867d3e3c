"""The showing report for a listing's seller (带看反馈报告): how often the home was shown, to how many
clients, how interested they were, what put them off, and what they thought of the price.

The listing's agent reads it and sends it to the seller (a printable page now, messaging later); it
holds no client's name or phone, only counts and the tags clients chose. ``summarise`` is pure (rows
in, figures out) so the arithmetic is tested without a database; ``showing_report`` reads the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from anju.core.formats import to_fen
from anju.listings.models import Listing
from anju.showings.models import (
    ListingShare,
    OpenDay,
    OpenDayStatus,
    Outcome,
    PriceOpinion,
    ShowingStatus,
    StopFeedback,
)

WEEKS = 12  # the chart covers this many weeks, the current one last
TOP_TAGS = 5


@dataclass(frozen=True)
class Week:
    starts_on: dt.date  # a Monday
    showings: int
    clients: int


@dataclass(frozen=True)
class TagCount:
    tag: str
    count: int


@dataclass(frozen=True)
class Offers:
    """The clients' own price figures (心理价), next to the asking price."""

    count: int
    average: Decimal | None
    low: Decimal | None
    high: Decimal | None

    def gap_percent(self, asking: Decimal) -> Decimal | None:
        """How far the average offer is below (negative) or above the asking price, in percent."""
        if self.average is None or not asking:
            return None
        return ((self.average - asking) / asking * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    weeks: list[Week]
    showings: int  # stops where the client saw the home
    clients: int  # distinct clients among them
    no_shows: int
    average_interest: Decimal | None  # 1–5, one decimal
    rated: int  # showings with an interest given
    objections: list[TagCount]  # disliked aspects, most common first
    liked: list[TagCount]
    opinions: dict[str, int]  # 偏高/合适/偏低 → how many clients said so
    offers: Offers


@dataclass(frozen=True)
class ShowingReport:
    listing: Listing
    today: dt.date
    figures: Figures
    planned: int  # stops still ahead, not yet recorded
    shares: int  # agents who forwarded its share link
    open_days: int  # scheduled open days
    open_day_signups: int  # clients signed up for them (cancellations left out)

    @property
    def asking_price(self) -> Decimal:
        return self.listing.price

    @property
    def offer_gap_percent(self) -> Decimal | None:
        return self.figures.offers.gap_percent(self.listing.price)


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _tags(rows: Iterable[Mapping[str, Any]], key: str) -> list[TagCount]:
    counts: Counter[str] = Counter(tag for row in rows for tag in (row[key] or []) if isinstance(tag, str))
    # Most common first; a tie keeps the order the tags were first seen, so the answer is stable.
    return [TagCount(tag, n) for tag, n in counts.most_common(TOP_TAGS)]


def summarise(rows: Sequence[Mapping[str, Any]], *, today: dt.date, weeks: int = WEEKS) -> Figures:
    """Figures from feedback rows: ``outcome``, ``interest``, ``liked``, ``disliked``,
    ``price_opinion``, ``price_offer``, ``client_id`` and ``day`` (the local date of the visit)."""
    shown = [r for r in rows if r["outcome"] == Outcome.SHOWN]
    first_week = week_start(today) - dt.timedelta(weeks=weeks - 1)
    per_week: dict[dt.date, list[Mapping[str, Any]]] = {}
    for row in shown:
        per_week.setdefault(week_start(row["day"]), []).append(row)
    series = [
        Week(
            starts_on=monday,
            showings=len(per_week.get(monday, [])),
            clients=len({r["client_id"] for r in per_week.get(monday, [])}),
        )
        for monday in (first_week + dt.timedelta(weeks=n) for n in range(weeks))
    ]
    interests = [r["interest"] for r in shown if r["interest"] is not None]
    offers = sorted(Decimal(r["price_offer"]) for r in shown if r["price_offer"] is not None)
    opinions = Counter(r["price_opinion"] for r in shown if r["price_opinion"])
    return Figures(
        weeks=series,
        showings=len(shown),
        clients=len({r["client_id"] for r in shown}),
        no_shows=sum(1 for r in rows if r["outcome"] == Outcome.NO_SHOW),
        average_interest=(
            (Decimal(sum(interests)) / len(interests)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if interests
            else None
        ),
        rated=len(interests),
        objections=_tags(shown, "disliked"),
        liked=_tags(shown, "liked"),
        opinions={value: opinions.get(value, 0) for value in PriceOpinion.values},
        offers=Offers(
            count=len(offers),
            average=to_fen(sum(offers, Decimal(0)) / len(offers)) if offers else None,
            low=offers[0] if offers else None,
            high=offers[-1] if offers else None,
        ),
    )


def showing_report(listing: Listing, *, now: dt.datetime | None = None) -> ShowingReport:
    """The report of one listing (the caller has checked the viewer may read it: ``access_listing_for_change``)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = [
        {**row, "day": timezone.localtime(row["arrive_at"]).date()}
        for row in StopFeedback.objects.filter(stop__listing=listing).values(
            "outcome",
            "interest",
            "liked",
            "disliked",
            "price_opinion",
            "price_offer",
            arrive_at=F("stop__arrive_at"),
            client_id=F("stop__showing__client_id"),
        )
    ]
    planned = listing.showing_stops.filter(
        showing__status=ShowingStatus.PLANNED, feedback__isnull=True, arrive_at__gte=now
    ).count()
    open_days = OpenDay.objects.filter(listing=listing, status=OpenDayStatus.SCHEDULED).aggregate(
        days=Count("id", distinct=True),
        signups=Count("signups", filter=Q(signups__cancelled_at__isnull=True)),
    )
    return ShowingReport(
        listing=listing,
        today=today,
        figures=summarise(rows, today=today),
        planned=planned,
        shares=ListingShare.objects.filter(listing=listing).count(),
        open_days=open_days["days"],
        open_day_signups=open_days["signups"],
    )
