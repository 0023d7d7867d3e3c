"""Transaction costs (交易税费) of a second-hand home sale by the rules in force on a day: pure Decimal.

Every rate comes from the rule book (``rules.py``); every amount is rounded half-up to the fen
once, where it is computed. The price is the contract price including VAT. When the seller pays
VAT, the deed tax and the assessed income tax are computed on the price without it (when the rule
says ``base_excludes_vat``); when the sale is exempt, on the full price.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core.errors import ApplicationError
from anju.core.formats import join_list, to_fen
from anju.finance.rules import Rule, RuleBook, RuleRef
from anju.finance.wording import chinese_years, money_text, percent, whole_yuan

RESIDENTIAL, NON_RESIDENTIAL = "residential", "non_residential"
PROPERTY_TYPES = (RESIDENTIAL, NON_RESIDENTIAL)
DISTRICT_TYPES = ("city", "county", "other")
PAYERS = ("buyer", "seller", "split")
ITEM_CODES = ("deed_tax", "vat", "vat_surcharges", "income_tax", "registration_fee", "commission")
# How close to 满二/满五 a seller must be for the page to suggest waiting (days).
ADVICE_WINDOW_DAYS = 180
ZERO = Decimal("0.00")


class InvalidInput(ApplicationError):
    """Figures that cannot describe a sale or a loan; nothing is calculated."""

    code = "input_invalid"
    status = 422


@dataclass(frozen=True)
class Sale:
    """What the calculation needs to know about a sale; money in yuan, area in ㎡."""

    city: str
    price: Decimal
    area: Decimal
    as_of: dt.date
    district_type: str = "city"
    property_type: str = RESIDENTIAL
    buyer_home_count: int = 1  # after this purchase; 3 means three or more
    seller_acquired_on: dt.date | None = None
    seller_years_held: Decimal | None = None
    seller_original_price: Decimal | None = None
    seller_only_home: bool = False
    commission_rate: Decimal | None = None
    commission_payer: str | None = None


@dataclass(frozen=True)
class CostItem:
    code: str
    name: str
    payer: str  # buyer, seller or split
    base: Decimal | None
    rate: Decimal | None
    amount: Decimal
    reason: str
    notes: tuple[str, ...]
    rules: tuple[RuleRef, ...]  # the item's own rule first

    @property
    def rule(self) -> RuleRef:
        return self.rules[0]

    @property
    def verified(self) -> bool:
        return all(r.verified for r in self.rules)


@dataclass(frozen=True)
class Totals:
    buyer: Decimal
    seller: Decimal

    @property
    def total(self) -> Decimal:
        return self.buyer + self.seller


@dataclass(frozen=True)
class Costs:
    sale: Sale
    city: str
    items: tuple[CostItem, ...]
    totals: Totals
    notes: tuple[str, ...]  # the advice first
    advice: tuple[str, ...] = ()  # 再持有N天满二年…: what waiting would save

    @property
    def other_notes(self) -> tuple[str, ...]:
        return tuple(n for n in self.notes if n not in self.advice)

    def item(self, code: str) -> CostItem:
        return next(i for i in self.items if i.code == code)


# --- holding periods (满二, 满五) ---------------------------------------------------------------


def anniversary(day: dt.date, years: int) -> dt.date | None:
    """The day ``years`` full years after ``day`` (29 February → 1 March), None past year 9999."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        if day.month == 2 and day.day == 29 and day.year + years <= dt.MAXYEAR:
            return dt.date(day.year + years, 3, 1)
        return None


def held_at_least(sale: Sale, years: int) -> bool:
    """Whether the seller has held the home ``years`` full years on the calculation day."""
    if sale.seller_acquired_on is not None:
        when = anniversary(sale.seller_acquired_on, years)
        return when is not None and sale.as_of >= when
    if sale.seller_years_held is not None:
        return sale.seller_years_held >= years
    return False


