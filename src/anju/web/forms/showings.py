"""The showings' forms: plan, confirm a stop, feedback in a few taps, the signature. They convert
units (万 to yuan, a data-URL to PNG bytes) and hand plain values to ``anju.showings.services``."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.core.formats import WAN, to_fen
from anju.showings.models import ASPECTS, Access, AgreedBy, Outcome, PriceOpinion, Verdict
from anju.showings.services import FeedbackInput, StartPoint
from anju.web.forms.base import DateInput, StyledFormMixin


class PlanForm(StyledFormMixin, forms.Form):
    client = forms.TypedChoiceField(label=_("客户"), coerce=int)
    listings = forms.TypedMultipleChoiceField(
        label=_("房源"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    day = forms.DateField(label=_("日期"), widget=DateInput())
    start_time = forms.TimeField(
        label=_("出发时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    start_latitude = forms.DecimalField(
        label=_("出发点纬度"), required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    start_longitude = forms.DecimalField(
        label=_("出发点经度"), required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    start_label = forms.CharField(label=_("出发点名称"), required=False, max_length=100)
    minutes_per_stop = forms.IntegerField(
        label=_("每套看房时间（分钟）"), required=False, min_value=5, max_value=180
    )
    need = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, clients: list[tuple[int, str]], listings: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = clients  # type: ignore[attr-defined]
        self.fields["listings"].choices = listings  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lng = data.get("start_latitude"), data.get("start_longitude")
        if (lat is None) != (lng is None):
            raise forms.ValidationError(_("出发点的纬度和经度要一起填写。"))
        return data

    def starts_at(self) -> dt.datetime:
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["day"], data["start_time"]))

    def start(self) -> StartPoint | None:
        data = self.cleaned_data
        if data.get("start_latitude") is None:
            return None
        return StartPoint(data["start_latitude"], data["start_longitude"], data.get("start_label") or "")


class ConfirmForm(StyledFormMixin, forms.Form):
    agreed_by = forms.ChoiceField(
        label=_("谁同意看房"), choices=AgreedBy.choices, widget=forms.RadioSelect, initial=AgreedBy.OWNER
    )
    agreed_name = forms.CharField(label=_("同意人姓名"), max_length=30)
    access = forms.ChoiceField(label=_("怎么进门"), choices=Access.choices, widget=forms.RadioSelect)
    keys_store = forms.TypedChoiceField(label=_("钥匙所在门店"), coerce=int, required=False, empty_value=None)
    access_code = forms.CharField(label=_("门锁密码"), max_length=30, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, stores: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keys_store"].choices = [("", "—"), *stores]  # type: ignore[attr-defined]


class FeedbackForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=Outcome.choices, widget=forms.RadioSelect)
    interest = forms.TypedChoiceField(
        label=_("意向"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    liked = forms.MultipleChoiceField(
        label=_("喜欢"),
        choices=[(a, a) for a in ASPECTS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    disliked = forms.MultipleChoiceField(
        label=_("不满意"),
        choices=[(a, a) for a in ASPECTS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    verdict = forms.ChoiceField(
        label=_("客户结论"), choices=Verdict.choices, required=False, widget=forms.RadioSelect
    )
    price_opinion = forms.ChoiceField(
        label=_("价格看法"), choices=PriceOpinion.choices, required=False, widget=forms.RadioSelect
    )
    price_offer_wan = forms.DecimalField(
        label=_("客户心理价（万元）"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
    )
    text = forms.CharField(
        label=_("客户原话"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def value(self) -> FeedbackInput:
        data = self.cleaned_data
        offer = data.get("price_offer_wan")
        return FeedbackInput(
            outcome=data["outcome"],
            interest=data.get("interest"),
            liked=tuple(data.get("liked") or ()),
            disliked=tuple(data.get("disliked") or ()),
            text=data.get("text") or "",
            verdict=data.get("verdict") or "",
            price_opinion=data.get("price_opinion") or "",
            price_offer=to_fen(offer * WAN) if offer is not None else None,
        )


class SignForm(StyledFormMixin, forms.Form):
    client_name = forms.CharField(label=_("客户姓名"), max_length=30)
    signature = forms.CharField(widget=forms.HiddenInput, max_length=800_000)
    supersedes = forms.IntegerField(required=False, widget=forms.HiddenInput)
    correction_reason = forms.CharField(label=_("更正原因"), required=False, max_length=200)

    def clean_signature(self) -> bytes:
        value: str = self.cleaned_data["signature"]
        prefix = "data:image/png;base64,"
        if not value.startswith(prefix):
            raise forms.ValidationError(_("请让客户在框内手写签名。"))
        try:
            return base64.b64decode(value[len(prefix) :], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise forms.ValidationError(_("签名图片无法读取，请重新签名。")) from exc


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("取消原因"), required=False, max_length=200)
