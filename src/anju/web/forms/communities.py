"""The building dictionary's forms (楼盘字典): a community, its buildings, aliases, schools and amenities."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.geo import selectors, services
from anju.geo.models import AmenityKind, BusinessArea, Community, District, SchoolLevel
from anju.web.forms.base import StyledFormMixin


def _area_choices(areas: Iterable[BusinessArea]) -> list[Any]:
    """板块 grouped by district, for a <select> with <optgroup>s."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for area in areas:
        groups.setdefault(area.district.name, []).append((str(area.pk), area.name))
    return [("", "—"), *[(district, options) for district, options in groups.items()]]


ALIAS_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_aliases(text: str) -> list[str]:
    return [a.strip() for a in ALIAS_SEPARATORS.split(text or "") if a.strip()]


class CommunityForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("小区名称"), max_length=60)
    business_area = forms.ChoiceField(label=gettext_lazy("板块"))
    address = forms.CharField(label=gettext_lazy("地址"), max_length=200, required=False)
    latitude = forms.FloatField(
        label=gettext_lazy("纬度"),
        min_value=-90,
        max_value=90,
        help_text=gettext_lazy("在地图上取点，例如 30.507560；用于计算周边地铁。"),
    )
    longitude = forms.FloatField(label=gettext_lazy("经度"), min_value=-180, max_value=180)
    build_year = forms.IntegerField(
        label=gettext_lazy("建成年份"), min_value=1900, max_value=2100, required=False
    )
    property_fee = forms.DecimalField(
        label=gettext_lazy("物业费（元/㎡·月）"), min_value=0, max_digits=6, decimal_places=2, required=False
    )
    reference_price = forms.DecimalField(
        label=gettext_lazy("参考单价（元/㎡）"), min_value=0, max_digits=10, decimal_places=2, required=False
    )
    building_count = forms.IntegerField(
        label=gettext_lazy("楼栋数"), min_value=0, max_value=2000, required=False
    )
    aliases = forms.CharField(
        label=gettext_lazy("别名"),
        required=False,
        help_text=gettext_lazy("大家还怎么叫它？多个别名用逗号分隔，例如：城市花园，万科城花"),
    )

    def __init__(
        self,
        *args: Any,
        areas: list[BusinessArea],
        with_aliases: bool = True,
        exclude_id: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.areas = {str(a.pk): a for a in areas}
        # As the name is typed, the communities it may duplicate are shown under it.
        self.fields["name"].widget.attrs.update(
            {
                "hx-get": reverse("web:community_similar"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#similar-communities",
                "hx-include": "[name='business_area']",
                "hx-vals": json.dumps({"exclude": exclude_id or ""}),
                "autocomplete": "off",
            }
        )
        cast(forms.ChoiceField, self.fields["business_area"]).choices = _area_choices(areas)
        if not with_aliases:
            del self.fields["aliases"]

    def clean_business_area(self) -> BusinessArea:
        area = self.areas.get(self.cleaned_data["business_area"])
        if area is None:
            raise forms.ValidationError(_("请选择板块。"))
        return area

    def fields_for_service(self) -> services.CommunityFields:
        data = self.cleaned_data
        return services.CommunityFields(
            name=data["name"],
            business_area=data["business_area"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            address=data["address"],
            build_year=data["build_year"],
            property_fee=data["property_fee"],
            reference_price=data["reference_price"],
            building_count=data["building_count"],
        )


ELEVATOR_CHOICES = [("", "—"), ("1", gettext_lazy("有")), ("0", gettext_lazy("无"))]


def _elevator(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


class BuildingForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("楼栋"), max_length=20, help_text=gettext_lazy("例如：3栋、A座")
    )
    total_floors = forms.IntegerField(
        label=gettext_lazy("总楼层"), min_value=1, max_value=200, required=False
    )
    units = forms.IntegerField(label=gettext_lazy("单元数"), min_value=1, max_value=50, required=False)
    has_elevator = forms.ChoiceField(label=gettext_lazy("电梯"), choices=ELEVATOR_CHOICES, required=False)
    build_year = forms.IntegerField(
        label=gettext_lazy("建成年份"), min_value=1900, max_value=2100, required=False
    )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["has_elevator"] = _elevator(data["has_elevator"])
        return data


class AliasForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("别名"), max_length=60)


class AssignmentForm(StyledFormMixin, forms.Form):
    school = forms.ChoiceField(label=gettext_lazy("学校"))
    buildings = forms.MultipleChoiceField(
        label=gettext_lazy("对口楼栋"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("不选表示整个小区对口。"),
    )
    year = forms.IntegerField(label=gettext_lazy("划片年份"), min_value=2000, max_value=2100, required=False)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, community: Community, with_school: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        buildings = selectors.sorted_buildings(community.buildings.all())
        cast(forms.MultipleChoiceField, self.fields["buildings"]).choices = [
            (str(b.pk), b.name) for b in buildings
        ]
        self.fields["buildings"].widget.attrs["class"] = "form-check-input"
        if with_school:
            schools = selectors.schools_for_picker(community.district.city_id)
            groups: dict[str, list[tuple[str, str]]] = {}
            for school in schools:
                label = school.name + (_("（重点）") if school.is_key else "")
                groups.setdefault(str(school.get_level_display()), []).append((str(school.pk), label))
            cast(forms.ChoiceField, self.fields["school"]).choices = [("", "—"), *groups.items()]
        else:
            del self.fields["school"]

    def building_ids(self) -> list[int]:
        return [int(b) for b in self.cleaned_data["buildings"]]


class AmenityForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=AmenityKind.choices)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=60)
    distance_m = forms.IntegerField(
        label=gettext_lazy("距离（米）"), min_value=0, max_value=100_000, required=False
    )


class SchoolForm(StyledFormMixin, forms.Form):
    """A school that is not on file yet (administrators): shared by every company in the city."""

    name = forms.CharField(label=gettext_lazy("学校全称"), max_length=60)
    level = forms.ChoiceField(label=gettext_lazy("学段"), choices=SchoolLevel.choices)
    district = forms.ChoiceField(label=gettext_lazy("所在区"))
    is_key = forms.BooleanField(label=gettext_lazy("重点/示范学校"), required=False)

    def __init__(self, *args: Any, districts: list[District], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.districts = {str(d.pk): d for d in districts}
        cast(forms.ChoiceField, self.fields["district"]).choices = [(str(d.pk), d.name) for d in districts]

    def clean_district(self) -> District:
        district = self.districts.get(self.cleaned_data["district"])
        if district is None:
            raise forms.ValidationError(_("请选择区县。"))
        return district
