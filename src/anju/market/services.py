"""``market_refresh``: rebuild a company's monthly market figures from its listings, set-based.

How a listing moves through the months (all in local time, Asia/Shanghai):

- it enters the market in the month of ``listed_on`` at its first asking price (the current price
  less every change since);
- each price change moves the asking price from the month it was made; a cut (新价低于原价) is
  counted with its size as a share of the old price;
- it leaves the market when it is sold, rented or withdrawn: at the first status change into its
  current status after it was last on the market (from ``Listing.history``), or at ``updated_at``
  for a listing written without history (the demo and imports write rows in bulk). Its days on the
  market are counted from ``listed_on`` to that day.

A listing withdrawn and later put back counts as on the market the whole time: the history would
allow the gap to be cut out, but agents read a withdrawal of a few weeks as the same listing.

Three GROUP BY queries give each community's entries, exits and price changes per month; the
month-end inventory and asking-price sums are running totals of those flows, taken in Python over
the grouped rows (a few per community and month, never per listing), then summed up into business
areas, districts and the city. The company's rows are replaced in one transaction, so readers see
either the old figures or the new ones.
"""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import F, Model
from django.utils import timezone

from anju.core.formats import FEN
from anju.geo.models import Community
from anju.listings import status as listing_status
from anju.listings.models import Listing, PriceChange
from anju.market.models import MarketMonth, MarketRefresh, Scope, Source
from anju.org.models import Company

# Figures are kept for this many months back (the current month included); older flows still
# count towards the month-end inventory through the running totals.
MONTHS_KEPT = 36
# The status codes as the raw SQL below writes them, from the listings' own status rules.
IN_PLAY = tuple(status.value for status in listing_status.IN_PLAY)
CLOSED = tuple(status.value for status in listing_status.FINAL)
BEFORE = "0000-00"  # the bucket of every flow older than the kept months
BATCH = 2000
RATIO = Decimal("0.000001")

Progress = Callable[[str], None]
# The steps a refresh reports to ``progress``, in order.
REFRESH_STEPS = ("房源在市区间", "按月汇总", "汇总到板块、区县和全市", "写入", "完成")


@dataclass
class Figures:
    """One place, kind and month: the additive numbers a ``MarketMonth`` row holds."""

    inventory: int = 0
    new_listings: int = 0
    left: int = 0
    closed: int = 0
    price_sum: Decimal = Decimal(0)
    area_sum: Decimal = Decimal(0)
    cuts: int = 0
    cut_ratio_sum: Decimal = Decimal(0)
    days_on_market_sum: int = 0

    def add(self, other: Figures) -> None:
        for f in FIGURE_FIELDS:
            setattr(self, f, getattr(self, f) + getattr(other, f))

    def rounded(self) -> dict[str, int | Decimal]:
        """The numbers as the columns hold them (sums read from SQLite come as floats)."""
        values: dict[str, int | Decimal] = {f: getattr(self, f) for f in FIGURE_FIELDS}
        values["price_sum"] = self.price_sum.quantize(FEN)
        values["area_sum"] = self.area_sum.quantize(FEN)
        values["cut_ratio_sum"] = self.cut_ratio_sum.quantize(RATIO)
        return values

    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in FIGURE_FIELDS)


FIGURE_FIELDS = tuple(f.name for f in fields(Figures))


@dataclass
class _Flows:
    """What happened to one community's listings of one kind in one month."""

    entered: int = 0
    entered_price: Decimal = Decimal(0)
    entered_area: Decimal = Decimal(0)
    left: int = 0
    closed: int = 0
    left_price: Decimal = Decimal(0)
    left_area: Decimal = Decimal(0)
    days: int = 0
    cuts: int = 0
    cut_ratio: Decimal = Decimal(0)
    price_moved: Decimal = Decimal(0)  # the sum of price changes while on the market


# --- month arithmetic ----------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    month = month_start(first)
    while month <= last:
        yield month
        month = add_months(month, 1)


