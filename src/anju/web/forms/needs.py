"""Forms for needs (需求) and follow-ups (跟进): the units agents use on screen, the services' units behind.

Buyers' budgets and sellers' prices are typed in 万元 and handed to the services in yuan; rents are
typed per month in yuan. Only the fields of the chosen kind are handed on, so values left in a
hidden section of the page (typed before switching kind) are not saved.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.clients.models import Client, InteractionKind
from anju.core.formats import WAN
from anju.geo.models import SchoolLevel
from anju.geo.selectors import business_areas_in, communities_by_name, districts_for_city_name
from anju.listings.models import Orientation, Property
from anju.listings.selectors import properties_of_seller
from anju.needs.models import Need, NeedKind
from anju.needs.services import ALL_FIELDS, FIELDS_OF_KIND
from anju.web.forms.base import DateInput, StyledFormMixin

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

NAME_SPLIT = re.compile(r"[、，,;；\s]+")


def _number(**attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "decimal", **attrs})


def _whole(**attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "numeric", **attrs})


def _money_field(label: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, max_digits=10, decimal_places=2, widget=_number())


def district_choices(company_city: str) -> list[tuple[int, str]]:
    """Districts of the agency's city (all districts when the city is not in the dictionary)."""
    return [(d.pk, d.name) for d in districts_for_city_name(company_city)]


def business_area_choices(district_ids: list[int]) -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for area in business_areas_in(district_ids):
        groups.setdefault(area.district.name, []).append((area.pk, area.name))
    return list(groups.items())


class NeedForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("需求类型"), choices=NeedKind.choices, widget=forms.RadioSelect
    )
    # 购房
    buy_budget_min = _money_field(gettext_lazy("预算下限（万元）"))
    buy_budget_max = _money_field(gettext_lazy("预算上限（万元）"))
    # 租房
    rent_budget_min = _money_field(gettext_lazy("月租金下限（元）"))
    rent_budget_max = _money_field(gettext_lazy("月租金上限（元）"))
    move_in_on = forms.DateField(label=gettext_lazy("入住日期"), required=False, widget=DateInput())
    lease_months = forms.IntegerField(label=gettext_lazy("租期（月）"), required=False, widget=_whole())
    # 购房与租房
    rooms_min = forms.IntegerField(label=gettext_lazy("最少几室"), required=False, widget=_whole())
    rooms_max = forms.IntegerField(label=gettext_lazy("最多几室"), required=False, widget=_whole())
    halls_min = forms.IntegerField(label=gettext_lazy("最少几厅"), required=False, widget=_whole())
    baths_min = forms.IntegerField(label=gettext_lazy("最少几卫"), required=False, widget=_whole())
    area_min = forms.DecimalField(
        label=gettext_lazy("面积下限（㎡）"), required=False, max_digits=8, decimal_places=2, widget=_number()
    )
    area_max = forms.DecimalField(
        label=gettext_lazy("面积上限（㎡）"), required=False, max_digits=8, decimal_places=2, widget=_number()
    )
    districts = forms.TypedMultipleChoiceField(
        label=gettext_lazy("意向区县"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    business_areas = forms.TypedMultipleChoiceField(
        label=gettext_lazy("意向板块"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    communities = forms.CharField(
        label=gettext_lazy("意向小区"),
        required=False,
        help_text=gettext_lazy("多个小区用顿号或逗号分开，用楼盘字典中的名称或别名。"),
    )
    school_required = forms.BooleanField(label=gettext_lazy("需要学区"), required=False)
    school_level = forms.ChoiceField(
        label=gettext_lazy("学段"), required=False, choices=[("", gettext_lazy("不限")), *SchoolLevel.choices]
    )
    purpose = forms.ChoiceField(
        label=gettext_lazy("用途"),
        required=False,
        choices=[("", gettext_lazy("未说")), ("own", gettext_lazy("自住")), ("invest", gettext_lazy("投资"))],
        widget=forms.RadioSelect,
    )
    first_home = forms.NullBooleanField(
        label=gettext_lazy("首套"),
        required=False,
        widget=forms.NullBooleanSelect(),
    )
    payment = forms.ChoiceField(
        label=gettext_lazy("付款方式"),
        required=False,
        choices=[("", gettext_lazy("未说")), ("loan", gettext_lazy("贷款")), ("full", gettext_lazy("全款"))],
        widget=forms.RadioSelect,
    )
    # 购房：买方的资金，用于需求分析中的购买力估算
    buy_down_payment_cash = _money_field(gettext_lazy("可用于首付的资金（万元）"))
    monthly_income = _money_field(gettext_lazy("家庭月收入（元）"))
    monthly_debts = _money_field(gettext_lazy("每月其他还款（元）"))
    floor_min = forms.IntegerField(label=gettext_lazy("最低楼层"), required=False, widget=_whole())
    floor_max = forms.IntegerField(label=gettext_lazy("最高楼层"), required=False, widget=_whole())
    orientations = forms.MultipleChoiceField(
        label=gettext_lazy("可接受朝向"),
        required=False,
        choices=Orientation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    elevator_required = forms.BooleanField(label=gettext_lazy("需要电梯"), required=False)
    build_year_min = forms.IntegerField(label=gettext_lazy("最早建成年份"), required=False, widget=_whole())
    must_haves = forms.CharField(
        label=gettext_lazy("必须满足"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    nice_to_haves = forms.CharField(
        label=gettext_lazy("最好满足"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # 售房与出租
    property: forms.ModelChoiceField[Property] = forms.ModelChoiceField(
        label=gettext_lazy("房屋"), required=False, queryset=None, empty_label="—"
    )
    sell_expected_price = _money_field(gettext_lazy("心理价位（万元）"))
    let_expected_price = _money_field(gettext_lazy("期望月租金（元）"))
    reason = forms.CharField(label=gettext_lazy("原因"), required=False, max_length=200)
    condition = forms.CharField(
        label=gettext_lazy("房屋情况"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    earliest_handover_on = forms.DateField(
        label=gettext_lazy("最早交房日期"), required=False, widget=DateInput()
    )

    # Which form fields each kind shows (the page hides the others).
    SECTIONS: dict[str, tuple[str, ...]] = {
        "buy_money": ("buy_budget_min", "buy_budget_max"),
        "rent_money": ("rent_budget_min", "rent_budget_max", "move_in_on", "lease_months"),
        "buy_terms": ("purpose", "first_home", "payment"),
        "buy_means": ("buy_down_payment_cash", "monthly_income", "monthly_debts"),
        "offer": (
            "property",
            "sell_expected_price",
            "let_expected_price",
            "reason",
            "condition",
            "earliest_handover_on",
        ),
    }

    def __init__(self, *args: Any, client: Client, need: Need | None = None, **kwargs: Any) -> None:
        self.client = client
        self.need = need
        if need is not None:
            kwargs.setdefault("initial", initial_of(need))
        super().__init__(*args, **kwargs)
        fields = self.fields
        if need is not None:
            # A need keeps its kind; the field stays so that the page knows which sections to show.
            fields["kind"].disabled = True
        districts = district_choices(client.company.city)
        cast_choices(fields["districts"], districts)
        cast_choices(fields["business_areas"], business_area_choices([pk for pk, _name in districts]))
        cast(forms.ModelChoiceField, fields["property"]).queryset = properties_of_seller(
            client, also_id=need.property_id if need is not None else None
        )
        cast(forms.NullBooleanSelect, fields["first_home"].widget).choices = [
            ("unknown", _("未说")),
            ("true", _("首套")),
            ("false", _("非首套")),
        ]

    def chosen_kind(self) -> str:
        if self.need is not None:
            return self.need.kind
        value = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        return value if value in NeedKind.values else ""

    def clean_communities(self) -> list[int]:
        names = [n for n in NAME_SPLIT.split(self.cleaned_data.get("communities") or "") if n]
        if not names:
            return []
        by_name = communities_by_name(company_id=self.client.company_id, names=names)
        missing = [n for n in names if n not in by_name]
        if missing:
            raise forms.ValidationError(
                _("楼盘字典中没有这些小区：%(names)s。") % {"names": "、".join(missing)}
            )
        return list(dict.fromkeys(by_name[n] for n in names))

    def need_fields(self) -> dict[str, Any]:
        """The service's fields for the chosen kind (yuan, ids), from a valid form."""
        data = self.cleaned_data
        kind = self.chosen_kind()
        values: dict[str, Any] = {}
        if kind == NeedKind.BUY:
            values["budget_min"] = _yuan_of_wan(data.get("buy_budget_min"))
            values["budget_max"] = _yuan_of_wan(data.get("buy_budget_max"))
            values["down_payment_cash"] = _yuan_of_wan(data.get("buy_down_payment_cash"))
        elif kind == NeedKind.RENT:
            values["budget_min"] = data.get("rent_budget_min")
            values["budget_max"] = data.get("rent_budget_max")
        elif kind == NeedKind.SELL:
            values["expected_price"] = _yuan_of_wan(data.get("sell_expected_price"))
        elif kind == NeedKind.LET:
            values["expected_price"] = data.get("let_expected_price")
        if kind in (NeedKind.SELL, NeedKind.LET):
            prop = data.get("property")
            values["property_id"] = prop.pk if prop is not None else None
        renamed = {
            "districts": "district_ids",
            "business_areas": "business_area_ids",
            "communities": "community_ids",
        }
        for name, value in data.items():
            target = renamed.get(name, name)
            if target in FIELDS_OF_KIND.get(kind, ()) and target not in values:
                values[target] = list(value) if isinstance(value, list | tuple) else value
        return values


def cast_choices(field: forms.Field, choices: list[Any]) -> None:
    cast(forms.ChoiceField, field).choices = choices


def _yuan_of_wan(value: Decimal | None) -> Decimal | None:
    return None if value is None else value * WAN


def _wan_of_yuan(value: Decimal | None) -> Decimal | None:
    # normalize() alone would write 320 as 3.2E+2 in the input.
    return None if value is None else Decimal(f"{(value / WAN).normalize():f}")


# The need's fields the form shows as they are stored; the rest are typed in other units (万),
# under a name per kind, or as places, and are set below.
INITIAL_FIELDS = (
    "kind",
    *sorted(name for name in ALL_FIELDS if name in NeedForm.base_fields and name != "orientations"),
)


def initial_of(need: Need) -> dict[str, Any]:
    """The form's values for an existing need (money back in the units typed)."""
    initial: dict[str, Any] = {name: getattr(need, name) for name in INITIAL_FIELDS}
    initial["orientations"] = list(need.orientations or [])
    initial["districts"] = [d.pk for d in need.districts.all()]
    initial["business_areas"] = [b.pk for b in need.business_areas.all()]
    initial["communities"] = "、".join(c.name for c in need.communities.all())
    initial["property"] = need.property_id
    if need.kind == NeedKind.BUY:
        initial["buy_budget_min"] = _wan_of_yuan(need.budget_min)
        initial["buy_budget_max"] = _wan_of_yuan(need.budget_max)
        initial["buy_down_payment_cash"] = _wan_of_yuan(need.down_payment_cash)
    elif need.kind == NeedKind.RENT:
        initial["rent_budget_min"] = need.budget_min
        initial["rent_budget_max"] = need.budget_max
    elif need.kind == NeedKind.SELL:
        initial["sell_expected_price"] = _wan_of_yuan(need.expected_price)
    else:
        initial["let_expected_price"] = need.expected_price
    return initial


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[])
    reason = forms.CharField(required=False, max_length=100)


def quick_follow_up_dates(today: dt.date) -> list[tuple[str, dt.date]]:
    """The one-tap choices under the date field."""
    return [
        (_("明天"), today + dt.timedelta(days=1)),
        (_("3天后"), today + dt.timedelta(days=3)),
        (_("1周后"), today + dt.timedelta(days=7)),
    ]


class InteractionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("方式"),
        choices=InteractionKind.choices,
        initial=InteractionKind.CALL,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=gettext_lazy("跟进内容"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": gettext_lazy("聊了什么、客户的反馈、下一步……")}
        ),
    )
    next_follow_up_on = forms.DateField(
        label=gettext_lazy("下次跟进"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("不填则保留已安排的下次跟进日期。"),
    )
    clear_next_follow_up = forms.BooleanField(label=gettext_lazy("不再安排跟进"), required=False)
    need = forms.TypedChoiceField(
        label=gettext_lazy("相关需求"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, client: Client, needs: list[Need] | None = None, **kwargs: Any) -> None:
        # Its own ids: the client page holds other forms too.
        kwargs.setdefault("auto_id", "interaction_%s")
        super().__init__(*args, **kwargs)
        self.client = client
        from anju.needs.text import need_summary

        open_needs = needs if needs is not None else list(client.needs.all())
        cast_choices(self.fields["need"], [("", "—"), *[(n.pk, need_summary(n)) for n in open_needs]])
        self.quick_dates = quick_follow_up_dates(timezone.localdate())
