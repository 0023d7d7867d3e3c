"""Properties (房屋) and their listings (房源), generated one flat at a time as database-ready tuples.

Tuples rather than model instances: at a million rows the instances alone would cost more
than generating and inserting the data.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from anju.demo.clock import DemoClock
from anju.demo.communities import OLD_STOCK_BEFORE, CommunityPlan
from anju.demo.weighted import Weighted
from anju.listings.figures import unit_price as listing_unit_price
from anju.listings.status import IN_PLAY

PROPERTY_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "company_id",
    "community_id",
    "building",
    "unit",
    "room_number",
    "floor",
    "floor_band",
    "total_floors",
    "area",
    "inner_area",
    "rooms",
    "halls",
    "baths",
    "orientation",
    "decoration",
    "build_year",
    "has_elevator",
)
LISTING_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "company_id",
    "property_id",
    "kind",
    "status",
    "price",
    "unit_price",
    "agent_id",
    "store_id",
    "district_id",
    "community_id",
    "rooms",
    "area",
    "listed_on",
    "verified_at",
    "title",
)

VERIFICATION_COLUMNS = (
    "id",
    "listing_id",
    "by_id",
    "at",
    "method",
    "exists",
    "available",
    "price_confirmed",
    "note",
)
_LISTING_ID, _AGENT_ID, _VERIFIED_AT = (LISTING_COLUMNS.index(c) for c in ("id", "agent_id", "verified_at"))


def verification_rows(first_id: int, listing_rows: Iterable[tuple]) -> list[tuple]:
    """One 真房源 record per verified listing: its own agent confirmed it, mostly on the spot."""
    rows: list[tuple] = []
    for listing in listing_rows:
        if listing[_VERIFIED_AT] is None:
            continue
        method = (
            "phone" if listing[_LISTING_ID] % 3 == 0 else "visit"
        )  # no draw: the other streams stay as they are
        rows.append(
            (
                first_id + len(rows),
                listing[_LISTING_ID],
                listing[_AGENT_ID],
                listing[_VERIFIED_AT],
                method,
                True,
                True,
                True,
                "",
            )
        )
    return rows


PRICE_CHANGE_COLUMNS = ("id", "listing_id", "old_price", "new_price", "at", "by_id")
_KIND, _PRICE, _CREATED_AT, _UPDATED_AT = (
    LISTING_COLUMNS.index(c) for c in ("kind", "price", "created_at", "updated_at")
)
_MIN_DAYS_BEFORE_A_CUT = 14


def price_change_rows(first_id: int, listing_rows: Iterable[tuple]) -> list[tuple]:
    """调价记录: about one listing in four was cut once, one in twelve twice, by 2–8% each time.

    The listing's price is the price after the last cut. Everything is derived from the listing's
    id (no draw), so the other streams stay as they are; cuts fall between the listing's entry and
    its last update (verification, sale or withdrawal), so none lies in the future.
    """
    rows: list[tuple] = []
    for listing in listing_rows:
        listing_id = listing[_LISTING_ID]
        created_at, updated_at = listing[_CREATED_AT], listing[_UPDATED_AT]
        if listing_id % 4 or (updated_at - created_at).days < _MIN_DAYS_BEFORE_A_CUT:
            continue
        step = 1000 if listing[_KIND] == "sale" else 100
        cuts = 2 if listing_id % 12 == 0 else 1
        span = updated_at - created_at
        price = listing[_PRICE]
        changes = []
        for n in range(cuts):
            cut = Decimal(2 + (listing_id // 4 + 3 * n) % 7) / 100
            rounded = (price / (1 - cut) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
            older = max(rounded, price + step)  # a small rent still moves by one step
            # The later cut first (walking back in time): at 85% then 45% of the listing's span.
            changes.append((older, price, created_at + span * (0.85 - 0.4 * n)))
            price = older
        for older, newer, at in reversed(changes):
            rows.append((first_id + len(rows), listing_id, older, newer, at, listing[_AGENT_ID]))
    return rows


LISTING_DAYS = 540  # about eighteen months of listings
VERIFY_WITHIN_DAYS = 30
RENT_SHARE = 0.15
# Gross rental yield in Wuhan is around 2% a year: monthly rent ≈ price × 2% / 12.
RENT_YIELD_PER_MONTH = (0.0015, 0.0021)

ORIENTATIONS = Weighted(("SN", "S", "SE", "SW", "E", "W", "EW", "N"), (55, 20, 8, 5, 4, 3, 3, 2))
DECORATION_LABELS = {"rough": "毛坯", "simple": "简装", "fine": "精装", "luxury": "豪装"}
NEW_DECORATIONS = Weighted(("rough", "simple", "fine", "luxury"), (10, 20, 55, 15))
OLD_DECORATIONS = Weighted(("rough", "simple", "fine", "luxury"), (2, 55, 35, 8))
_DECORATION_PRICE = {"rough": 0.97, "simple": 0.99, "fine": 1.02, "luxury": 1.06}
SALE_STATUSES = Weighted(("active", "reserved", "sold", "withdrawn"), (74, 4, 12, 10))
RENT_STATUSES = Weighted(("active", "reserved", "rented", "withdrawn"), (70, 3, 17, 10))
TITLE_TAGS = ("南北通透", "满五唯一", "近地铁", "采光好", "拎包入住", "随时看房", "业主诚心卖", "带车位", "")
RENT_TITLE_TAGS = ("拎包入住", "近地铁", "家电齐全", "随时看房", "可短租", "采光好", "")
# One in this many unverified listings on the market came in from a portal's list: its address is
# to be completed (地址待补全), its floor known only as a band. Derived from the id (no draw).
ADDRESS_TO_COMPLETE_EVERY = 5
# Some primes; a community's stride is one that does not divide its number of flats.
_STRIDES = (7919, 104729, 15485863, 32452843)


@dataclass(frozen=True)
class CommunityRef:
    """A saved community: its ids and plan, and which store is closest to it."""

    id: int
    district_id: int
    plan: CommunityPlan
    nearest_store: int  # index into ``ListingContext.store_agents``


@dataclass(frozen=True)
class FieldAgent:
    id: int
    store_id: int
    weight: int


@dataclass(frozen=True)
class ListingContext:
    company_id: int
    communities: Sequence[CommunityRef]
    store_agents: Sequence[Sequence[FieldAgent]]  # per store, the agents who take listings
    first_property_id: int
    first_listing_id: int
    clock: DemoClock


class _AddressBook:
    """Hands out each community's flats in a scrambled but collision-free order.

    The k-th flat of a community is slot ``(k × stride + offset) mod capacity``, a permutation
    when the stride shares no factor with the capacity; once the community is full, further
    flats go to buildings beyond its last one (a benchmark of a million listings overfills the
    few hundred communities of a real dictionary).
    """

    def __init__(self, rng: random.Random, communities: Sequence[CommunityRef]) -> None:
        self._issued = [0] * len(communities)
        self._offsets = [rng.randrange(max(1, c.plan.capacity)) for c in communities]
        self._strides = [next(s for s in _STRIDES if c.plan.capacity % s) for c in communities]

    def next_flat(self, index: int, plan: CommunityPlan) -> tuple[str, str, str, int]:
        issued = self._issued[index]
        self._issued[index] = issued + 1
        capacity = plan.capacity
        slot = (
            (issued * self._strides[index] + self._offsets[index]) % capacity if issued < capacity else issued
        )
        building, rest = divmod(slot, plan.flats_per_building)
        unit, rest = divmod(rest, plan.total_floors * plan.flats_per_floor)
        floor_index, door = divmod(rest, plan.flats_per_floor)
        floor = floor_index + 1
        return str(building + 1), str(unit + 1), f"{floor}{door + 1:02d}", floor


def generate_listings(
    rng: random.Random, context: ListingContext, count: int
) -> Iterator[tuple[tuple, tuple]]:
    """``count`` pairs of (property row, listing row) in ``PROPERTY_COLUMNS``/``LISTING_COLUMNS`` order."""
    communities = context.communities
    # Bigger communities have more flats, so more of them come up for sale.
    pick_community = Weighted(range(len(communities)), (c.plan.capacity for c in communities))
    pick_agent = [Weighted(agents, (a.weight for a in agents)) for agents in context.store_agents]
    addresses = _AddressBook(rng, communities)
    clock = context.clock
    company_id = context.company_id
    store_count = len(context.store_agents)
    random_ = rng.random
    for n in range(count):
        index = pick_community.pick(random_)
        community = communities[index]
        plan = community.plan
        old = plan.build_year < OLD_STOCK_BEFORE

        building, unit, room_number, floor = addresses.next_flat(index, plan)
        area_value = _flat_area(rng, old)
        rooms = _rooms(random_(), area_value)
        halls = _halls(random_(), rooms)
        baths = _baths(random_(), area_value)
        area = Decimal(f"{area_value:.2f}")
        inner_ratio = rng.uniform(0.82, 0.9) if old else rng.uniform(0.72, 0.82)
        inner_area = Decimal(f"{area_value * inner_ratio:.2f}")
        orientation = ORIENTATIONS.pick(random_)
        decoration = (OLD_DECORATIONS if old else NEW_DECORATIONS).pick(random_)

        is_rent = random_() < RENT_SHARE
        reference_price = float(plan.reference_price)
        if is_rent:
            status = RENT_STATUSES.pick(random_)
            monthly = area_value * reference_price * rng.uniform(*RENT_YIELD_PER_MONTH)
            price = Decimal(max(600, round(monthly, -2)))
        else:
            status = SALE_STATUSES.pick(random_)
            noise = rng.triangular(0.85, 1.15)
            price = Decimal(
                max(1000, round(area_value * reference_price * noise * _DECORATION_PRICE[decoration], -3))
            )
        unit_price = listing_unit_price(price, area)

        store_index = community.nearest_store if random_() < 0.75 else rng.randrange(store_count)
        agent = pick_agent[store_index].pick(random_)

        in_play = status in IN_PLAY
        # Listings still on the market skew recent; closed ones are spread over the whole period.
        listed_days = 1 + int((LISTING_DAYS - 1) * random_() ** (1.6 if in_play else 1.0))
        created_at = clock.during_hours(rng, listed_days)
        verified_at = None
        updated_at = created_at
        if in_play and random_() < 0.85:
            verified_days = rng.randint(1, min(VERIFY_WITHIN_DAYS, listed_days))
            verified_at = updated_at = max(created_at, clock.during_hours(rng, verified_days))
        elif not in_play and listed_days > 1:
            # When it was sold, rented or withdrawn.
            updated_at = max(created_at, clock.during_hours(rng, rng.randint(1, listed_days - 1)))

        band = ""
        if (
            in_play
            and verified_at is None
            and (context.first_listing_id + n) % ADDRESS_TO_COMPLETE_EVERY == 0
        ):
            band = _floor_band(floor, plan.total_floors)
            building = unit = room_number = floor = None  # type: ignore[assignment]
        tag = rng.choice(RENT_TITLE_TAGS if is_rent else TITLE_TAGS)
        title = f"{'整租 ' if is_rent else ''}{plan.name} {rooms}室{halls}厅 {DECORATION_LABELS[decoration]}"
        property_id = context.first_property_id + n
        yield (
            (
                property_id,
                created_at,
                created_at,
                company_id,
                community.id,
                building,
                unit,
                room_number,
                floor,
                band,
                plan.total_floors,
                area,
                inner_area,
                rooms,
                halls,
                baths,
                orientation,
                decoration,
                plan.build_year,
                plan.has_elevator,
            ),
            (
                context.first_listing_id + n,
                created_at,
                updated_at,
                company_id,
                property_id,
                "rent" if is_rent else "sale",
                status,
                price,
                unit_price,
                agent.id,
                agent.store_id,
                community.district_id,
                community.id,
                rooms,
                area,
                clock.date(listed_days),
                verified_at,
                f"{title} {tag}" if tag else title,
            ),
        )


def _floor_band(floor: int, total_floors: int) -> str:
    """低/中/高楼层 as the portals give them: the lower, middle and upper third of the building."""
    if floor * 3 <= total_floors:
        return "low"
    return "middle" if floor * 3 <= total_floors * 2 else "high"


def _flat_area(rng: random.Random, old: bool) -> float:
    """Roughly log-normal: most flats 60–140 ㎡, a few small studios and large duplexes."""
    median = 72.0 if old else 98.0
    return min(300.0, max(30.0, rng.lognormvariate(math.log(median), 0.32)))


def _rooms(draw: float, area: float) -> int:
    if area < 45:
        return 1
    if area < 70:
        return 1 if draw < 0.2 else 2
    if area < 95:
        return 2 if draw < 0.4 else 3
    if area < 130:
        return 3 if draw < 0.8 else 4
    if area < 180:
        return 3 if draw < 0.3 else (4 if draw < 0.9 else 5)
    return 4 if draw < 0.5 else (5 if draw < 0.9 else 6)


def _baths(draw: float, area: float) -> int:
    if area < 90:
        return 2 if draw < 0.1 else 1
    if area < 140:
        return 2 if draw < 0.8 else 1
    return 2 if draw < 0.6 else 3


def _halls(draw: float, rooms: int) -> int:
    if rooms == 1:
        return 1 if draw < 0.8 else 0
    if rooms == 2:
        return 1 if draw < 0.6 else 2
    return 2 if draw < 0.85 else 1
