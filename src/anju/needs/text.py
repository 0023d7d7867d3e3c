"""A need in one line, as agents say it: "购房 · 250–320万 · 3室 · 洪山区/武昌区 · 学区(小学)".

Pure formatting: nothing here queries the database except reading a need's places, and those come
from the prefetch cache when the caller prefetched them (``NEED_PREFETCH``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from anju.core.formats import format_area, format_wan
from anju.geo.models import SchoolLevel
from anju.listings.models import Orientation
from anju.needs.models import Need, NeedKind

SEPARATOR = " · "
# How many place names a summary lists before it says "等N个".
PLACES_SHOWN = 3

# What a list of needs prefetches so that summaries cost no query per need.
NEED_PREFETCH = ("districts", "business_areas", "communities")


def wan_range(low: Decimal | None, high: Decimal | None) -> str:
    """Total prices: 250–320万, 320万以内, 250万以上; empty when neither bound is known."""
    if low is not None and high is not None:
        if low == high:
            return format_wan(low)
        return f"{format_wan(low).removesuffix('万')}–{format_wan(high)}"
    if high is not None:
        return _("%(amount)s以内") % {"amount": format_wan(high)}
    if low is not None:
        return _("%(amount)s以上") % {"amount": format_wan(low)}
    return ""


def yuan(amount: Decimal) -> str:
    """Monthly rents are said in yuan: 4,500元 (fen shown only when there are any)."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    text = f"{value:,.2f}".removesuffix(".00")
    return f"{text}元"


def monthly_range(low: Decimal | None, high: Decimal | None) -> str:
    """Monthly rents: 3,000–4,500元/月, 4,500元/月以内, 3,000元/月以上."""
    if low is not None and high is not None:
        if low == high:
            return _("%(amount)s/月") % {"amount": yuan(low)}
        return _("%(low)s–%(high)s/月") % {"low": yuan(low).removesuffix("元"), "high": yuan(high)}
    if high is not None:
        return _("%(amount)s/月以内") % {"amount": yuan(high)}
    if low is not None:
        return _("%(amount)s/月以上") % {"amount": yuan(low)}
    return ""


def count_range(low: int | None, high: int | None, unit: str) -> str:
    """3室, 2–3室, 3室及以上, 最多3室."""
    if low is not None and high is not None:
        return f"{low}{unit}" if low == high else f"{low}–{high}{unit}"
    if low is not None:
        return _("%(count)s%(unit)s及以上") % {"count": low, "unit": unit}
    if high is not None:
        return _("最多%(count)s%(unit)s") % {"count": high, "unit": unit}
    return ""


def area_range(low: Decimal | None, high: Decimal | None) -> str:
    """80–100㎡, 90㎡以上, 120㎡以内 (whole square metres unless a fraction was given)."""

    def plain(value: Decimal) -> str:
        return format_area(value).removesuffix("㎡").removesuffix(".00")

    if low is not None and high is not None:
        return f"{plain(low)}–{plain(high)}㎡"
    if low is not None:
        return _("%(area)s㎡以上") % {"area": plain(low)}
    if high is not None:
        return _("%(area)s㎡以内") % {"area": plain(high)}
    return ""


def places(names: Sequence[str]) -> str:
    """洪山区/武昌区, or 洪山区/武昌区/江岸区等5处 when there are more than three."""
    if len(names) <= PLACES_SHOWN:
        return "/".join(names)
    return _("%(names)s等%(count)s处") % {"names": "/".join(names[:PLACES_SHOWN]), "count": len(names)}


def school(required: bool, level: str) -> str:
    if not required:
        return ""
    if level in SchoolLevel.values:
        return _("学区(%(level)s)") % {"level": SchoolLevel(level).label}
    return _("学区")


def orientations(values: Sequence[str]) -> str:
    labels = [str(Orientation(v).label) for v in values if v in Orientation.values]
    return _("朝%(directions)s") % {"directions": "/".join(labels)} if labels else ""


def need_places(need: Need) -> list[str]:
    """District, business-area and community names of a saved need (none for an unsaved one)."""
    if need.pk is None:
        return []
    names: list[str] = []
    for relation in NEED_PREFETCH:
        names.extend(str(place) for place in getattr(need, relation).all())
    return names


def need_summary(need: Need) -> str:
    """One line for lists and the timeline; parts the client did not state are left out."""
    parts: list[str] = [str(NeedKind(need.kind).label)]
    if need.kind in (NeedKind.BUY, NeedKind.RENT):
        money = (
            wan_range(need.budget_min, need.budget_max)
            if need.kind == NeedKind.BUY
            else monthly_range(need.budget_min, need.budget_max)
        )
        parts += [
            money,
            count_range(need.rooms_min, need.rooms_max, _("室")),
            area_range(need.area_min, need.area_max),
            places(need_places(need)),
            school(need.school_required, need.school_level),
            _("电梯") if need.elevator_required else "",
            orientations(need.orientations or []),
        ]
        if need.kind == NeedKind.RENT and need.lease_months:
            parts.append(_("租期%(months)s个月") % {"months": need.lease_months})
    else:
        parts.append(str(need.property) if need.property else "")
        if need.expected_price is not None:
            if need.kind == NeedKind.SELL:
                parts.append(_("心理价位%(price)s") % {"price": format_wan(need.expected_price)})
            else:
                parts.append(
                    _("期望租金%(rent)s")
                    % {"rent": _("%(amount)s/月") % {"amount": yuan(need.expected_price)}}
                )
    return SEPARATOR.join(p for p in parts if p)
