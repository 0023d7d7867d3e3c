"""Forms for the deal's loan (贷款) and taxes (税费) pages. The loan amount is typed in 万元 as agents
say it and the rate in percent; both are handed on as the services keep them (yuan, a fraction)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from anju.core.formats import WAN
from anju.deals.models import Payment
from anju.processing.money import LOAN_KINDS, TaxFacts
from anju.web.forms.base import DateInput, StyledFormMixin


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker; its value is always ISO (2026-12-01T10:00)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _decimal(label: Any, *, places: int, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        decimal_places=places,
        max_digits=14,
        error_messages={"max_decimal_places": gettext_lazy("小数位数过多：金额最多精确到分。")},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        **kwargs,
    )


class LoanForm(StyledFormMixin, forms.Form):
    bank = forms.CharField(label=gettext_lazy("贷款银行"), max_length=60)
    kind = forms.ChoiceField(
        label=gettext_lazy("贷款类型"), choices=[(k, Payment(k).label) for k in LOAN_KINDS]
    )
    amount_wan = _decimal(
        gettext_lazy("贷款金额（万元）"), places=6, min_value=Decimal("0.000001"), max_value=Decimal(10**6)
    )
    rate_percent = _decimal(
        gettext_lazy("年利率（%）"), places=4, min_value=Decimal("0.0001"), max_value=Decimal(24)
    )
    years = forms.IntegerField(
        label=gettext_lazy("年限"),
        min_value=1,
        max_value=30,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    interview_at = forms.DateTimeField(label=gettext_lazy("面签时间"), required=False, widget=DateTimeInput())
    approved_on = forms.DateField(label=gettext_lazy("审批日期"), required=False, widget=DateInput())
    disbursed_on = forms.DateField(label=gettext_lazy("放款日期"), required=False, widget=DateInput())

    def for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        interview = data["interview_at"]
        if interview is not None and timezone.is_naive(interview):
            interview = timezone.make_aware(interview)
        return {
            "bank": data["bank"],
            "kind": data["kind"],
            "amount": data["amount_wan"] * WAN,
            "rate": data["rate_percent"] / 100,
            "years": data["years"],
            "interview_at": interview,
            "approved_on": data["approved_on"],
            "disbursed_on": data["disbursed_on"],
        }


class TaxesForm(StyledFormMixin, forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("预计过户日期"), widget=DateInput(), initial=timezone.localdate
    )
    buyer_home_count = forms.TypedChoiceField(
        label=gettext_lazy("买方家庭住房套数（含本套）"),
        coerce=int,
        choices=[(1, "1"), (2, "2"), (3, gettext_lazy("3 套及以上"))],
        initial=1,
    )
    seller_years_held = _decimal(
        gettext_lazy("卖方持有年限（年，可不填）"),
        places=2,
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    seller_only_home = forms.BooleanField(label=gettext_lazy("卖方家庭唯一住房"), required=False)

    def facts(self) -> TaxFacts:
        data = self.cleaned_data
        return TaxFacts(
            buyer_home_count=data["buyer_home_count"],
            seller_years_held=data["seller_years_held"],
            seller_only_home=data["seller_only_home"],
        )

    def transfer_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["as_of"]
        return value


class TaxPaymentForm(StyledFormMixin, forms.Form):
    side = forms.ChoiceField(
        label=gettext_lazy("缴纳方"),
        choices=[("buyer", gettext_lazy("买方")), ("seller", gettext_lazy("卖方"))],
    )
    item = forms.CharField(label=gettext_lazy("项目"), max_length=60)
    amount = _decimal(gettext_lazy("金额（元）"), places=2, min_value=Decimal("0.01"))
    paid_on = forms.DateField(label=gettext_lazy("缴纳日期"), widget=DateInput(), initial=timezone.localdate)
    receipt = forms.CharField(label=gettext_lazy("票据号"), max_length=60, required=False)
