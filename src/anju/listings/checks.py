"""The rules a flat's facts obey, once for every way a listing is written (the services, the import).

Pure: each function takes the values already read (``None`` when not given or unreadable) and
returns the problems, each with a stable code and a Chinese message; the caller raises the first
(a service) or reports them all with the row's line (an import).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

FLOOR_LOWEST = -5  # the deepest basement floor
FLOORS_MOST = 200
AREA_MOST = Decimal("99999.99")  # what the column holds
BUILD_YEAR_FIRST = 1900
BUILD_YEARS_AHEAD = 5  # a flat sold off the plan is built within a few years
ROOMS_MOST = 20
HALLS_MOST = 10
BATHS_MOST = 10


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def _range(label: str, low: int, high: int) -> Problem:
    return Problem(
        "number_out_of_range",
        _("%(label)s应在 %(low)s 到 %(high)s 之间。") % {"label": label, "low": low, "high": high},
    )


def flat_problems(
    *,
    floor: int | None,
    total_floors: int | None,
    area: Decimal | None,
    inner_area: Decimal | None = None,
    build_year: int | None = None,
    rooms: int | None = None,
    halls: int | None = None,
    baths: int | None = None,
    today: dt.date,
) -> list[Problem]:
    """Every rule the given facts break, in the order a form shows the fields."""
    problems: list[Problem] = []
    if total_floors is not None and not 1 <= total_floors <= FLOORS_MOST:
        problems.append(_range(_("总楼层"), 1, FLOORS_MOST))
    elif floor is not None:
        if floor == 0:
            problems.append(Problem("floor_zero", _("所在楼层不能为 0（地下层请填负数）。")))
        elif not FLOOR_LOWEST <= floor <= FLOORS_MOST:
            problems.append(_range(_("所在楼层"), FLOOR_LOWEST, FLOORS_MOST))
        elif total_floors is not None and floor > total_floors:
            problems.append(
                Problem(
                    "floor_above_total",
                    _("所在楼层不能高于总楼层（%(floor)d 层，总 %(total)d 层）。")
                    % {"floor": floor, "total": total_floors},
                )
            )
    # Labels are translated only for a problem: an import checks every row.
    for label, value in ((gettext_noop("建筑面积"), area), (gettext_noop("套内面积"), inner_area)):
        if value is not None and value <= 0:
            problems.append(Problem("area_invalid", _("%(label)s必须大于 0。") % {"label": _(label)}))
        elif value is not None and value > AREA_MOST:
            problems.append(
                Problem(
                    "area_invalid",
                    _("%(label)s %(value)s㎡ 超出范围。") % {"label": _(label), "value": value},
                )
            )
    if area is not None and inner_area is not None and 0 < area < inner_area:
        problems.append(Problem("inner_area_too_big", _("套内面积不能大于建筑面积。")))
    if build_year is not None and not BUILD_YEAR_FIRST <= build_year <= today.year + BUILD_YEARS_AHEAD:
        problems.append(_range(_("建成年份"), BUILD_YEAR_FIRST, today.year + BUILD_YEARS_AHEAD))
    for label, count, most in (
        (gettext_noop("室"), rooms, ROOMS_MOST),
        (gettext_noop("厅"), halls, HALLS_MOST),
        (gettext_noop("卫"), baths, BATHS_MOST),
    ):
        if count is not None and not 0 <= count <= most:
            problems.append(_range(_(label), 0, most))
    return problems