def _key(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


# --- SQL that differs between SQLite and PostgreSQL ----------------------------------------


class _Dialect:
    """Local dates and months of stored times, for the connection's database."""

    def __init__(self) -> None:
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.postgres = connection.vendor == "postgresql"
        # SQLite keeps UTC text; Asia/Shanghai has had no daylight saving since 1991, so one offset
        # converts every stored time. PostgreSQL converts with the zone's own rules.
        offset = zone.utcoffset(dt.datetime.now()) or dt.timedelta(0)  # noqa: DTZ005
        self.minutes = int(offset.total_seconds() // 60)
        self.zone = settings.TIME_ZONE.replace("'", "")

    def local_date(self, column: str) -> str:
        if self.postgres:
            return f"CAST(({column} AT TIME ZONE '{self.zone}') AS date)"
        return f"date({column}, '{self.minutes:+d} minutes')"

    def month_of(self, date_sql: str) -> str:
        if self.postgres:
            return f"to_char({date_sql}, 'YYYY-MM')"
        return f"substr({date_sql}, 1, 7)"

    def days_between(self, later: str, earlier: str) -> str:
        if self.postgres:
            return f"({later} - {earlier})"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.postgres else f"MAX({a}, {b})"


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)  # fixed status codes, never user input


# SQLite stores whole-yuan decimals as integers: "* 1.0" keeps a division from truncating.
SPANS = "market_spans"
CHANGES = "market_changes"


def _create_spans(cursor: CursorWrapper, company_id: int, d: _Dialect) -> None:
    """One row per listing of the company: where, when it entered and when it left the market."""
    listing, history = _table(Listing), _table(Listing.history.model)
    left_date = d.local_date("left_at")
    sql = f"""
        CREATE TEMPORARY TABLE {SPANS} AS
        WITH live AS (
            SELECT h.id AS listing_id, MAX(h.history_date) AS at FROM {history} h
            WHERE h.company_id = %s AND h.status IN ({_in(IN_PLAY)}) GROUP BY h.id
        ), exits AS (
            SELECT h.id AS listing_id, MIN(h.history_date) AS at
            FROM {history} h JOIN live ON live.listing_id = h.id
            WHERE h.company_id = %s AND h.status NOT IN ({_in(IN_PLAY)}) AND h.history_date > live.at
            GROUP BY h.id
        ), base AS (
            SELECT l.id AS listing_id, l.community_id, l.kind, l.price, l.area, l.listed_on,
                   CASE WHEN l.status IN ({_in(IN_PLAY)}) THEN NULL
                        ELSE COALESCE(exits.at, l.updated_at) END AS left_at,
                   CASE WHEN l.status IN ({_in(CLOSED)}) THEN 1 ELSE 0 END AS closed
            FROM {listing} l LEFT JOIN exits ON exits.listing_id = l.id
            WHERE l.company_id = %s
        )
        SELECT base.*, {d.month_of("listed_on")} AS entry_month,
               CASE WHEN left_at IS NULL THEN NULL
                    ELSE {d.month_of(d.greatest(left_date, "listed_on"))} END AS left_month,
               CASE WHEN left_at IS NULL THEN 0
                    ELSE {d.greatest(d.days_between(left_date, "listed_on"), "0")} END AS days
        FROM base
    """  # noqa: S608
    cursor.execute(sql, [company_id, company_id, company_id])
    cursor.execute(f"CREATE INDEX {SPANS}_listing ON {SPANS} (listing_id)")


def _create_changes(cursor: CursorWrapper, d: _Dialect) -> None:
    """The company's price changes, with whether the listing was still on the market then."""
    sql = f"""
        CREATE TEMPORARY TABLE {CHANGES} AS
        SELECT pc.listing_id, s.community_id, s.kind, pc.old_price, pc.new_price,
               {d.month_of(d.local_date("pc.at"))} AS month,
               CASE WHEN s.left_at IS NULL OR pc.at < s.left_at THEN 1 ELSE 0 END AS live
        FROM {_table(PriceChange)} pc JOIN {SPANS} s ON s.listing_id = pc.listing_id
    """  # noqa: S608
    cursor.execute(sql)
    cursor.execute(f"CREATE INDEX {CHANGES}_listing ON {CHANGES} (listing_id)")


def _dec(value: object) -> Decimal:
    """A sum as the database returns it (SQLite: a float) as a Decimal without binary noise."""
    return Decimal(0) if value is None else Decimal(str(value))


def _read_flows(cursor: CursorWrapper, window_start: str) -> dict[tuple[int, str], dict[str, _Flows]]:
    flows: dict[tuple[int, str], dict[str, _Flows]] = defaultdict(lambda: defaultdict(_Flows))

    def bucket(month: str) -> str:
        return BEFORE if month < window_start else month

    execute, fetch = cursor.execute, cursor.fetchall
    # Entries, at the first asking price: today's price less every change made since.
    execute(f"""
        SELECT s.community_id, s.kind, s.entry_month, COUNT(*), SUM(s.price - COALESCE(c.moved, 0)), SUM(s.area)
        FROM {SPANS} s LEFT JOIN (
            SELECT listing_id, SUM(new_price - old_price) AS moved FROM {CHANGES} GROUP BY listing_id
        ) c ON c.listing_id = s.listing_id
        GROUP BY s.community_id, s.kind, s.entry_month
    """)  # noqa: S608
    for community, kind, month, count, price, area in fetch():
        f = flows[(community, kind)][bucket(month)]
        f.entered += count
        f.entered_price += _dec(price)
        f.entered_area += _dec(area)
    # Exits, at the price asked when the listing left (changes made after it left undone).
    execute(f"""
        SELECT s.community_id, s.kind, s.left_month, COUNT(*), SUM(s.closed),
               SUM(s.price - COALESCE(c.moved, 0)), SUM(s.area), SUM(s.days)
        FROM {SPANS} s LEFT JOIN (
            SELECT listing_id, SUM(new_price - old_price) AS moved FROM {CHANGES} WHERE live = 0
            GROUP BY listing_id
        ) c ON c.listing_id = s.listing_id
        WHERE s.left_at IS NOT NULL
        GROUP BY s.community_id, s.kind, s.left_month
    """)  # noqa: S608
    for community, kind, month, count, closed, price, area, days in fetch():
        f = flows[(community, kind)][bucket(month)]
        f.left += count
        f.closed += int(closed)
        f.left_price += _dec(price)
        f.left_area += _dec(area)
        f.days += int(days)
    execute(f"""
        SELECT community_id, kind, month,
               SUM(CASE WHEN new_price < old_price THEN 1 ELSE 0 END),
               SUM(CASE WHEN new_price < old_price THEN (old_price - new_price) * 1.0 / old_price ELSE 0 END),
               SUM(CASE WHEN live = 1 THEN new_price - old_price ELSE 0 END)
        FROM {CHANGES} GROUP BY community_id, kind, month
    """)  # noqa: S608
    for community, kind, month, cuts, ratio, moved in fetch():
        f = flows[(community, kind)][bucket(month)]
        f.cuts += int(cuts)
        f.cut_ratio += _dec(ratio)
        f.price_moved += _dec(moved)
    return flows


def _community_figures(flows: dict[str, _Flows], months: list[dt.date]) -> Iterator[tuple[dt.date, Figures]]:
    """Running totals over the months: what was on the market at each month end."""
    opening = flows.get(BEFORE, _Flows())
    inventory = opening.entered - opening.left
    price = opening.entered_price + opening.price_moved - opening.left_price
    area = opening.entered_area - opening.left_area
    for month in months:
        f = flows.get(_key(month))
        if f is not None:
            inventory += f.entered - f.left
            price += f.entered_price + f.price_moved - f.left_price
            area += f.entered_area - f.left_area
        figures = Figures(
            inventory=max(inventory, 0),
            price_sum=max(price, Decimal(0)) if inventory > 0 else Decimal(0),
            area_sum=max(area, Decimal(0)) if inventory > 0 else Decimal(0),
        )
        if f is not None:
            figures.new_listings = f.entered
            figures.left = f.left
            figures.closed = f.closed
            figures.cuts = f.cuts
            figures.cut_ratio_sum = f.cut_ratio
            figures.days_on_market_sum = f.days
        if not figures.is_empty():
            yield month, figures


def _places(company: Company) -> dict[int, tuple[int, int, int]]:
    """Each community's business area, district and city."""
    return {
        row[0]: (row[1], row[2], row[3])
        for row in Community.objects.filter(company=company).values_list(
            "pk", "business_area_id", "district_id", "district__city_id"
        )
    }


def market_refresh(
    *, company: Company, today: dt.date | None = None, progress: Progress | None = None
) -> MarketRefresh:
    """Rebuild the company's asking-price figures (rows of other sources are left alone)."""
    started = time.perf_counter()
    say = progress or (lambda _step: None)
    today = today or timezone.localdate()
    last = month_start(today)
    months = list(months_between(add_months(last, -(MONTHS_KEPT - 1)), last))
    d = _Dialect()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for table in (CHANGES, SPANS):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            try:
                say("房源在市区间")
                _create_spans(cursor, company.pk, d)
                _create_changes(cursor, d)
                say("按月汇总")
                flows = _read_flows(cursor, _key(months[0]))
                cursor.execute(f"SELECT COUNT(*) FROM {SPANS}")  # noqa: S608
                listing_count = cursor.fetchone()[0]
            finally:
                for table in (CHANGES, SPANS):
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
        say("汇总到板块、区县和全市")
        places = _places(company)
        totals: dict[tuple[str, int, str, dt.date], Figures] = defaultdict(Figures)
        for (community_id, kind), by_month in flows.items():
            if community_id not in places:  # a community of another company: never counted here
                continue
            area_id, district_id, city_id = places[community_id]
            for month, figures in _community_figures(by_month, months):
                for scope, scope_id in (
                    (Scope.COMMUNITY, community_id),
                    (Scope.BUSINESS_AREA, area_id),
                    (Scope.DISTRICT, district_id),
                    (Scope.CITY, city_id),
                ):
                    totals[(scope.value, scope_id, kind, month)].add(figures)
        say("写入")
        MarketMonth.objects.filter(company=company, source=Source.ASKING).delete()
        MarketMonth.objects.bulk_create(
            (
                MarketMonth(
                    company=company,
                    source=Source.ASKING,
                    kind=kind,
                    scope=scope,
                    scope_id=scope_id,
                    month=month,
                    **figures.rounded(),
                )
                for (scope, scope_id, kind, month), figures in totals.items()
            ),
            batch_size=BATCH,
        )
        refresh, _created = MarketRefresh.objects.update_or_create(
            company=company,
            defaults={
                "finished_at": timezone.now(),
                "seconds": round(time.perf_counter() - started, 3),
                "listings": listing_count,
                "rows": len(totals),
            },
        )
    say("完成")
    return refresh


def market_refresh_all(*, progress: Progress | None = None) -> list[MarketRefresh]:
    """Every company's figures, one transaction each (the nightly job)."""
    return [market_refresh(company=c, progress=progress) for c in Company.objects.order_by("pk")]


@transaction.atomic
def deal_price_record(*, listing: Listing, price: Decimal, on: dt.date) -> None:
    """A closed sale's price (成交) into the month's ``source="deal"`` figures of the listing's
    community, 板块, district and city (decision 0008's slot): one more deal, its price and area.
    The asking-price rebuild leaves these rows alone."""
    community = Community.objects.select_related("district").get(pk=listing.community_id)
    month = month_start(on)
    places = (
        (Scope.COMMUNITY, community.pk),
        (Scope.BUSINESS_AREA, community.business_area_id),
        (Scope.DISTRICT, community.district_id),
        (Scope.CITY, community.district.city_id),
    )
    for scope, scope_id in places:
        if scope_id is None:
            continue
        row, _created = MarketMonth.objects.get_or_create(
            company_id=listing.company_id,
            source=Source.DEAL,
            kind="sale",
            scope=scope,
            scope_id=scope_id,
            month=month,
        )
        MarketMonth.objects.filter(pk=row.pk).update(
            left=F("left") + 1,
            closed=F("closed") + 1,
            price_sum=F("price_sum") + price,
            area_sum=F("area_sum") + listing.area,
        )
