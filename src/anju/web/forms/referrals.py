"""Forms of 转介绍: the company's reward rule, a referral recorded on a client's page, and the contact
form of a shared listing page. Amounts in yuan; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from anju.org.models import Agent
from anju.outreach.models import Partner
from anju.outreach.selectors import partners_ranked
from anju.referrals.models import EarnedAt, ReferrerKind, RewardKind
from anju.web.forms.base import StyledFormMixin

MONEY: dict[str, Any] = {
    "min_value": Decimal(0),
    "max_digits": 10,
    "decimal_places": 2,
    "widget": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
}


class ReferralSettingsForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("奖励方式"), choices=RewardKind.choices)
    amount = forms.DecimalField(label=gettext_lazy("固定金额（元）"), **MONEY)
    share_percent = forms.DecimalField(
        label=gettext_lazy("佣金比例（%）"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=2
    )
    gift = forms.CharField(label=gettext_lazy("礼品"), max_length=60, required=False)
    gift_value = forms.DecimalField(label=gettext_lazy("礼品价值（元）"), **MONEY)
    earned_at = forms.ChoiceField(label=gettext_lazy("奖励时点"), choices=EarnedAt.choices)
    yearly_cap = forms.DecimalField(
        label=gettext_lazy("每人每年上限（元）"),
        required=False,
        help_text=gettext_lazy("留空为不设上限"),
        **MONEY,
    )
    high_rating = forms.IntegerField(
        label=gettext_lazy("邀请转介绍的满意度（1–5）"), min_value=1, max_value=5
    )


class ReferralForm(StyledFormMixin, forms.Form):
    referrer_kind = forms.ChoiceField(label=gettext_lazy("介绍人类型"), choices=ReferrerKind.choices)
    referrer_mobile = forms.CharField(
        label=gettext_lazy("介绍人手机号"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("介绍人是本公司客户时填写"),
    )
    referrer_name = forms.CharField(
        label=gettext_lazy("介绍人姓名"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("合作伙伴或其他介绍人"),
    )
    referrer_partner: forms.ModelChoiceField[Partner] = forms.ModelChoiceField(
        label=gettext_lazy("介绍合作商"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("介绍人是合作商名录中的合作商时选择"),
    )
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, agent: Agent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referrer_partner"].queryset = partners_ranked(agent)  # type: ignore[attr-defined]


class ContactForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("您的称呼"), max_length=30)
    mobile = forms.CharField(
        label=gettext_lazy("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    ref = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput())
