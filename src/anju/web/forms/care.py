"""Client care's forms: the company's care settings (budgets in 万元) and a manager's pinned tier."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.care.models import CareSettings
from anju.care.services import INTERVALS, SETTINGS_BOUNDS
from anju.clients.models import Tier
from anju.core.formats import WAN
from anju.web.forms.base import StyledFormMixin, style_widgets

# Cadence first (what agents feel every day), then the scoring rules.
ORDER = (*INTERVALS, *(name for name in SETTINGS_BOUNDS if name not in INTERVALS))


def _wan(yuan: Decimal) -> Decimal:
    """4000000 → 400 (not 400.0000 or 4E+2): how a manager writes it."""
    wan = yuan / WAN
    return wan.quantize(Decimal(1)) if wan == wan.to_integral_value() else wan.normalize()


class CareSettingsForm(StyledFormMixin, forms.Form):
    budget_high_wan = forms.DecimalField(label=_("高预算线（万元）"), max_digits=10, decimal_places=2)
    budget_mid_wan = forms.DecimalField(label=_("中预算线（万元）"), max_digits=10, decimal_places=2)

    def __init__(self, *args: Any, settings: CareSettings, **kwargs: Any) -> None:
        initial = {name: getattr(settings, name) for name in ORDER}
        initial |= {
            "budget_high_wan": _wan(settings.budget_high),
            "budget_mid_wan": _wan(settings.budget_mid),
        }
        super().__init__(*args, initial=initial, **kwargs)
        budgets = {name: self.fields.pop(name) for name in ("budget_high_wan", "budget_mid_wan")}
        for name in ORDER:
            label = getattr(CareSettings._meta.get_field(name), "verbose_name", name)
            self.fields[name] = forms.IntegerField(label=label, min_value=0)
        self.fields.update(budgets)
        style_widgets(self)  # the fields added after the mixin styled the declared ones

    def service_values(self) -> dict[str, int | Decimal]:
        data = self.cleaned_data
        values: dict[str, int | Decimal] = {name: data[name] for name in ORDER}
        values["budget_high"] = data["budget_high_wan"] * WAN
        values["budget_mid"] = data["budget_mid_wan"] * WAN
        return values


class TierPinForm(StyledFormMixin, forms.Form):
    tier = forms.ChoiceField(
        label=_("分级"), choices=Tier.choices, widget=forms.Select(attrs={"id": "pin-tier"})
    )
    reason = forms.CharField(label=_("原因"), max_length=200)