def reaching(sale: Sale, years: int) -> tuple[int, Sale] | None:
    """Days until the seller has held ``years`` years, and the same sale on that day; None if unknown or past."""
    if sale.seller_acquired_on is not None:
        when = anniversary(sale.seller_acquired_on, years)
        if when is None or when <= sale.as_of:
            return None
        return (when - sale.as_of).days, replace(sale, as_of=when)
    if sale.seller_years_held is not None and sale.seller_years_held < years:
        # Only a number of years is known: a year counts as 365 days.
        days = math.ceil((years - sale.seller_years_held) * 365)
        try:
            when = sale.as_of + dt.timedelta(days=days)
        except OverflowError:
            return None
        return days, replace(sale, as_of=when, seller_years_held=Decimal(years))
    return None


# --- the items ---------------------------------------------------------------------------


def _item(
    code: str,
    payer: str,
    amount: Decimal,
    reason: str,
    rules: tuple[RuleRef, ...],
    *,
    base: Decimal | None = None,
    rate: Decimal | None = None,
    notes: tuple[str, ...] = (),
) -> CostItem:
    names = {
        "deed_tax": _("契税"),
        "vat": _("增值税"),
        "vat_surcharges": _("增值税附加"),
        "income_tax": _("个人所得税"),
        "registration_fee": _("登记费"),
        "commission": _("经纪服务费"),
    }
    return CostItem(
        code=code,
        name=names[code],
        payer=payer,
        base=base,
        rate=rate,
        amount=to_fen(amount),
        reason=reason,
        notes=notes,
        rules=rules,
    )


def _vat(sale: Sale, rule: Rule) -> CostItem:
    years = rule.years("exempt_after_years")
    rate = rule.rate("rate")
    on = sale.as_of
    if sale.property_type == NON_RESIDENTIAL:
        reason = _("非住宅的增值税按差额或核定征收，本计算未计入，请以税务机关核定为准。")
        return _item("vat", "seller", ZERO, reason, (rule.ref(on),))
    if held_at_least(sale, years):
        reason = _("满%(years)s年，免征增值税") % {"years": chinese_years(years)}
        return _item("vat", "seller", ZERO, reason, (rule.ref(on, {"exempt_after_years"}),))
    vat = to_fen(sale.price * rate / (1 + rate))
    reason = _("未满%(years)s年：含税价 ÷ (1 + %(rate)s) × %(rate)s") % {
        "years": chinese_years(years),
        "rate": percent(rate),
    }
    return _item(
        "vat",
        "seller",
        vat,
        reason,
        (rule.ref(on, {"rate", "exempt_after_years"}),),
        base=sale.price - vat,
        rate=rate,
    )


DISTRICT_LABELS = {
    "city": gettext_lazy("市区"),
    "county": gettext_lazy("县城、镇"),
    "other": gettext_lazy("其他地区"),
}


def _surcharges(sale: Sale, vat: CostItem, rule: Rule, relief: Rule | None) -> CostItem:
    on = sale.as_of
    urban_key = f"urban_{sale.district_type}"
    urban, education, local = rule.rate(urban_key), rule.rate("education"), rule.rate("local_education")
    full = urban + education + local
    rate = full * relief.rate("factor") if relief else full
    refs: tuple[RuleRef, ...] = (rule.ref(on, {urban_key, "education", "local_education"}),)
    if vat.amount == 0:
        return _item("vat_surcharges", "seller", ZERO, _("不缴增值税，附加税费为 0"), refs)
    if relief:
        refs += (relief.ref(on, {"factor"}),)
    reason = _(
        "城市维护建设税%(urban)s（%(district)s）+ 教育费附加%(education)s + 地方教育附加%(local)s = %(full)s"
    ) % {
        "urban": percent(urban),
        "district": DISTRICT_LABELS[sale.district_type],
        "education": percent(education),
        "local": percent(local),
        "full": percent(full),
    }
    if relief:
        reason += _("；%(relief)s后为%(rate)s") % {"relief": relief.name, "rate": percent(rate)}
    return _item(
        "vat_surcharges",
        "seller",
        vat.amount * rate,
        reason + _("，以增值税额为计税依据"),
        refs,
        base=vat.amount,
        rate=rate,
    )


