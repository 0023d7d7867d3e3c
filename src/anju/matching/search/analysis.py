"""Needs analysis (需求分析与引导): how many listings fit a need, and which single change adds the most.

Each suggestion is the need's criteria with one thing changed (``dataclasses.replace``), counted
by the engine the same way as the need itself, so the numbers agree with the need's matches.
Neighbouring districts come from geography: the districts whose communities' centre lies nearest.

A buy need with the buyer's cash and income also gets their affordability (购买力) by the finance
calculator at today's rules: the highest price, rounded down to 万 ("可承受总价约320万"), and, when the
budget's ceiling is above it, how many listings fit with the ceiling brought down to it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError
from anju.core.formats import WAN, format_wan
from anju.finance.affordability import Affordability
from anju.finance.selectors import need_affordability
from anju.geo.distance import Point, haversine_m
from anju.geo.models import Community, District
from anju.matching.search.criteria import MATCHED_KINDS, NeedCriteria, criteria_for_need
from anju.matching.search.engine import count_fitting
from anju.needs.models import Need

BUDGET_STEP = Decimal("1.10")  # "raise the budget by 10%"
AREA_STEP = Decimal("0.90")
NEIGHBOURS_PER_DISTRICT = 2
MOST_NEIGHBOURS = 4


@dataclass(frozen=True)
class Suggestion:
    code: str  # budget / district / rooms / area / elevator / orientation / build_year
    label: str
    count: int
    added: int


@dataclass(frozen=True)
class BuyerAffordability:
    result: Affordability  # the calculator's answer: price, loan, payment, its share of income, rules
    affordable: Decimal  # the highest price rounded down to 万, as the sentence says it
    sentence: str  # 按您的首付和月供，可承受总价约320万
    budget_note: str = ""  # 预算上限350万高于可承受的约320万
    count_at_affordable: int | None = None  # listings that fit with the budget ceiling at ``affordable``


@dataclass(frozen=True)
class NeedAnalysis:
    count: int
    suggestions: tuple[Suggestion, ...]  # those that add listings, most added first
    affordability: BuyerAffordability | None = None
    affordability_note: str = ""  # why there is no affordability part, for a buy need

    @property
    def best(self) -> Suggestion | None:
        return self.suggestions[0] if self.suggestions else None


def district_centres(company_id: int) -> dict[int, Point]:
    """Each district's centre: the mean position of the company's communities in it."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    rows = Community.objects.filter(company_id=company_id).values_list("district_id", "latitude", "longitude")
    for district_id, latitude, longitude in rows:
        if latitude is None or longitude is None:
            continue  # a community without coordinates yet
        total = sums[district_id]
        total[0] += float(latitude)
        total[1] += float(longitude)
        total[2] += 1
    return {d: Point(lat / n, lon / n) for d, (lat, lon, n) in sums.items()}


def neighbouring_districts(company_id: int, district_ids: frozenset[int]) -> list[int]:
    """The districts nearest to those asked for (not already asked for), nearest first."""
    centres = district_centres(company_id)
    chosen: list[int] = []
    for district_id in sorted(district_ids):
        here = centres.get(district_id)
        if here is None:
            continue
        others = sorted(
            (haversine_m(here, there), other)
            for other, there in centres.items()
            if other not in district_ids and other != district_id
        )
        for _distance, other in others[:NEIGHBOURS_PER_DISTRICT]:
            if other not in chosen:
                chosen.append(other)
    return chosen[:MOST_NEIGHBOURS]


