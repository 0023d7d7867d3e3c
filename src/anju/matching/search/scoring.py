"""How well a listing fits a need: a pure score from 0 to 100 with the reasons in plain Chinese.

One definition serves three callers. ``score`` evaluates it on Python integers for one pair; the
engine renders the very same terms to SQL (``score_sql``), with one side as columns of the layout
tables and the other as literals, so a million rows are scored in the database, never in a Python
loop. The terms read integer codes only (price in fen, area in hundredths of a square metre, a bit
per orientation), so Python and both databases compute exactly the same numbers.

Hard requirements (kind, district, budget with its tolerance, 真房源 when required) are ``hard_fit``;
everything else scores. Nothing about commission is read here: a listing ranks by fit alone.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from anju.matching.search.criteria import NeedCriteria

# "No requirement" on either end of a range, so that every term is one comparison in SQL too.
NO_MIN = -(10**15)
NO_MAX = 10**15
ORIENTATION_CODES = ("S", "SN", "E", "W", "N", "SE", "SW", "EW", "NW", "NE")
ORIENTATION_BIT = {code: 1 << index for index, code in enumerate(ORIENTATION_CODES)}
ALL_ORIENTATIONS = (1 << len(ORIENTATION_CODES)) - 1
DECORATION_CODES = ("rough", "simple", "fine", "luxury", "other")
# A floor not known (a flat whose address is still to be completed, 地址待补全): below every floor a
# need can ask for, so it meets a floor requirement only when the need has none; never read as 0.
UNKNOWN_FLOOR = NO_MIN
SCHOOL_BIT = {"kindergarten": 1, "primary": 2, "middle": 4}
ALL_SCHOOLS = 7
KIND_CODE = {"sale": 0, "rent": 1, "buy": 0}
NEED_KIND_CODE = {"buy": 0, "rent": 1}
MAX_POINTS = 100


# --- facts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolFact:
    name: str
    level: str


@dataclass(frozen=True)
class StationFact:
    line: str
    name: str
    distance_m: int


@dataclass(frozen=True)
class ListingFacts:
    """What scoring reads of a listing (and of its flat, community and surroundings)."""

    listing_id: int
    kind: str  # "sale" or "rent"
    district_id: int
    community_id: int
    business_area_id: int
    price: Decimal
    area: Decimal
    rooms: int
    floor: int | None  # None: not known (地址待补全)
    has_elevator: bool
    orientation: str
    decoration: str = "simple"
    build_year: int | None = None
    halls: int = 1
    baths: int = 1
    total_floors: int = 6
    schools: tuple[SchoolFact, ...] = ()
    station: StationFact | None = None  # the nearest subway station
    verified: bool = True  # verified at least once (真房源)
    address_complete: bool = True  # False: 地址待补全, never verified until completed
    community_name: str = ""
    business_area_name: str = ""


@dataclass(frozen=True)
class Adjustment:
    """A learned nudge: listings whose ``feature`` is ``value`` get ``points`` (negative = lower)."""

    feature: str  # one of ADJUSTABLE
    value: str
    points: int
    reason: str


@dataclass(frozen=True)
class Preferences:
    adjustments: tuple[Adjustment, ...] = ()


NO_PREFERENCES = Preferences()


@dataclass
class Scored:
    score: int
    fits: list[str] = field(default_factory=list)
    lacks: list[str] = field(default_factory=list)


# --- the integer sides -------------------------------------------------------------------------


def fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_FLOOR))


def centi(area: Decimal) -> int:
    return int((area * 100).to_integral_value(rounding=ROUND_FLOOR))


def school_bits(levels: Iterable[str]) -> int:
    bits = 0
    for level in levels:
        bits |= SCHOOL_BIT.get(level, 0)
    return bits


@dataclass(frozen=True)
class NeedSide:
    """A need as the scoring terms read it; the need layout table stores exactly these values."""

    kind: Any
    price_low: Any
    price_high: Any
    budget_min: Any
    budget_max: Any
    rooms_min: Any
    rooms_max: Any
    area_min: Any
    area_max: Any
    floor_min: Any
    floor_max: Any
    orientations: Any
    elevator_required: Any
    build_year_min: Any
    school: Any
    has_places: Any
    verified_only: Any
    # Pure side: the sets; SQL side: rendered by ``places_contain``.
    places: Callable[[Any, Any], Any]


@dataclass(frozen=True)
class ListingSide:
    """A listing as the scoring terms read it; the listing layout table stores exactly these values."""

    kind: Any
    district: Any
    price: Any
    rooms: Any
    area: Any
    floor: Any
    elevator: Any
    orientation: Any
    decoration: Any
    build_year: Any
    community: Any
    business_area: Any
    school: Any
    metro: Any
    verified: Any


def need_values(c: NeedCriteria) -> dict[str, int]:
    """The integer columns of a need (the need layout's row, less ids and district)."""
    low = c.price_low
    high = c.price_high
    return {
        "kind": NEED_KIND_CODE[c.kind],
        "price_low": NO_MIN if low is None else int((low * 100).to_integral_value(rounding=ROUND_CEILING)),
        "price_high": NO_MAX if high is None else fen(high),
        "budget_min": NO_MIN if c.budget_floor is None else fen(c.budget_floor),
        "budget_max": NO_MAX if c.budget_max is None else fen(c.budget_max),
        "rooms_min": NO_MIN if c.rooms_min is None else c.rooms_min,
        "rooms_max": NO_MAX if c.rooms_max is None else c.rooms_max,
        "area_min": NO_MIN if c.area_min is None else centi(c.area_min),
        "area_max": NO_MAX if c.area_max is None else centi(c.area_max),
        "floor_min": NO_MIN if c.floor_min is None else c.floor_min,
        "floor_max": NO_MAX if c.floor_max is None else c.floor_max,
        "orientations": sum(ORIENTATION_BIT.get(o, 0) for o in c.orientations) or ALL_ORIENTATIONS,
        "elevator_required": int(c.elevator_required),
        "build_year_min": c.build_year_min or 0,
        "school": (SCHOOL_BIT.get(c.school_level, 0) or ALL_SCHOOLS) if c.school_required else 0,
        "has_places": int(c.has_places),
        "verified_only": int(c.verified_only),
    }


def listing_values(f: ListingFacts) -> dict[str, int]:
    """The integer columns of a listing (the listing layout's row, less ids and availability)."""
    return {
        "kind": KIND_CODE[f.kind],
        "district": f.district_id,
        "price": fen(f.price),
        "rooms": f.rooms,
        "area": centi(f.area),
        "floor": UNKNOWN_FLOOR if f.floor is None else f.floor,
        "elevator": int(f.has_elevator),
        "orientation": ORIENTATION_BIT.get(f.orientation, 0),
        "decoration": DECORATION_CODES.index(f.decoration) if f.decoration in DECORATION_CODES else -1,
        "build_year": f.build_year or 0,
        "community": f.community_id,
        "business_area": f.business_area_id,
        "school": school_bits(s.level for s in f.schools),
        "metro": NO_MAX if f.station is None else f.station.distance_m,
        "verified": int(f.verified and f.address_complete),
    }


def places_test(communities: frozenset[int], areas: frozenset[int]) -> Callable[[Any, Any], Any]:
    """Whether a listing's community or business area is one the need names (ints or columns)."""

    def contains(community: Any, business_area: Any) -> Any:
        if _is_array(community, business_area):
            return np.isin(community, list(communities)) | np.isin(business_area, list(areas))
        if not _is_expr(community, business_area):
            return community in communities or business_area in areas
        parts = [
            f"{sql_of(community)} IN ({_ids(communities)})",
            f"{sql_of(business_area)} IN ({_ids(areas)})",
        ]
        return Expr("(" + " OR ".join(parts) + ")")

    return contains


def _ids(values: Iterable[int]) -> str:
    return ", ".join(str(int(v)) for v in sorted(values)) or "NULL"


def pure_need_side(c: NeedCriteria) -> NeedSide:
    """The need's literal side: pure integers, which also render as SQL literals."""
    return NeedSide(**need_values(c), places=places_test(c.community_ids, c.business_area_ids))


def pure_listing_side(f: ListingFacts) -> ListingSide:
    return ListingSide(**listing_values(f))


# --- a tiny expression language: Python ints compute, Expr renders SQL ------------------------


class Expr:
    """A SQL expression. Only integers we produced are ever inlined (``int()``), never user text."""

    __slots__ = ("sql",)

    def __init__(self, sql: str) -> None:
        self.sql = sql

    def _bin(self, other: Any, op: str, reverse: bool = False) -> Expr:
        a, b = (sql_of(other), self.sql) if reverse else (self.sql, sql_of(other))
        return Expr(f"({a} {op} {b})")

    def __add__(self, other: Any) -> Expr:
        return self._bin(other, "+")

    def __radd__(self, other: Any) -> Expr:
        return self._bin(other, "+", reverse=True)

    def __sub__(self, other: Any) -> Expr:
        return self._bin(other, "-")

    def __rsub__(self, other: Any) -> Expr:
        return self._bin(other, "-", reverse=True)

    def __mul__(self, other: Any) -> Expr:
        return self._bin(other, "*")

    def __rmul__(self, other: Any) -> Expr:
        return self._bin(other, "*", reverse=True)

    def __and__(self, other: Any) -> Expr:
        return self._bin(other, "&")

    def __rand__(self, other: Any) -> Expr:
        return self._bin(other, "&", reverse=True)

    def __le__(self, other: Any) -> Expr:
        return self._bin(other, "<=")

    def __lt__(self, other: Any) -> Expr:
        return self._bin(other, "<")

    def __ge__(self, other: Any) -> Expr:
        return self._bin(other, ">=")

    def __gt__(self, other: Any) -> Expr:
        return self._bin(other, ">")


def sql_of(value: Any) -> str:
    if isinstance(value, Expr):
        return value.sql
    if isinstance(value, bool):
        return "1=1" if value else "1=0"
    return str(int(value))


def _is_expr(*values: Any) -> bool:
    return any(isinstance(v, Expr) for v in values)


def _is_array(*values: Any) -> bool:
    # NumPy arrays (the benchmark's in-memory bound) compute element-wise through the same terms.
    return any(isinstance(v, np.ndarray) for v in values)


def eq(a: Any, b: Any) -> Any:
    return Expr(f"({sql_of(a)} = {sql_of(b)})") if _is_expr(a, b) else a == b


def ne(a: Any, b: Any) -> Any:
    return Expr(f"({sql_of(a)} <> {sql_of(b)})") if _is_expr(a, b) else a != b


def all_of(*conditions: Any) -> Any:
    if _is_array(*conditions):
        return functools.reduce(np.logical_and, conditions)
    if not _is_expr(*conditions):
        return all(conditions)
    return Expr("(" + " AND ".join(sql_of(c) for c in conditions) + ")")


def any_of(*conditions: Any) -> Any:
    if _is_array(*conditions):
        return functools.reduce(np.logical_or, conditions)
    if not _is_expr(*conditions):
        return any(conditions)
    return Expr("(" + " OR ".join(sql_of(c) for c in conditions) + ")")


def case(condition: Any, then: Any, otherwise: Any) -> Any:
    if isinstance(condition, np.ndarray):
        return np.where(condition, then, otherwise)
    if not isinstance(condition, Expr):
        return then if condition else otherwise
    return Expr(f"(CASE WHEN {condition.sql} THEN {sql_of(then)} ELSE {sql_of(otherwise)} END)")


def between(value: Any, low: Any, high: Any) -> Any:
    return all_of(value >= low, value <= high)


# --- the terms ---------------------------------------------------------------------------------

POINTS = {
    "budget": 20,
    "rooms": 15,
    "area": 10,
    "location": 10,
    "school": 10,
    "elevator": 10,
    "floor": 5,
    "orientation": 10,
    "build_year": 5,
    "metro": 5,
}
assert sum(POINTS.values()) == MAX_POINTS  # noqa: S101 - a definition, checked when imported
BUDGET_OVER = 8  # above the ceiling, within the tolerance
BUDGET_UNDER = 15  # below the floor, within the tolerance
ROOMS_NEAR = 5  # one room more or fewer
AREA_NEAR = 5  # within 10% of the range
NO_ELEVATOR_HIGH = 5  # no elevator from the 5th floor up, when the client did not ask for one
HIGH_FLOOR = 5
BUILD_YEAR_UNKNOWN = 2
METRO_NEAR_M, METRO_FAR_M, METRO_FAR = 500, 1000, 3


def hard_fit_term(n: NeedSide, lst: ListingSide, districts: Any) -> Any:
    """Kind, district, budget with tolerance, 真房源 if required; ``districts`` is the district test."""
    return all_of(
        eq(n.kind, lst.kind),
        districts,
        lst.price >= n.price_low,
        lst.price <= n.price_high,
        any_of(eq(n.verified_only, 0), eq(lst.verified, 1)),
    )


def terms(n: NeedSide, lst: ListingSide) -> dict[str, Any]:
    """Points per feature; the sum is the score before learned adjustments (0..100)."""
    return {
        "budget": case(
            between(lst.price, n.budget_min, n.budget_max),
            POINTS["budget"],
            case(lst.price > n.budget_max, BUDGET_OVER, BUDGET_UNDER),
        ),
        "rooms": case(
            between(lst.rooms, n.rooms_min, n.rooms_max),
            POINTS["rooms"],
            case(between(lst.rooms, n.rooms_min - 1, n.rooms_max + 1), ROOMS_NEAR, 0),
        ),
        "area": case(
            between(lst.area, n.area_min, n.area_max),
            POINTS["area"],
            case(all_of(lst.area * 10 >= n.area_min * 9, lst.area * 10 <= n.area_max * 11), AREA_NEAR, 0),
        ),
        "location": case(
            eq(n.has_places, 0),
            POINTS["location"],
            case(n.places(lst.community, lst.business_area), POINTS["location"], 0),
        ),
        "school": case(
            eq(n.school, 0), POINTS["school"], case(ne(lst.school & n.school, 0), POINTS["school"], 0)
        ),
        "elevator": case(
            eq(lst.elevator, 1),
            POINTS["elevator"],
            case(
                eq(n.elevator_required, 1),
                0,
                # An unknown floor may be a high one: no full points for a flat without elevator.
                case(
                    any_of(lst.floor >= HIGH_FLOOR, eq(lst.floor, UNKNOWN_FLOOR)),
                    NO_ELEVATOR_HIGH,
                    POINTS["elevator"],
                ),
            ),
        ),
        "floor": case(between(lst.floor, n.floor_min, n.floor_max), POINTS["floor"], 0),
        "orientation": case(ne(n.orientations & lst.orientation, 0), POINTS["orientation"], 0),
        "build_year": case(
            lst.build_year >= n.build_year_min,
            POINTS["build_year"],
            case(eq(lst.build_year, 0), BUILD_YEAR_UNKNOWN, 0),
        ),
        "metro": case(
            lst.metro <= METRO_NEAR_M, POINTS["metro"], case(lst.metro <= METRO_FAR_M, METRO_FAR, 0)
        ),
    }


# Learned adjustments read these listing values; ``adjustment_code`` turns a value into the column's.
ADJUSTABLE = ("orientation", "decoration", "elevator", "community", "business_area")


def adjustment_code(feature: str, value: str) -> int:
    if feature == "orientation":
        return ORIENTATION_BIT.get(value, -1)
    if feature == "decoration":
        return DECORATION_CODES.index(value) if value in DECORATION_CODES else -1
    if feature == "elevator":
        return 1 if value == "yes" else 0
    return int(value)


def adjustment_terms(preferences: Preferences, lst: ListingSide) -> list[Any]:
    return [
        case(eq(getattr(lst, a.feature), adjustment_code(a.feature, a.value)), a.points, 0)
        for a in preferences.adjustments
        if a.feature in ADJUSTABLE
    ]


def clamp(total: Any) -> Any:
    if isinstance(total, np.ndarray):
        return np.clip(total, 0, MAX_POINTS)
    if not isinstance(total, Expr):
        return max(0, min(MAX_POINTS, total))
    return case(total < 0, 0, case(total > MAX_POINTS, MAX_POINTS, total))


def total_of(n: NeedSide, lst: ListingSide, preferences: Preferences) -> Any:
    return _summed(terms(n, lst), lst, preferences)


def _summed(points: dict[str, Any], lst: ListingSide, preferences: Preferences) -> Any:
    parts = list(points.values()) + adjustment_terms(preferences, lst)
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return clamp(total) if preferences.adjustments else total


# --- pure API -------------------------------------------------------------------------------


def hard_fit(criteria: NeedCriteria, facts: ListingFacts) -> bool:
    """Whether the listing meets the need's hard requirements (availability aside)."""
    districts = not criteria.district_ids or facts.district_id in criteria.district_ids
    return bool(hard_fit_term(pure_need_side(criteria), pure_listing_side(facts), districts))


def score(criteria: NeedCriteria, facts: ListingFacts, preferences: Preferences = NO_PREFERENCES) -> Scored:
    """The score (0..100) and what fits and what does not, in plain Chinese."""
    n, lst = pure_need_side(criteria), pure_listing_side(facts)
    points = terms(n, lst)
    result = Scored(score=int(_summed(points, lst, preferences)))
    _explain(criteria, facts, points, result)
    for adjustment in preferences.adjustments:
        if adjustment.feature in ADJUSTABLE and getattr(lst, adjustment.feature) == adjustment_code(
            adjustment.feature, adjustment.value
        ):
            (result.fits if adjustment.points > 0 else result.lacks).append(adjustment.reason)
    return result


# --- reasons ----------------------------------------------------------------------------------


def _money_word(criteria: NeedCriteria) -> str:
    return _("租金") if criteria.kind == "rent" else _("总价")


def _range_text(low: Any, high: Any, unit: str) -> str:
    if low is not None and high is not None:
        return f"{low}{unit}" if low == high else f"{low}–{high}{unit}"
    if low is not None:
        return _("至少%(n)s%(unit)s") % {"n": low, "unit": unit}
    return _("最多%(n)s%(unit)s") % {"n": high, "unit": unit}


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def _explain(c: NeedCriteria, f: ListingFacts, points: dict[str, Any], out: Scored) -> None:
    fits, lacks = out.fits, out.lacks
    _explain_budget(c, f, points["budget"], out)
    if c.rooms_min is not None or c.rooms_max is not None:
        wanted = _range_text(c.rooms_min, c.rooms_max, _("室"))
        if points["rooms"] == POINTS["rooms"]:
            fits.append(
                _("%(r)s室%(h)s厅，符合%(wanted)s的要求") % {"r": f.rooms, "h": f.halls, "wanted": wanted}
            )
        else:
            lacks.append(_("%(r)s室，不符合%(wanted)s的要求") % {"r": f.rooms, "wanted": wanted})
    if c.area_min is not None or c.area_max is not None:
        wanted = _range_text(
            None if c.area_min is None else _number(c.area_min),
            None if c.area_max is None else _number(c.area_max),
            "㎡",
        )
        area = _number(f.area)
        if points["area"] == POINTS["area"]:
            fits.append(_("面积%(a)s㎡，在%(wanted)s范围内") % {"a": area, "wanted": wanted})
        elif points["area"] == AREA_NEAR:
            lacks.append(_("面积%(a)s㎡，略超出%(wanted)s") % {"a": area, "wanted": wanted})
        else:
            lacks.append(_("面积%(a)s㎡，不在%(wanted)s范围内") % {"a": area, "wanted": wanted})
    if c.has_places:
        if f.community_id in c.community_ids:
            fits.append(_("位于意向小区%(name)s") % {"name": f.community_name})
        elif f.business_area_id in c.business_area_ids:
            fits.append(_("位于意向板块%(name)s") % {"name": f.business_area_name})
        else:
            lacks.append(_("不在意向的板块或小区"))
    _explain_school(c, f, points["school"], out)
    if f.has_elevator:
        if c.elevator_required:
            fits.append(_("有电梯"))
    elif f.floor is None:
        lacks.append(_("楼层不详，无电梯"))
    elif c.elevator_required or f.floor >= HIGH_FLOOR:
        lacks.append(_("%(floor)s楼无电梯") % {"floor": f.floor})
    if f.floor is None:
        if c.floor_min is not None or c.floor_max is not None:
            lacks.append(_("楼层不详（地址待补全），无法确认是否符合楼层要求"))
    elif c.floor_min is not None and f.floor < c.floor_min:
        lacks.append(_("位于%(floor)s楼，低于要求的%(low)s楼") % {"floor": f.floor, "low": c.floor_min})
    elif c.floor_max is not None and f.floor > c.floor_max:
        lacks.append(_("位于%(floor)s楼，高于要求的%(high)s楼") % {"floor": f.floor, "high": c.floor_max})
    elif c.floor_min is not None or c.floor_max is not None:
        fits.append(_("位于%(floor)s楼，楼层合适") % {"floor": f.floor})
    if c.orientations:
        label = _orientation_label(f.orientation)
        if points["orientation"]:
            fits.append(_("朝%(o)s") % {"o": label})
        else:
            lacks.append(_("朝%(o)s，不在可接受的朝向内") % {"o": label})
    if c.build_year_min:
        if f.build_year is None:
            lacks.append(_("建成年份不详"))
        elif f.build_year < c.build_year_min:
            lacks.append(
                _("建成于%(year)s年，早于要求的%(min)s年") % {"year": f.build_year, "min": c.build_year_min}
            )
        else:
            fits.append(_("建成于%(year)s年") % {"year": f.build_year})
    if f.station is not None and points["metro"]:
        fits.append(_("距地铁%(line)s%(m)s米") % {"line": f.station.line, "m": f.station.distance_m})


def _explain_budget(c: NeedCriteria, f: ListingFacts, points: int, out: Scored) -> None:
    word = _money_word(c)
    if points == POINTS["budget"]:
        if c.budget_max is not None and c.budget_max > 0:
            below = math.floor((c.budget_max - f.price) * 100 / c.budget_max)
            if below > 0:
                out.fits.append(_("%(w)s在预算内，低于上限%(p)s%%") % {"w": word, "p": below})
            else:
                out.fits.append(_("%(w)s在预算内，接近上限") % {"w": word})
        elif c.budget_min is not None:
            out.fits.append(_("%(w)s在预算内") % {"w": word})
    elif points == BUDGET_OVER and c.budget_max:
        over = math.ceil((f.price - c.budget_max) * 100 / c.budget_max)
        out.lacks.append(_("%(w)s超出预算上限%(p)s%%") % {"w": word, "p": over})
    elif c.budget_floor:
        under = math.ceil((c.budget_floor - f.price) * 100 / c.budget_floor)
        out.lacks.append(_("%(w)s低于预算下限%(p)s%%") % {"w": word, "p": under})


def _explain_school(c: NeedCriteria, f: ListingFacts, points: int, out: Scored) -> None:
    wanted = SCHOOL_BIT.get(c.school_level, 0) or ALL_SCHOOLS
    schools = [s for s in f.schools if SCHOOL_BIT.get(s.level, 0) & wanted]
    if c.school_required and not points:
        out.lacks.append(_("无%(level)s学区") % {"level": _school_label(c.school_level)})
    elif schools:
        out.fits.append(_("%(name)s学区") % {"name": schools[0].name})


def _school_label(level: str) -> str:
    from anju.geo.models import SchoolLevel

    return str(SchoolLevel(level).label) if level in SchoolLevel.values else _("对口")


def _orientation_label(code: str) -> str:
    from anju.listings.models import Orientation

    return str(Orientation(code).label) if code in Orientation.values else code
