"""Stores, staff and the company's settings (设置), for managers and administrators."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.org.models import Agent, Role, Store
from anju.org.selectors import stores_assignable
from anju.web.forms.base import StyledFormMixin


def _role_choices(viewer: Agent) -> list[tuple[str, Any]]:
    return list(Role.choices) if viewer.role == Role.ADMIN else [(Role.AGENT.value, Role.AGENT.label)]


class AgentProfileForm(StyledFormMixin, forms.Form):
    """What an administrator (any role, any store) or a manager (agents of their store) may set."""

    name = forms.CharField(label=_("姓名"), max_length=30)
    mobile = forms.CharField(label=_("手机"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("角色"))
    store: forms.ModelChoiceField[Store] = forms.ModelChoiceField(
        label=_("门店"), queryset=None, required=False, empty_label="—"
    )

    def __init__(self, *args: Any, viewer: Agent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = _role_choices(viewer)
        cast(forms.ModelChoiceField, self.fields["store"]).queryset = stores_assignable(viewer)


class AgentCreateForm(AgentProfileForm):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("登录用，建议用姓名拼音。"))
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("至少 8 位，请告知本人登录后修改。"),
    )
    field_order = ["username", "name", "mobile", "role", "store", "password"]


class PasswordSetForm(StyledFormMixin, forms.Form):
    password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput(render_value=False))


class StoreForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("门店名称"), max_length=60)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)
    latitude = forms.DecimalField(
        label=_("纬度"), required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("经度"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        help_text=_("带看默认从门店出发；不填则每次安排带看时选出发点。"),
    )


class CompanySettingsForm(StyledFormMixin, forms.Form):
    pool_return_days = forms.IntegerField(label=_("私客无跟进回公客池天数"))
    pool_warning_days = forms.IntegerField(label=_("回池前提醒天数"))
    daily_claim_limit = forms.IntegerField(label=_("每人每天可认领公客数"))
    listing_fresh_days = forms.IntegerField(label=_("房源核实有效天数"))
    work_start = forms.TimeField(
        label=_("上班时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    work_end = forms.TimeField(
        label=_("下班时间"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("投诉时限等按工作时间计算，只计工作日的上下班时间之间。"),
    )
    showing_speed_kmh = forms.DecimalField(
        label=_("带看市内平均车速（公里/小时）"),
        required=False,
        max_digits=5,
        decimal_places=1,
        help_text=_("估算两套房之间路上用时。"),
    )
    showing_detour_factor = forms.DecimalField(
        label=_("带看绕路系数"),
        required=False,
        max_digits=4,
        decimal_places=2,
        help_text=_("实际道路距离约为直线距离的多少倍。"),
    )
    showing_minutes_per_stop = forms.IntegerField(label=_("每套房看房时间（分钟）"), required=False)

    # The showings' settings left empty keep their current values.
    OPTIONAL = ("showing_speed_kmh", "showing_detour_factor", "showing_minutes_per_stop")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.OPTIONAL:
            if data.get(name) is None:
                data.pop(name, None)
        return data