def _taxable(sale: Sale, rule: Rule, vat: CostItem) -> tuple[Decimal, set[str], str]:
    """The price a tax is computed on, the parameters that decided it, and how to call it."""
    if rule.flag("base_excludes_vat") and vat.amount > 0:
        return sale.price - vat.amount, {"base_excludes_vat"}, _("不含增值税价")
    return sale.price, set(), _("成交价")


def _deed_tax(sale: Sale, rule: Rule, vat: CostItem) -> CostItem:
    threshold = rule.money("area_threshold")
    small = sale.area <= threshold
    area_text = (_("面积≤%(area)s㎡") if small else _("面积>%(area)s㎡")) % {"area": f"{threshold:f}"}
    if sale.property_type == NON_RESIDENTIAL:
        param, who = "non_residential", _("非住宅")
    elif sale.buyer_home_count >= 3:
        param, who = "third_home", _("买方家庭第三套及以上住房")
    elif sale.buyer_home_count == 2:
        param, who = f"second_home_{'small' if small else 'large'}", _("买方家庭第二套住房，") + area_text
    else:
        param, who = f"only_home_{'small' if small else 'large'}", _("买方家庭唯一住房，") + area_text
    base, used, base_text = _taxable(sale, rule, vat)
    rate = rule.rate(param)
    reason = _("%(who)s，按%(base)s的%(rate)s计征") % {"who": who, "base": base_text, "rate": percent(rate)}
    refs = (rule.ref(sale.as_of, {param, "area_threshold", *used}),)
    return _item("deed_tax", "buyer", base * rate, reason, refs, base=base, rate=rate)


def _income_tax(sale: Sale, rule: Rule, city: str, vat: CostItem, surcharges: CostItem) -> CostItem:
    on = sale.as_of
    years = rule.years("exempt_after_years")
    residential = sale.property_type == RESIDENTIAL
    if residential and sale.seller_only_home and held_at_least(sale, years):
        reason = _("满%(years)s年且为卖方家庭唯一住房（满%(years)s唯一），免征个人所得税") % {
            "years": chinese_years(years)
        }
        return _item("income_tax", "seller", ZERO, reason, (rule.ref(on, {"exempt_after_years"}),))
    base, used, base_text = _taxable(sale, rule, vat)
    assessed_rate = rule.rate("assessed_rate")
    assessed = to_fen(base * assessed_rate)
    original = sale.seller_original_price
    if original is None:
        if not residential:
            reason = _("非住宅未提供原值，个人所得税由税务机关核定，本计算未计入。")
            return _item("income_tax", "seller", ZERO, reason, (rule.ref(on),))
        reason = _("未提供房屋原值，按%(base)s的%(rate)s核定征收") % {
            "base": base_text,
            "rate": percent(assessed_rate),
        }
        refs = (rule.ref(on, {"assessed_rate", *used}),)
        return _item("income_tax", "seller", assessed, reason, refs, base=base, rate=assessed_rate)
    gain_rate = rule.rate("gain_rate")
    gain = max(base - original - surcharges.amount, ZERO)
    by_gain = to_fen(gain * gain_rate)
    gain_text = _(
        "按差额%(rate)s计：(%(base)s %(price)s − 原值 %(original)s − 附加税费 %(surcharges)s) × %(rate)s = %(amount)s元"
        "（原购房契税、合理费用可凭票据另行扣除，未计入）"
    ) % {
        "rate": percent(gain_rate),
        "base": base_text,
        "price": money_text(base),
        "original": money_text(original),
        "surcharges": money_text(surcharges.amount),
        "amount": money_text(by_gain),
    }
    assessed_text = _("按核定征收%(rate)s计：%(amount)s元") % {
        "rate": percent(assessed_rate),
        "amount": money_text(assessed),
    }
    if rule.text("method_when_original_known") == "gain" or not residential:
        reason = _("提供原值凭证时，%(city)s按差额的%(rate)s征收") % {
            "city": city,
            "rate": percent(gain_rate),
        }
        refs = (rule.ref(on, {"gain_rate", "method_when_original_known", *used}),)
        notes = (gain_text, _("另一算法：") + assessed_text)
        return _item("income_tax", "seller", by_gain, reason, refs, base=gain, rate=gain_rate, notes=notes)
    reason = _("%(city)s按核定征收，差额算法仅供对比") % {"city": city}
    refs = (rule.ref(on, {"assessed_rate", "method_when_original_known", *used}),)
    notes = (assessed_text, _("另一算法：") + gain_text)
    return _item("income_tax", "seller", assessed, reason, refs, base=base, rate=assessed_rate, notes=notes)


