"""Forms for processing a deal (办理): money held, problems, the handover, keys, visits. Amounts in
yuan; the services check the rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from anju.deals.models import EntryKind, Holder
from anju.web.forms.base import DateInput, StyledFormMixin


class EscrowForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=EntryKind.choices)
    holder = forms.ChoiceField(
        label=gettext_lazy("保管方"), choices=Holder.choices, initial=Holder.SUPERVISED
    )
    amount = forms.DecimalField(
        label=gettext_lazy("金额（元）"),
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    on = forms.DateField(label=gettext_lazy("日期"), widget=DateInput(), initial=timezone.localdate)
    bank = forms.CharField(label=gettext_lazy("银行"), max_length=60, required=False)
    reference = forms.CharField(label=gettext_lazy("流水号"), max_length=60, required=False)


class ProblemForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=gettext_lazy("问题"), max_length=300)
    due_on = forms.DateField(label=gettext_lazy("解决期限"), widget=DateInput())


class SolveForm(StyledFormMixin, forms.Form):
    solution = forms.CharField(label=gettext_lazy("解决办法"), max_length=300)


class HandoverItemForm(StyledFormMixin, forms.Form):
    reading = forms.CharField(label=gettext_lazy("读数"), max_length=40, required=False)
    amount_settled = forms.DecimalField(
        label=gettext_lazy("结清金额（元）"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    account_transferred = forms.BooleanField(label=gettext_lazy("已过户"), required=False)


class WaiveForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("免除原因"), max_length=200)


class KeysForm(StyledFormMixin, forms.Form):
    keys_count = forms.IntegerField(
        label=gettext_lazy("钥匙数量"),
        min_value=0,
        max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    key_kinds = forms.CharField(label=gettext_lazy("钥匙种类"), max_length=120, required=False)
    buyer_confirmed = forms.BooleanField(label=gettext_lazy("买方确认房屋与合同相符"), required=False)
    seller_confirmed = forms.BooleanField(label=gettext_lazy("卖方确认房屋与合同相符"), required=False)


class VisitForm(StyledFormMixin, forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=gettext_lazy("满意度"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)]
    )
    remarks = forms.CharField(label=gettext_lazy("回访记录"), max_length=300, required=False)
    problem = forms.CharField(label=gettext_lazy("遗留问题"), max_length=300, required=False)