def _variants(company_id: int, c: NeedCriteria) -> list[tuple[str, str, NeedCriteria]]:
    variants: list[tuple[str, str, NeedCriteria]] = []
    money = _("总价") if c.kind == "buy" else _("租金")
    if c.budget_max is not None:
        raised = (c.budget_max * BUDGET_STEP).quantize(Decimal("1"))
        variants.append(
            (
                "budget",
                _("%(money)s上限提高10%%（至%(amount)s）")
                % {"money": money, "amount": _amount(raised, c.kind)},
                replace(c, budget_max=raised),
            )
        )
    if c.district_ids:
        names = dict(District.objects.values_list("pk", "name"))
        for other in neighbouring_districts(company_id, c.district_ids):
            variants.append(
                (
                    "district",
                    _("加上相邻的%(district)s") % {"district": names.get(other, other)},
                    replace(c, district_ids=c.district_ids | {other}),
                )
            )
    if c.rooms_min is not None and c.rooms_min > 1:
        variants.append(
            (
                "rooms",
                _("接受少一室（%(rooms)s室起）") % {"rooms": c.rooms_min - 1},
                replace(c, rooms_min=c.rooms_min - 1),
            )
        )
    if c.area_min is not None:
        smaller = (c.area_min * AREA_STEP).quantize(Decimal("1"))
        variants.append(
            ("area", _("面积下限降到%(area)s㎡") % {"area": smaller}, replace(c, area_min=smaller))
        )
    if c.elevator_required:
        variants.append(("elevator", _("不要求电梯"), replace(c, elevator_required=False)))
    if c.orientations:
        variants.append(("orientation", _("不限朝向"), replace(c, orientations=frozenset())))
    if c.build_year_min is not None:
        variants.append(("build_year", _("不限建成年份"), replace(c, build_year_min=None)))
    return variants


def _amount(value: Decimal, kind: str) -> str:
    if kind == "buy" and value >= 10_000:
        return _("%(n)s万") % {"n": f"{value / 10_000:.0f}"}
    return _("%(n)s元") % {"n": f"{value:.0f}"}


def buyer_affordability(
    need: Need, c: NeedCriteria, *, as_of: dt.date
) -> tuple[BuyerAffordability | None, str]:
    """The buyer's affordability and its comparison with the budget, or None and why not."""
    try:
        result = need_affordability(need, as_of=as_of)
    except ApplicationError as exc:
        return None, _("无法估算购买力：%(reason)s") % {"reason": exc.message}
    if result is None:
        return None, _("填写可用于首付的资金和家庭月收入后，可估算购买力。")
    # Rounded down: the sentence never promises more than the calculation carries.
    affordable = (result.max_price / WAN).quantize(Decimal(1), rounding=ROUND_DOWN) * WAN
    if affordable <= 0:
        return BuyerAffordability(result=result, affordable=affordable, sentence=result.sentence), ""
    part = BuyerAffordability(
        result=result,
        affordable=affordable,
        sentence=_("按您的首付和月供，可承受总价约%(price)s") % {"price": format_wan(affordable)},
    )
    if c.budget_max is None or c.budget_max <= affordable:
        return part, ""
    return replace(
        part,
        budget_note=_("预算上限%(budget)s高于可承受的约%(affordable)s")
        % {"budget": format_wan(c.budget_max), "affordable": format_wan(affordable)},
        count_at_affordable=count_fitting(need.company, replace(c, budget_max=affordable)),
    ), ""


def need_analysis(
    need: Need, *, criteria: NeedCriteria | None = None, as_of: dt.date | None = None
) -> NeedAnalysis:
    """How many recommendable listings fit the need now, and what each single change would add;
    for a buyer, what their cash and income can afford (by the rules in force on ``as_of``, today)."""
    if need.kind not in MATCHED_KINDS:
        raise ApplicationError(_("只有购房、租房需求可以做需求分析。"), code="need_not_matched")
    c = criteria or criteria_for_need(need)
    count = count_fitting(need.company, c)
    suggestions = []
    for code, label, variant in _variants(need.company_id, c):
        widened = count_fitting(need.company, variant)
        if widened > count:
            suggestions.append(Suggestion(code=code, label=label, count=widened, added=widened - count))
    suggestions.sort(key=lambda s: (-s.added, s.code, s.label))
    if need.kind != "buy":
        return NeedAnalysis(count=count, suggestions=tuple(suggestions))
    part, note = buyer_affordability(need, c, as_of=as_of or timezone.localdate())
    return NeedAnalysis(
        count=count, suggestions=tuple(suggestions), affordability=part, affordability_note=note
    )
