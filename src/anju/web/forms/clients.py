"""Forms for client intake and upkeep: the essentials first, so a phone intake takes under a minute."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.clients.models import AccessKind, Channel, Gender, Source
from anju.clients.services import Birthday, ConsentInput
from anju.web.forms.base import DateInput, StyledFormMixin, style_widgets

CALENDARS = [("", _("不填")), ("solar", _("公历")), ("lunar", _("农历"))]


class ClientForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("姓名"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    mobile = forms.CharField(
        label=_("手机"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "off", "placeholder": "138 0000 0000"}
        ),
    )
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices, initial=Source.STORE_VISIT)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices, required=False)
    tags = forms.CharField(
        label=_("标签"), max_length=200, required=False, help_text=_("用空格或逗号分隔，例如：学区房 首套")
    )
    second_phone = forms.CharField(
        label=_("备用电话"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    email = forms.CharField(
        label=_("邮箱"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    birthday_calendar = forms.ChoiceField(label=_("生日"), choices=CALENDARS, required=False)
    birthday = forms.DateField(label=_("公历生日"), required=False, widget=DateInput())
    lunar_month = forms.IntegerField(label=_("农历月"), min_value=1, max_value=12, required=False)
    lunar_day = forms.IntegerField(label=_("农历日"), min_value=1, max_value=30, required=False)
    lunar_leap = forms.BooleanField(label=_("闰月"), required=False)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def tag_list(self) -> list[str]:
        raw = self.cleaned_data.get("tags", "").replace("，", " ").replace(",", " ")
        return [t for t in raw.split() if t]

    def birthday_value(self) -> Birthday:
        data = self.cleaned_data
        return Birthday(
            calendar=data.get("birthday_calendar") or "",
            solar=data.get("birthday"),
            lunar_month=data.get("lunar_month"),
            lunar_day=data.get("lunar_day"),
            lunar_leap=bool(data.get("lunar_leap")),
        )

    def profile(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "mobile": data["mobile"],
            "source": data["source"],
            "gender": data.get("gender") or "",
            "second_phone": data.get("second_phone") or "",
            "id_number": data.get("id_number") or "",
            "email": data.get("email") or "",
            "birthday": self.birthday_value(),
            "tags": self.tag_list(),
            "notes": data.get("notes") or "",
        }


class ClientIntakeForm(ClientForm):
    """Intake adds marketing consent: which channels the client agreed to, and how."""

    consent_channels = forms.MultipleChoiceField(
        label=_("同意接收的营销信息"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_how = forms.CharField(
        label=_("授权方式"), max_length=60, required=False, help_text=_("例如：门店书面签字、微信回复同意")
    )
    referrer_mobile = forms.CharField(
        label=_("介绍人手机"), max_length=30, required=False, help_text=_("转介绍客户请填写介绍人的手机号")
    )

    def consents(self) -> list[ConsentInput]:
        how = self.cleaned_data.get("consent_how") or ""
        return [
            ConsentInput(channel=c, granted=True, how=how)
            for c in self.cleaned_data.get("consent_channels", [])
        ]


class RevealForm(StyledFormMixin, forms.Form):
    field = forms.ChoiceField(
        choices=[("mobile", _("手机")), ("second_phone", _("备用电话")), ("id_number", _("身份证号"))],
        widget=forms.HiddenInput,
        initial="mobile",
    )
    reason = forms.CharField(label=_("查看原因"), max_length=200, help_text=_("例如：客户来电要求回拨"))


class MergeForm(StyledFormMixin, forms.Form):
    other_mobile = forms.CharField(
        label=_("要并入的重复客户手机号"), max_length=30, help_text=_("该客户的记录将全部并入当前客户。")
    )


class EraseForm(StyledFormMixin, forms.Form):
    """The erasure's confirm step: the client's name typed again (it cannot be undone)."""

    confirm_name = forms.CharField(
        label=_("请输入客户姓名以确认"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-testid": "confirm-name"}),
    )


class AccessLogFilterForm(forms.Form):
    """The audit view's filters (个人信息访问记录): staff member, kind, client, days. The staff list
    comes from a selector, given by the view."""

    agent = forms.TypedChoiceField(label=_("员工"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    client = forms.IntegerField(label=_("客户编号"), required=False, min_value=1, max_value=2**62)
    since = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())

    def __init__(self, data: Any, *, staff: list[tuple[int, str]]) -> None:
        super().__init__(data)
        self.fields["agent"].choices = [("", _("全部员工")), *staff]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("全部类型")), *AccessKind.choices]  # type: ignore[attr-defined]
        style_widgets(self)
