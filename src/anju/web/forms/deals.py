"""Forms for deals (交易): the units agents use on screen, the services' units behind.

A sale's prices are typed in 万元 and handed on in yuan; a lease's rent per month in yuan. Earnest
money and receipts are typed in yuan. An offer's expiry is a day: it lasts until that day's end.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.clients.models import Client
from anju.core.formats import WAN
from anju.deals.models import (
    BuyerWalks,
    DealKind,
    EarnestKind,
    Holder,
    Payment,
    SellerWalks,
    Side,
    TaxesBy,
)
from anju.deals.services import IntentTerms, OfferTerms
from anju.web.forms.base import DateInput, StyledFormMixin


def _money(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


def _months(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class DealStartForm(StyledFormMixin, forms.Form):
    """Open a deal: from a listing, the buyer is chosen; from a client, the listing's number is typed."""

    buyer = forms.TypedChoiceField(label=gettext_lazy("买方/承租方"), coerce=int)
    listing = forms.IntegerField(
        label=gettext_lazy("房源编号"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )

    def __init__(self, *args: Any, buyers: list[Client] | None, **kwargs: Any) -> None:
        """``buyers`` to choose from when the listing is known; None when the buyer is."""
        super().__init__(*args, **kwargs)
        if buyers is None:
            del self.fields["buyer"]
            return
        del self.fields["listing"]
        choices = [(c.pk, f"{c.name}（{c.owner.name if c.owner else _('公客')}）") for c in buyers]
        self.fields["buyer"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]


class OfferForm(StyledFormMixin, forms.Form):
    side = forms.ChoiceField(label=gettext_lazy("报价方"), choices=Side.choices, widget=forms.RadioSelect)
    price = _money(gettext_lazy("价格"))
    payment = forms.ChoiceField(
        label=gettext_lazy("付款方式"), choices=[("", "—"), *Payment.choices], required=False
    )
    deposit = _money(gettext_lazy("定金（元）"), required=False)
    handover_on = forms.DateField(label=gettext_lazy("交房日期"), required=False, widget=DateInput())
    taxes_by = forms.ChoiceField(
        label=gettext_lazy("税费承担"), choices=TaxesBy.choices, initial=TaxesBy.STATUTORY
    )
    items_included = forms.CharField(label=gettext_lazy("附赠物品"), required=False, max_length=300)
    terms = forms.CharField(
        label=gettext_lazy("其他条款"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deposit_months = _months(gettext_lazy("押（月）"))
    pay_months = _months(gettext_lazy("付（月）"))
    term_months = _months(gettext_lazy("租期（月）"))
    expires_on = forms.DateField(label=gettext_lazy("有效期至"), required=False, widget=DateInput())

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == DealKind.SALE:
            self.fields["price"] = forms.DecimalField(
                label=gettext_lazy("总价（万元）"),
                min_value=Decimal("0.0001"),
                max_digits=12,
                decimal_places=4,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
            )
            for name in ("deposit_months", "pay_months", "term_months"):
                del self.fields[name]
        else:
            self.fields["price"].label = gettext_lazy("月租金（元）")
            for name in ("payment", "taxes_by"):
                del self.fields[name]

    def terms_for_service(self) -> OfferTerms:
        data = self.cleaned_data
        scale = WAN if self.kind == DealKind.SALE else Decimal(1)
        expires = data.get("expires_on")
        expires_at = (
            timezone.make_aware(dt.datetime.combine(expires, dt.time(23, 59, 59))) if expires else None
        )
        return OfferTerms(
            side=data["side"],
            price=(data["price"] * scale).quantize(Decimal("0.01")),
            payment=data.get("payment") or "",
            deposit=data.get("deposit"),
            handover_on=data.get("handover_on"),
            taxes_by=data.get("taxes_by") or TaxesBy.STATUTORY,
            items_included=data.get("items_included", ""),
            terms=data.get("terms", ""),
            deposit_months=data.get("deposit_months"),
            pay_months=data.get("pay_months"),
            term_months=data.get("term_months"),
            expires_at=expires_at,
        )


class IntentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("性质"),
        choices=EarnestKind.choices,
        widget=forms.RadioSelect,
        initial=EarnestKind.EARNEST,
    )
    amount = _money(gettext_lazy("金额（元）"))
    holder = forms.ChoiceField(
        label=gettext_lazy("保管方"), choices=Holder.choices, widget=forms.RadioSelect, initial=Holder.AGENCY
    )
    signed_on = forms.DateField(label=gettext_lazy("签署日期"), widget=DateInput())
    sign_by = forms.DateField(label=gettext_lazy("签订正式合同期限"), widget=DateInput())
    if_buyer_walks = forms.ChoiceField(
        label=gettext_lazy("买方违约时"), choices=BuyerWalks.choices, initial=BuyerWalks.FORFEIT
    )
    if_seller_walks = forms.ChoiceField(
        label=gettext_lazy("卖方违约时"), choices=SellerWalks.choices, initial=SellerWalks.DOUBLE
    )
    receipt_number = forms.CharField(label=gettext_lazy("收据号"), required=False, max_length=40)
    bank = forms.CharField(label=gettext_lazy("收款银行"), required=False, max_length=60)
    reference = forms.CharField(label=gettext_lazy("流水号"), required=False, max_length=60)

    def terms_for_service(self) -> IntentTerms:
        data = self.cleaned_data
        return IntentTerms(
            kind=data["kind"],
            amount=data["amount"],
            holder=data["holder"],
            sign_by=data["sign_by"],
            if_buyer_walks=data["if_buyer_walks"],
            if_seller_walks=data["if_seller_walks"],
            signed_on=data["signed_on"],
            receipt_number=data.get("receipt_number", ""),
            receipt_on=data["signed_on"],
            bank=data.get("bank", ""),
            reference=data.get("reference", ""),
        )


class ReceiptForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=gettext_lazy("收据号"), max_length=40)
    on = forms.DateField(label=gettext_lazy("日期"), widget=DateInput())
    amount = _money(gettext_lazy("金额（元）"))


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("取消原因"), max_length=300)


def split_lines(post: Any) -> list[tuple[str, str, str]]:
    """The split editor's rows as ``(agent id, role, percent)`` text, blank rows left out."""
    rows = zip(post.getlist("agent"), post.getlist("role"), post.getlist("percent"), strict=False)
    return [(a.strip(), r.strip(), p.strip()) for a, r, p in rows if a.strip() or p.strip()]
