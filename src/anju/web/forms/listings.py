"""Entering and editing a listing (房源录入, 修改): prices typed in 万元 for a sale, handed on in yuan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core.errors import ApplicationError
from anju.core.formats import WAN
from anju.geo.models import Community
from anju.geo.selectors import communities_visible
from anju.listings.models import (
    Decoration,
    ListingKind,
    Mandate,
    Orientation,
    TitleType,
    VerificationMethod,
)
from anju.listings.selectors import seller_by_mobile
from anju.org.models import Agent, Store
from anju.org.selectors import stores_of_company
from anju.web.forms.base import DateInput, StyledFormMixin


class _YesNoUnknown(forms.NullBooleanSelect):
    """是 / 否 / — (not known yet), keeping Django's mapping of True, False and None to the options."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", "—"), ("true", gettext_lazy("是")), ("false", gettext_lazy("否"))]


class ListingForm(StyledFormMixin, forms.Form):
    """房源录入 and 修改: the flat and the listing's terms; the address and price only on entry."""

    community: forms.ModelChoiceField[Community] = forms.ModelChoiceField(
        label=gettext_lazy("小区"), queryset=None
    )
    building = forms.CharField(label=gettext_lazy("楼栋"), max_length=20)
    unit = forms.CharField(label=gettext_lazy("单元"), max_length=10, required=False)
    room_number = forms.CharField(label=gettext_lazy("门牌号"), max_length=20)
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"),
        choices=ListingKind.choices,
        initial=ListingKind.SALE,
        widget=forms.RadioSelect,
    )
    price_wan = forms.DecimalField(
        label=gettext_lazy("售价（万元）"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    rent = forms.DecimalField(
        label=gettext_lazy("月租金（元）"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    area = forms.DecimalField(
        label=gettext_lazy("建筑面积（㎡）"), min_value=Decimal("0.01"), max_digits=7, decimal_places=2
    )
    inner_area = forms.DecimalField(
        label=gettext_lazy("套内面积（㎡）"),
        min_value=Decimal("0.01"),
        max_digits=7,
        decimal_places=2,
        required=False,
    )
    rooms = forms.IntegerField(label=gettext_lazy("室"), min_value=0, max_value=20, initial=2)
    halls = forms.IntegerField(label=gettext_lazy("厅"), min_value=0, max_value=10, initial=1)
    baths = forms.IntegerField(label=gettext_lazy("卫"), min_value=0, max_value=10, initial=1)
    floor = forms.IntegerField(label=gettext_lazy("所在楼层"), min_value=-5, max_value=200)
    total_floors = forms.IntegerField(label=gettext_lazy("总楼层"), min_value=1, max_value=200)
    orientation = forms.ChoiceField(label=gettext_lazy("朝向"), choices=Orientation.choices, initial="SN")
    decoration = forms.ChoiceField(label=gettext_lazy("装修"), choices=Decoration.choices, initial="fine")
    has_elevator = forms.BooleanField(label=gettext_lazy("有电梯"), required=False)
    build_year = forms.IntegerField(
        label=gettext_lazy("建成年份"), min_value=1900, max_value=2100, required=False
    )
    title_type = forms.ChoiceField(
        label=gettext_lazy("产权类型"), choices=TitleType.choices, initial="commodity"
    )
    certificate_date = forms.DateField(
        label=gettext_lazy("产权证日期"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("不动产权证或契税票日期，用于判断满二、满五。"),
    )
    only_home = forms.NullBooleanField(
        label=gettext_lazy("卖方家庭唯一住房"),
        required=False,
        widget=_YesNoUnknown(),
    )
    mortgaged = forms.BooleanField(label=gettext_lazy("有抵押"), required=False)
    seized = forms.BooleanField(label=gettext_lazy("被查封"), required=False)
    seller_mobile = forms.CharField(
        label=gettext_lazy("业主手机号"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("业主须已在“客户”中录入；修改时留空表示不变。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    mandate = forms.ChoiceField(label=gettext_lazy("委托方式"), choices=Mandate.choices, initial="general")
    mandate_start = forms.DateField(label=gettext_lazy("委托开始"), required=False, widget=DateInput())
    mandate_end = forms.DateField(label=gettext_lazy("委托结束"), required=False, widget=DateInput())
    keys_store: forms.ModelChoiceField[Store] = forms.ModelChoiceField(
        label=gettext_lazy("钥匙所在门店"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("未收钥匙"),
    )
    title = forms.CharField(label=gettext_lazy("标题"), max_length=100, required=False)
    highlights = forms.CharField(
        label=gettext_lazy("房源亮点"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    drawbacks = forms.CharField(
        label=gettext_lazy("已知不足"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("如实告知买方的不足：临街、顶楼漏水、无电梯高楼层……"),
    )
    store: forms.ModelChoiceField[Store] = forms.ModelChoiceField(
        label=gettext_lazy("所属门店"), queryset=None
    )
    verify_method = forms.ChoiceField(
        label=gettext_lazy("录入时已与业主核实"),
        choices=[("", gettext_lazy("尚未核实（标为待核实）")), *VerificationMethod.choices],
        required=False,
    )

    ENTRY_ONLY = (
        "community",
        "building",
        "unit",
        "room_number",
        "kind",
        "price_wan",
        "rent",
        "store",
        "verify_method",
    )

    # On the edit page of a listing whose address is still to be completed (地址待补全): the address
    # and the floor are asked for, and handed to ``listing_complete_address``.
    ADDRESS = ("building", "unit", "room_number", "floor")

    def __init__(
        self, *args: Any, viewer: Agent, editing: bool = False, completing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.editing = editing
        self.completing = completing
        stores = stores_of_company(viewer)
        cast(forms.ModelChoiceField, self.fields["keys_store"]).queryset = stores
        cast(forms.ModelChoiceField, self.fields["store"]).queryset = stores
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = communities_visible(viewer)
        for name in ("area", "inner_area", "price_wan", "rent"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        for name in ("rooms", "halls", "baths", "floor", "total_floors", "build_year"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        if editing:
            for name in self.ENTRY_ONLY:
                if not (completing and name in self.ADDRESS):
                    del self.fields[name]
        elif viewer.store_id is not None:
            del self.fields["store"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.editing:
            kind = data.get("kind")
            if kind == ListingKind.SALE and data.get("price_wan") is None:
                self.add_error("price_wan", _("请填写售价。"))
            if kind == ListingKind.RENT and data.get("rent") is None:
                self.add_error("rent", _("请填写月租金。"))
        mobile = (data.get("seller_mobile") or "").strip()
        data["seller"] = None
        if mobile:
            try:
                data["seller"] = seller_by_mobile(self.viewer, mobile)
            except ApplicationError as exc:
                self.add_error("seller_mobile", exc.message)
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as ``listing_create``/``listing_update`` take it."""
        data = dict(self.cleaned_data)
        mobile = data.pop("seller_mobile", "")
        seller = data.pop("seller", None)
        if self.editing:
            if mobile:  # left empty, the seller stays as they are
                data["seller"] = seller
            if self.completing:
                for name in self.ADDRESS:
                    data.pop(name, None)
            return data
        kind = data["kind"]
        price_wan, rent = data.pop("price_wan"), data.pop("rent")
        data["price"] = (price_wan * WAN) if kind == ListingKind.SALE else rent
        data["seller"] = seller
        data["verify_method"] = data.get("verify_method") or None
        return data

    def address_arguments(self) -> dict[str, Any]:
        """The completed address as ``listing_complete_address`` takes it."""
        return {name: self.cleaned_data[name] for name in self.ADDRESS}
