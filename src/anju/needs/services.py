"""Writes for needs (需求).

Every write first checks that the agent may change the client's records (``ensure_may_write``:
the owner, the manager of the client's store, an administrator; a pool client must be claimed
first). Input is checked as a whole before anything is written, so a refused request changes
nothing; money that is almost surely in the wrong unit (万 typed as 元, a total price typed as a
monthly rent) is refused with a message that says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.announcements import ClientsMerged
from anju.clients.models import Client
from anju.clients.selectors import ensure_may_write
from anju.core.announcements import announce
from anju.core.errors import ApplicationError, ConflictError, IllegalTransition
from anju.core.formats import FEN, WAN, join_list
from anju.core.text import clean_text
from anju.geo.models import BusinessArea, Community, District, SchoolLevel
from anju.listings.models import Orientation, Property
from anju.needs.announcements import NeedsChanged
from anju.needs.models import Need, NeedKind, NeedStatus
from anju.org.models import Agent

# Sanity bounds that catch unit mistakes; they are not policy, only "no real need looks like this".
BUY_BUDGET_MIN = WAN  # a total price under 1万元 is a price typed in 万
BUY_BUDGET_MAX = Decimal("10000000000")  # 100亿元
RENT_BUDGET_MIN = Decimal("100")  # a monthly rent under 100元 is a rent typed in 万 (or per day)
RENT_BUDGET_MAX = Decimal("200000")  # a monthly rent over 20万元 is a total or yearly price
AREA_MAX = Decimal("10000")
MONTHLY_MEANS_MIN = Decimal("100")  # a monthly income or payment under 100元 is one typed in 万
MONTHLY_MEANS_MAX = Decimal("100000000")  # 1亿元 a month
TEXT_MAX = 1000

# Which fields belong to which kind of need. Values outside a kind's fields are refused, not dropped.
PREFERENCE_FIELDS = (
    "budget_min",
    "budget_max",
    "rooms_min",
    "rooms_max",
    "halls_min",
    "baths_min",
    "area_min",
    "area_max",
    "school_required",
    "school_level",
    "floor_min",
    "floor_max",
    "orientations",
    "elevator_required",
    "build_year_min",
    "must_haves",
    "nice_to_haves",
    "district_ids",
    "business_area_ids",
    "community_ids",
)
MEANS_FIELDS = ("down_payment_cash", "monthly_income", "monthly_debts")
BUY_FIELDS = (*PREFERENCE_FIELDS, "purpose", "first_home", "payment", *MEANS_FIELDS)
RENT_FIELDS = (*PREFERENCE_FIELDS, "move_in_on", "lease_months")
OFFER_FIELDS = ("property_id", "expected_price", "reason", "condition", "earliest_handover_on")
FIELDS_OF_KIND: dict[str, tuple[str, ...]] = {
    NeedKind.BUY: BUY_FIELDS,
    NeedKind.RENT: RENT_FIELDS,
    NeedKind.SELL: OFFER_FIELDS,
    NeedKind.LET: OFFER_FIELDS,
}
ALL_FIELDS = frozenset(BUY_FIELDS) | frozenset(RENT_FIELDS) | frozenset(OFFER_FIELDS)
PLACE_FIELDS = {
    "district_ids": "districts",
    "business_area_ids": "business_areas",
    "community_ids": "communities",
}

# The status a need may move to from each status; fulfilled (已成交) is final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    NeedStatus.ACTIVE: (NeedStatus.PAUSED, NeedStatus.FULFILLED, NeedStatus.GIVEN_UP),
    NeedStatus.PAUSED: (NeedStatus.ACTIVE, NeedStatus.FULFILLED, NeedStatus.GIVEN_UP),
    NeedStatus.GIVEN_UP: (NeedStatus.ACTIVE,),
    NeedStatus.FULFILLED: (),
}


def allowed_transitions(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


@transaction.atomic
def need_create(*, agent: Agent, client: Client, kind: str, fields: Mapping[str, Any]) -> Need:
    """A new need of ``client``, recorded by ``agent``; ``fields`` are those of ``kind`` (ids for places)."""
    ensure_may_write(agent, client)
    if kind not in NeedKind.values:
        raise ApplicationError(_("需求类型只能是购房、租房、售房或出租。"), code="kind_invalid")
    _refuse_unknown(fields)
    clean = _validated(kind=kind, client=client, values=dict(fields))
    places = {name: clean.pop(name) for name in PLACE_FIELDS if name in clean}
    prop = clean.pop("property", None)
    _refuse_duplicate_offer(kind=kind, client=client, prop=prop, need_id=None)
    need = Need(company_id=client.company_id, client=client, agent=agent, kind=kind, property=prop, **clean)
    need._history_user = agent.user  # type: ignore[attr-defined]
    need.save()
    _set_places(need, places)
    _announce(need)
    return need


@transaction.atomic
def need_update(*, agent: Agent, need: Need, fields: Mapping[str, Any]) -> Need:
    """Changes the given fields; the others keep their values. The kind of a need does not change."""
    ensure_may_write(agent, need.client)
    if "kind" in fields and fields["kind"] != need.kind:
        raise ApplicationError(_("需求类型不能修改；如客户需求变了，请新建一条需求。"), code="kind_fixed")
    _refuse_unknown({k: v for k, v in fields.items() if k != "kind"})
    if need.status == NeedStatus.FULFILLED:
        raise ApplicationError(_("已成交的需求不能再修改。"), code="need_closed")
    merged = {name: _current(need, name) for name in FIELDS_OF_KIND[need.kind] if name not in PLACE_FIELDS}
    merged.update({k: v for k, v in fields.items() if k != "kind"})
    clean = _validated(kind=need.kind, client=need.client, values=merged)
    places = {name: clean.pop(name) for name in PLACE_FIELDS if name in clean}
    if "property" in clean:
        _refuse_duplicate_offer(kind=need.kind, client=need.client, prop=clean["property"], need_id=need.pk)
    for name, value in clean.items():
        setattr(need, name, value)
    need._history_user = agent.user  # type: ignore[attr-defined]
    need.save()
    _set_places(need, places)
    _announce(need)
    return need


@transaction.atomic
def need_set_status(*, agent: Agent, need: Need, status: str, reason: str = "") -> Need:
    """Moves a need to ``status`` when its current status allows it; ``reason`` goes into the history."""
    ensure_may_write(agent, need.client)
    current = Need.objects.select_for_update().values_list("status", flat=True).get(pk=need.pk)
    if status not in NeedStatus.values:
        raise ApplicationError(_("需求状态不正确。"), code="status_invalid")
    if status == current:
        raise IllegalTransition(
            _("需求已经是“%(current)s”。") % {"current": NeedStatus(current).label}, code="same_status"
        )
    if status not in allowed_transitions(current):
        raise IllegalTransition(
            _("需求当前为“%(current)s”，不能改为“%(target)s”。")
            % {"current": NeedStatus(current).label, "target": NeedStatus(status).label}
        )
    need.status = status
    need._history_user = agent.user  # type: ignore[attr-defined]
    need._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]
    need.save(update_fields=["status"])
    _announce(need)
    return need


def _announce(need: Need) -> None:
    announce(NeedsChanged(company_id=need.company_id, need_ids=(need.pk,)))


def needs_follow_merge(news: ClientsMerged) -> None:
    """The merged duplicate's needs become the kept client's (a listener of ``ClientsMerged``)."""
    moved = Need.objects.filter(client_id=news.merged_id)
    ids = tuple(moved.order_by("pk").values_list("pk", flat=True))
    moved.update(client_id=news.keep_id)
    announce(NeedsChanged(company_id=news.company_id, need_ids=ids))


def _refuse_unknown(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - ALL_FIELDS
    if unknown:
        raise TypeError(f"unknown need fields: {sorted(unknown)}")


def _current(need: Need, name: str) -> Any:
    return getattr(need, name)


def _empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == [] or value == ()


def _validated(*, kind: str, client: Client, values: dict[str, Any]) -> dict[str, Any]:
    """Model field values for a need of ``kind``; raises on the first thing that is wrong."""
    foreign = sorted(
        name for name, value in values.items() if name not in FIELDS_OF_KIND[kind] and not _empty(value)
    )
    if foreign:
        raise ApplicationError(
            _("“%(kind)s”需求不填写这些内容：%(fields)s。")
            % {"kind": NeedKind(kind).label, "fields": join_list(_field_label(f) for f in foreign)},
            code="field_not_for_kind",
        )
    values = {k: v for k, v in values.items() if k in FIELDS_OF_KIND[kind]}
    clean: dict[str, Any] = {}
    if kind in (NeedKind.BUY, NeedKind.RENT):
        clean.update(_preferences(kind, values, company_id=client.company_id))
    else:
        clean.update(_offer(kind, values, client=client))
    return clean


def _preferences(kind: str, values: dict[str, Any], *, company_id: int) -> dict[str, Any]:
    monthly = kind == NeedKind.RENT
    clean: dict[str, Any] = {}
    for name in ("budget_min", "budget_max"):
        if name in values:
            clean[name] = _money(values[name], monthly=monthly, label=_field_label(name))
    _ordered(clean.get("budget_min"), clean.get("budget_max"), _("预算下限不能高于预算上限。"))
    for name in ("area_min", "area_max"):
        if name in values:
            clean[name] = _area(values[name], label=_field_label(name))
    _ordered(clean.get("area_min"), clean.get("area_max"), _("面积下限不能大于面积上限。"))
    limits = {"rooms_min": 20, "rooms_max": 20, "halls_min": 10, "baths_min": 10}
    for name, most in limits.items():
        if name in values:
            clean[name] = _whole(values[name], low=0, high=most, label=_field_label(name))
    _ordered(clean.get("rooms_min"), clean.get("rooms_max"), _("最少几室不能大于最多几室。"))
    for name in ("floor_min", "floor_max"):
        if name in values:
            clean[name] = _whole(values[name], low=-5, high=200, label=_field_label(name))
    _ordered(clean.get("floor_min"), clean.get("floor_max"), _("最低楼层不能高于最高楼层。"))
    if "build_year_min" in values:
        this_year = timezone.localdate().year
        clean["build_year_min"] = _whole(
            values["build_year_min"], low=1900, high=this_year + 5, label=_field_label("build_year_min")
        )
    if "school_required" in values:
        clean["school_required"] = bool(values["school_required"])
    if "school_level" in values:
        level = values["school_level"] or ""
        if level and level not in SchoolLevel.values:
            raise ApplicationError(_("学段只能是幼儿园、小学或初中。"), code="school_level_invalid")
        clean["school_level"] = level
        if level:
            clean["school_required"] = True
    if "elevator_required" in values:
        clean["elevator_required"] = bool(values["elevator_required"])
    if "orientations" in values:
        clean["orientations"] = _orientations(values["orientations"] or [])
    for name in ("must_haves", "nice_to_haves"):
        if name in values:
            clean[name] = _text(values[name], most=TEXT_MAX, label=_field_label(name))
    for name in PLACE_FIELDS:
        if name in values:
            clean[name] = _place_ids(name, values[name] or [], company_id=company_id)
    if kind == NeedKind.BUY:
        clean.update(_buy_terms(values))
    else:
        if "move_in_on" in values:
            clean["move_in_on"] = values["move_in_on"]
        if "lease_months" in values:
            clean["lease_months"] = _whole(
                values["lease_months"], low=1, high=120, label=_field_label("lease_months")
            )
    return clean


def _buy_terms(values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "purpose" in values:
        purpose = values["purpose"] or ""
        if purpose not in ("", "own", "invest"):
            raise ApplicationError(_("用途只能是自住或投资。"), code="purpose_invalid")
        clean["purpose"] = purpose
    if "payment" in values:
        payment = values["payment"] or ""
        if payment not in ("", "loan", "full"):
            raise ApplicationError(_("付款方式只能是贷款或全款。"), code="payment_invalid")
        clean["payment"] = payment
    if "first_home" in values:
        clean["first_home"] = None if values["first_home"] is None else bool(values["first_home"])
    for name in MEANS_FIELDS:
        if name in values:
            clean[name] = _means(values[name], monthly=name != "down_payment_cash", label=_field_label(name))
    return clean


def _offer(kind: str, values: dict[str, Any], *, client: Client) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    property_id = values.get("property_id")
    if property_id is None:
        raise ApplicationError(
            _("“%(kind)s”需求必须选择客户的房屋。") % {"kind": NeedKind(kind).label}, code="property_required"
        )
    prop = (
        Property.objects.select_related("community")
        .filter(company_id=client.company_id, pk=_int(property_id, label=_("房屋")))
        .first()
    )
    if prop is None:
        raise ApplicationError(_("没有找到该房屋。"), code="property_not_found")
    if prop.owner_id is not None and prop.owner_id != client.pk:
        raise ApplicationError(
            _("该房屋登记的业主是其他客户，不能作为此客户的“%(kind)s”需求。")
            % {"kind": NeedKind(kind).label},
            code="property_not_clients",
        )
    clean["property"] = prop
    if "expected_price" in values:
        clean["expected_price"] = _money(
            values["expected_price"], monthly=kind == NeedKind.LET, label=_field_label("expected_price")
        )
    if "reason" in values:
        clean["reason"] = _text(values["reason"], most=200, label=_field_label("reason"))
    if "condition" in values:
        clean["condition"] = _text(values["condition"], most=TEXT_MAX, label=_field_label("condition"))
    if "earliest_handover_on" in values:
        clean["earliest_handover_on"] = values["earliest_handover_on"]
    return clean


def _refuse_duplicate_offer(*, kind: str, client: Client, prop: Property | None, need_id: int | None) -> None:
    if prop is None:
        return
    open_needs = Need.objects.filter(
        client=client, kind=kind, property=prop, status__in=[NeedStatus.ACTIVE, NeedStatus.PAUSED]
    )
    if need_id is not None:
        open_needs = open_needs.exclude(pk=need_id)
    if open_needs.exists():
        raise ConflictError(
            _("该客户已有这套房屋未结束的“%(kind)s”需求，请修改那一条。") % {"kind": NeedKind(kind).label},
            code="duplicate_need",
        )


def _set_places(need: Need, places: Mapping[str, list[int]]) -> None:
    for name, ids in places.items():
        getattr(need, PLACE_FIELDS[name]).set(ids)


def _money(value: Any, *, monthly: bool, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    amount = _decimal(value, label=label)
    if amount <= 0:
        raise ApplicationError(_("%(label)s必须大于0。") % {"label": label}, code="amount_invalid")
    shown = _shown(amount)
    if monthly:
        if amount > RENT_BUDGET_MAX:
            raise ApplicationError(
                _("%(label)s按每月租金（元）填写：%(amount)s元/月过高，是否填成了总价或年租金？")
                % {"label": label, "amount": shown},
                code="rent_unit",
            )
        if amount < RENT_BUDGET_MIN:
            raise ApplicationError(
                _(
                    "%(label)s按每月租金（元）填写：%(amount)s元/月过低，是否按万元填写了？例如 4500元/月 应填 4500。"
                )
                % {"label": label, "amount": shown},
                code="rent_unit",
            )
    else:
        if amount < BUY_BUDGET_MIN:
            raise ApplicationError(
                _(
                    "%(label)s按总价（元）填写：%(amount)s元不足1万元，是否按万元填写了？例如 320万 应填 3200000。"
                )
                % {"label": label, "amount": shown},
                code="price_unit",
            )
        if amount > BUY_BUDGET_MAX:
            raise ApplicationError(
                _("%(label)s过大（%(amount)s元），请检查单位。") % {"label": label, "amount": shown},
                code="price_unit",
            )
    return amount


def _means(value: Any, *, monthly: bool, label: str) -> Decimal | None:
    """A buyer's cash (total, yuan) or monthly income or payment (yuan a month); 0 is a real answer."""
    if value is None or value == "":
        return None
    amount = _decimal(value, label=label)
    if amount < 0:
        raise ApplicationError(_("%(label)s不能为负数。") % {"label": label}, code="amount_invalid")
    low, high = (MONTHLY_MEANS_MIN, MONTHLY_MEANS_MAX) if monthly else (BUY_BUDGET_MIN, BUY_BUDGET_MAX)
    if 0 < amount < low:
        message = (
            _(
                "%(label)s按每月金额（元）填写：%(amount)s元/月过低，是否按万元填写了？例如 2万/月 应填 20000。"
            )
            if monthly
            else _("%(label)s按元填写：%(amount)s元不足1万元，是否按万元填写了？例如 80万 应填 800000。")
        )
        raise ApplicationError(message % {"label": label, "amount": _shown(amount)}, code="money_unit")
    if amount > high:
        raise ApplicationError(
            _("%(label)s过大（%(amount)s元），请检查单位。") % {"label": label, "amount": _shown(amount)},
            code="money_unit",
        )
    return amount


