"""What a buy or rent need asks for, as one frozen value the engine, the scoring and the analysis share.

``NeedCriteria`` is pure: no ORM. ``criteria_for_need`` reads a ``Need`` (and its matching
settings) into one; ``dataclasses.replace`` makes variants ("what if the budget were 10% higher").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anju.matching.models import NeedMatchSettings
    from anju.needs.models import Need

# The budget tolerance when the agent has not widened it: 5% above the ceiling, 5% under the floor.
DEFAULT_TOLERANCE = Decimal("0.05")
MAX_TOLERANCE = Decimal("0.50")
# A budget given only as a ceiling ("300万以内") still means roughly that much: a flat for less than
# 60% of it is not what the client asked for, so the floor is taken as 60% of the ceiling.
IMPLIED_FLOOR_SHARE = Decimal("0.6")
MATCHED_KINDS = ("buy", "rent")
# Which listing kind each need kind looks for.
LISTING_KIND = {"buy": "sale", "rent": "rent"}


@dataclass(frozen=True)
class NeedCriteria:
    """A buy/rent need's requirements. Empty sets and ``None`` mean "no requirement"."""

    kind: str  # "buy" or "rent"
    district_ids: frozenset[int] = frozenset()  # empty = anywhere in the company
    business_area_ids: frozenset[int] = frozenset()
    community_ids: frozenset[int] = frozenset()
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    tolerance: Decimal = DEFAULT_TOLERANCE
    rooms_min: int | None = None
    rooms_max: int | None = None
    area_min: Decimal | None = None
    area_max: Decimal | None = None
    floor_min: int | None = None
    floor_max: int | None = None
    orientations: frozenset[str] = frozenset()
    elevator_required: bool = False
    build_year_min: int | None = None
    school_required: bool = False
    school_level: str = ""
    verified_only: bool = True

    @property
    def listing_kind(self) -> str:
        return LISTING_KIND[self.kind]

    @property
    def budget_floor(self) -> Decimal | None:
        """The floor the client gave, or 60% of the ceiling when they gave only a ceiling."""
        if self.budget_min is not None:
            return self.budget_min
        if self.budget_max is not None:
            return self.budget_max * IMPLIED_FLOOR_SHARE
        return None

    @property
    def price_low(self) -> Decimal | None:
        """The lowest price that still fits: the budget floor less the tolerance."""
        floor = self.budget_floor
        if floor is None:
            return None
        return floor * (1 - self.tolerance)

    @property
    def price_high(self) -> Decimal | None:
        """The highest price that still fits: the budget ceiling plus the tolerance."""
        if self.budget_max is None:
            return None
        return self.budget_max * (1 + self.tolerance)

    @property
    def has_places(self) -> bool:
        return bool(self.business_area_ids or self.community_ids)


def criteria_for_need(need: Need) -> NeedCriteria:
    """The need's criteria; districts include those of the business areas and communities it names.

    Naming 光谷 means the client is looking in 洪山区: the district is the hard filter, the business
    area and community then score.
    """
    if need.kind not in MATCHED_KINDS:
        raise ValueError(f"only buy and rent needs are matched, not {need.kind!r}")
    from anju.matching.models import NeedMatchSettings

    business_areas = list(need.business_areas.all())
    communities = list(need.communities.all())
    districts = {d.pk for d in need.districts.all()}
    districts |= {b.district_id for b in business_areas}
    districts |= {c.district_id for c in communities}
    settings = NeedMatchSettings.objects.filter(need_id=need.pk).first()
    return criteria_from(
        need,
        districts=districts,
        business_areas={b.pk for b in business_areas},
        communities={c.pk for c in communities},
        settings=settings,
    )


# The need's own fields ``criteria_from`` reads (its places and settings are read apart).
CRITERIA_FIELDS = (
    "kind",
    "budget_min",
    "budget_max",
    "rooms_min",
    "rooms_max",
    "area_min",
    "area_max",
    "floor_min",
    "floor_max",
    "orientations",
    "elevator_required",
    "build_year_min",
    "school_required",
    "school_level",
)


def criteria_from(
    need: Need,
    *,
    districts: set[int],
    business_areas: set[int],
    communities: set[int],
    settings: NeedMatchSettings | None,
) -> NeedCriteria:
    """The criteria of ``need`` with its places and settings already read (one need or a batch)."""
    return NeedCriteria(
        kind=need.kind,
        district_ids=frozenset(districts),
        business_area_ids=frozenset(business_areas),
        community_ids=frozenset(communities),
        budget_min=need.budget_min,
        budget_max=need.budget_max,
        tolerance=settings.tolerance if settings else DEFAULT_TOLERANCE,
        rooms_min=need.rooms_min,
        rooms_max=need.rooms_max,
        area_min=need.area_min,
        area_max=need.area_max,
        floor_min=need.floor_min,
        floor_max=need.floor_max,
        orientations=frozenset(need.orientations or ()),
        elevator_required=need.elevator_required,
        build_year_min=need.build_year_min,
        school_required=need.school_required,
        school_level=need.school_level or "",
        verified_only=settings.verified_only if settings else True,
    )