def _registration_fee(sale: Sale, rule: Rule) -> CostItem:
    param = "residential" if sale.property_type == RESIDENTIAL else "non_residential"
    fee = rule.money(param)
    kind = _("住宅") if param == "residential" else _("非住宅")
    reason = _("%(kind)s每件%(fee)s元") % {"kind": kind, "fee": f"{fee.normalize():f}"}
    return _item("registration_fee", "buyer", fee, reason, (rule.ref(sale.as_of, {param}),))


PAYER_LABELS = {
    "buyer": gettext_lazy("买方支付"),
    "seller": gettext_lazy("卖方支付"),
    "split": gettext_lazy("买卖双方各付一半"),
}


def _commission(sale: Sale, rule: Rule) -> CostItem:
    used = set()
    rate = sale.commission_rate
    if rate is None:
        rate, used = rule.rate("default_rate"), {"default_rate"}
    payer = sale.commission_payer
    if payer is None:
        payer = rule.text("default_payer")
        used.add("default_payer")
    reason = _("成交价 × %(rate)s，%(payer)s") % {"rate": percent(rate), "payer": PAYER_LABELS[payer]}
    if "default_rate" in used:
        reason += _("（本公司默认费率）")
    refs = (rule.ref(sale.as_of, used),)
    return _item("commission", payer, sale.price * rate, reason, refs, base=sale.price, rate=rate)


def _totals(items: tuple[CostItem, ...]) -> Totals:
    buyer = seller = ZERO
    for item in items:
        if item.payer == "buyer":
            buyer += item.amount
        elif item.payer == "seller":
            seller += item.amount
        else:
            half = to_fen(item.amount / 2)
            buyer += half
            seller += item.amount - half
    return Totals(buyer=buyer, seller=seller)


def check_sale(sale: Sale) -> None:
    """The checks no schema can make alone; InvalidInput in plain Chinese."""
    if sale.price <= 0 or sale.area <= 0:
        raise InvalidInput(_("成交价和面积都必须大于 0。"))
    if sale.district_type not in DISTRICT_TYPES or sale.property_type not in PROPERTY_TYPES:
        raise InvalidInput(_("区域类型或房屋类型不正确。"))
    if sale.buyer_home_count not in (1, 2, 3):
        raise InvalidInput(_("买方家庭住房套数应为 1、2 或 3（3 表示三套及以上）。"))
    if sale.seller_acquired_on is not None and sale.seller_acquired_on > sale.as_of:
        raise InvalidInput(_("卖方取得房屋的日期不能晚于计算日期。"))
    if sale.commission_payer is not None and sale.commission_payer not in PAYERS:
        raise InvalidInput(_("佣金支付方应为买方、卖方或双方各半。"))