def _shown(amount: Decimal) -> str:
    return f"{amount:,.2f}".removesuffix(".00")


def _area(value: Any, *, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    area = _decimal(value, label=label)
    if area <= 0 or area > AREA_MAX:
        raise ApplicationError(
            _("%(label)s应在 0 到 %(most)s㎡ 之间。") % {"label": label, "most": AREA_MAX},
            code="area_invalid",
        )
    return area


def _decimal(value: Any, *, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(
            _("%(label)s不是有效的数字。") % {"label": label}, code="number_invalid"
        ) from exc
    if not number.is_finite():
        raise ApplicationError(_("%(label)s不是有效的数字。") % {"label": label}, code="number_invalid")
    return number.quantize(FEN)


def _int(value: Any, *, label: str) -> int:
    if isinstance(value, bool):
        raise ApplicationError(_("%(label)s不是有效的整数。") % {"label": label}, code="number_invalid")
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(
            _("%(label)s不是有效的整数。") % {"label": label}, code="number_invalid"
        ) from exc


def _whole(value: Any, *, low: int, high: int, label: str) -> int | None:
    if value is None or value == "":
        return None
    number = _int(value, label=label)
    if not low <= number <= high:
        raise ApplicationError(
            _("%(label)s应在 %(low)s 到 %(high)s 之间。") % {"label": label, "low": low, "high": high},
            code="out_of_range",
        )
    return number


def _ordered(low: Any, high: Any, message: str) -> None:
    if low is not None and high is not None and low > high:
        raise ApplicationError(message, code="range_invalid")


def _text(value: Any, *, most: int, label: str) -> str:
    return clean_text(value, label=label, multiline=True, most=most)


def _orientations(values: Iterable[Any]) -> list[str]:
    chosen: list[str] = []
    for value in values:
        if value not in Orientation.values:
            raise ApplicationError(
                _("朝向“%(value)s”不正确，可选：%(choices)s。")
                % {
                    "value": value,
                    "choices": join_list(f"{v}（{label}）" for v, label in Orientation.choices),
                },
                code="orientation_invalid",
            )
        if value not in chosen:
            chosen.append(value)
    return chosen


def _place_ids(name: str, values: Iterable[Any], *, company_id: int) -> list[int]:
    ids = list(dict.fromkeys(_int(v, label=_field_label(name)) for v in values))
    if not ids:
        return []
    found: set[int]
    if name == "district_ids":
        found = set(District.objects.filter(pk__in=ids).values_list("pk", flat=True))
        message = _("没有找到这些区县：%(ids)s。")
    elif name == "business_area_ids":
        found = set(BusinessArea.objects.filter(pk__in=ids).values_list("pk", flat=True))
        message = _("没有找到这些板块：%(ids)s。")
    else:
        found = set(Community.objects.filter(company_id=company_id, pk__in=ids).values_list("pk", flat=True))
        message = _("没有找到这些小区：%(ids)s。")
    missing = [i for i in ids if i not in found]
    if missing:
        raise ApplicationError(message % {"ids": join_list(str(i) for i in missing)}, code="place_not_found")
    return ids


def _field_label(name: str) -> str:
    """The form label of a field, for messages ("预算上限", not "budget_max")."""
    model_name = PLACE_FIELDS.get(name) or ("property" if name == "property_id" else name)
    labels = {
        "budget_min": _("预算下限"),
        "budget_max": _("预算上限"),
        "expected_price": _("心理价位"),
        "down_payment_cash": _("可用于首付的资金"),
        "monthly_income": _("家庭月收入"),
        "monthly_debts": _("每月其他还款"),
    }
    if name in labels:
        return str(labels[name])
    return str(getattr(Need._meta.get_field(model_name), "verbose_name", name))
