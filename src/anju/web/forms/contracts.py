"""Forms for contracts (合同): the core terms, the title re-check, the signed scan, amendments, and
the company's templates. Every term is optional here: the service says which core terms are still
missing, so the form lists exactly what the contract lacks. Money is typed in 元 to the fen: a
contract carries the exact price, not a rounded 万.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from anju.deals.contracts.variables import TemplateKind
from anju.deals.models import Payment
from anju.web.forms.base import DateInput, StyledFormMixin, style_widgets

SALE_TEMPLATES = [
    (TemplateKind.RESALE.value, TemplateKind.RESALE.label),
    (TemplateKind.NEW_HOME.value, TemplateKind.NEW_HOME.label),
]


def _yuan(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


def _area(label: Any, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


def _text(label: Any, rows: int = 2) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


def _payment(*, lease: bool) -> forms.Field:
    if lease:
        return forms.CharField(
            label=gettext_lazy("付款方式"),
            required=False,
            max_length=12,
            help_text=gettext_lazy("例如 押一付三"),
        )
    return forms.ChoiceField(
        label=gettext_lazy("付款方式"), required=False, choices=[("", "—"), *Payment.choices]
    )


class ContractTermsForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("合同类型"), choices=SALE_TEMPLATES)
    address = forms.CharField(label=gettext_lazy("房屋坐落"), required=False, max_length=200)
    certificate_number = forms.CharField(label=gettext_lazy("不动产权证号"), required=False, max_length=60)
    area = _area(gettext_lazy("建筑面积（㎡）"))
    price = _yuan(gettext_lazy("成交价（元）"))
    payment_schedule = _text(gettext_lazy("付款安排"), rows=3)
    handover_on = forms.DateField(label=gettext_lazy("交房日期"), required=False, widget=DateInput())
    breach_liability = _text(gettext_lazy("违约责任"), rows=3)

    def __init__(self, *args: Any, lease: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payment_method"] = _payment(lease=lease)
        if lease:
            self.fields["kind"] = forms.ChoiceField(
                label=gettext_lazy("合同类型"), choices=[(TemplateKind.LEASE.value, TemplateKind.LEASE.label)]
            )
            self.fields["price"].label = gettext_lazy("月租金（元）")
        style_widgets(self)  # the payment field came after the mixin styled the others

    def terms(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data.pop("kind", None)
        return data


class TitleCheckForm(StyledFormMixin, forms.Form):
    certificate_number = forms.CharField(label=gettext_lazy("不动产权证号"), max_length=60)
    area = _area(gettext_lazy("建筑面积（㎡）"), required=True)
    mortgaged = forms.BooleanField(label=gettext_lazy("有抵押"), required=False)
    seized = forms.BooleanField(label=gettext_lazy("被查封"), required=False)
    note = forms.CharField(label=gettext_lazy("备注（查询渠道等）"), required=False, max_length=200)


class SignForm(StyledFormMixin, forms.Form):
    scan = forms.FileField(
        label=gettext_lazy("签字合同扫描件"),
        help_text=gettext_lazy("PDF、JPEG 或 PNG，不超过 20 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class AmendmentForm(StyledFormMixin, forms.Form):
    price = _yuan(gettext_lazy("新的成交价（元）"))
    handover_on = forms.DateField(label=gettext_lazy("新的交房日期"), required=False, widget=DateInput())
    payment_schedule = _text(gettext_lazy("新的付款安排"))
    breach_liability = _text(gettext_lazy("新的违约责任"))
    text = _text(gettext_lazy("补充约定"), rows=3)
    signed_on = forms.DateField(label=gettext_lazy("签署日期"), widget=DateInput())

    def changes(self) -> dict[str, object]:
        names = ("price", "handover_on", "payment_schedule", "breach_liability")
        return {
            name: self.cleaned_data[name] for name in names if self.cleaned_data.get(name) not in (None, "")
        }


class TemplateUploadForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("合同类型"), choices=TemplateKind.choices)
    file = forms.FileField(
        label=gettext_lazy("Word 模板（.docx）"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
    )
    note = forms.CharField(label=gettext_lazy("版本说明"), required=False, max_length=200)


class ContractPolicyForm(StyledFormMixin, forms.Form):
    title_recheck_days = forms.IntegerField(
        label=gettext_lazy("签约前产权复核有效天数"),
        min_value=1,
        max_value=30,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