def transaction_costs(sale: Sale, book: RuleBook, *, advise: bool = True) -> Costs:
    """Every item, who pays it and why, the totals per side, and notes (timing advice, unverified rules)."""
    check_sale(sale)
    city = book.city(sale.city)
    on = sale.as_of

    def rule(item: str) -> Rule:
        return book.in_force(item, city=city, on=on)

    vat_rule, income_rule = rule("vat"), rule("income_tax")
    vat = _vat(sale, vat_rule)
    surcharges = _surcharges(
        sale, vat, rule("vat_surcharges"), book.find("vat_surcharges_relief", city=city, on=on)
    )
    items = (
        _deed_tax(sale, rule("deed_tax"), vat),
        vat,
        surcharges,
        _income_tax(sale, income_rule, city, vat, surcharges),
        _registration_fee(sale, rule("registration_fee")),
        _commission(sale, rule("commission")),
    )
    costs = Costs(sale=replace(sale, city=city), city=city, items=items, totals=_totals(items), notes=())
    advice = (
        _advice(costs, book, vat_rule.years("exempt_after_years"), income_rule.years("exempt_after_years"))
        if advise
        else []
    )
    notes = list(advice)
    if sale.seller_acquired_on is None and sale.seller_years_held is None:
        notes.append(
            _("未提供卖方取得日期或持有年限，按未满%(years)s年计算。")
            % {"years": chinese_years(vat_rule.years("exempt_after_years"))}
        )
    if sale.property_type == NON_RESIDENTIAL:
        notes.append(_("非住宅的增值税、个人所得税多按差额计征或由税务机关核定，以上合计未全部计入。"))
    notes += _unverified_notes(items)
    return replace(costs, notes=tuple(notes), advice=tuple(advice))


def _unverified_notes(items: tuple[CostItem, ...]) -> list[str]:
    notes, seen = [], set()
    for item in items:
        for ref in item.rules:
            if ref.verified or ref.id in seen:
                continue
            seen.add(ref.id)
            notes.append(
                _("%(item)s所用规则“%(name)s”未经核实：%(note)s结果仅供参考。")
                % {"item": item.name, "name": ref.name, "note": ref.note or ref.source + "。"}
            )
    return notes


def _advice(now: Costs, book: RuleBook, vat_years: int, income_years: int) -> list[str]:
    """再持有N天满二年，可免增值税及附加约X元: the saving from waiting, by the same calculation on that day."""
    sale = now.sale
    if sale.property_type != RESIDENTIAL:
        return []
    thresholds: list[tuple[int, tuple[str, ...], str]] = [
        (vat_years, ("vat", "vat_surcharges"), _("增值税及附加"))
    ]
    if sale.seller_only_home:
        thresholds.append((income_years, ("income_tax",), _("个人所得税")))
    notes = []
    for years, codes, label in thresholds:
        reach = reaching(sale, years)
        if reach is None or reach[0] > ADVICE_WINDOW_DAYS:
            continue
        days, later_sale = reach
        try:
            later = transaction_costs(later_sale, book, advise=False)
        except ApplicationError:  # no rules in force on that day yet
            continue
        saving = sum((now.item(c).amount - later.item(c).amount for c in codes), ZERO)
        if saving <= 0:
            continue
        note = _("再持有%(days)s天满%(years)s年，可免%(what)s约%(amount)s元") % {
            "days": days,
            "years": chinese_years(years),
            "what": label,
            "amount": whole_yuan(saving),
        }
        others = now.totals.total - later.totals.total - saving
        changed = [
            now.item(c).name
            for c in ITEM_CODES
            if c not in codes and now.item(c).amount != later.item(c).amount
        ]
        if changed and abs(others) >= 1:
            note += _("；届时%(items)s随之%(direction)s约%(amount)s元") % {
                "items": join_list(changed),
                "direction": _("减少") if others > 0 else _("增加"),
                "amount": whole_yuan(abs(others)),
            }
        notes.append(note)
    return notes
