"""Outreach forms: a partner, a rating, a recommendation; a campaign's content, target and channel."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.clients.models import Client, Stage, Tier
from anju.core.formats import WAN
from anju.messaging.models import MessageChannel
from anju.needs.models import NeedKind
from anju.outreach.campaigns import MARKETING_CHANNELS, Target
from anju.outreach.models import ContentKind, OccasionKind
from anju.web.forms.base import StyledFormMixin, style_widgets
from anju.web.forms.needs import district_choices

MARKETING_CHOICES = [(c.value, c.label) for c in MessageChannel if c.value in MARKETING_CHANNELS]


class PartnerForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    kind = forms.CharField(
        label=_("服务类型"), max_length=20, help_text=_("装修、搬家、保洁、家电、验房，或本公司的类型")
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=30, required=False)
    phone = forms.CharField(label=_("电话"), max_length=20)
    service_area = forms.CharField(label=_("服务区域"), max_length=120, required=False)
    price_range = forms.CharField(label=_("价格区间"), max_length=60, required=False)
    description = forms.CharField(label=_("介绍"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(label=_("合作中"), required=False, initial=True)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind_labels = dict(kinds)
        self.fields["kind"].widget.attrs["list"] = "partner-kinds"

    def clean_kind(self) -> str:
        """A built-in kind may be typed by its Chinese label (装修 is stored as renovation)."""
        typed = self.cleaned_data["kind"].strip()
        by_label = {label: value for value, label in self.kind_labels.items()}
        return by_label.get(typed, typed)


class RatingForm(StyledFormMixin, forms.Form):
    client = forms.TypedChoiceField(label=_("客户"), coerce=int, choices=())
    score = forms.TypedChoiceField(
        label=_("评分"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)], initial=5
    )
    comment = forms.CharField(label=_("评价"), max_length=200, required=False)

    def __init__(self, *args: Any, clients: list[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["client"]
        field.choices = [("", _("选择客户")), *[(c.pk, c.name) for c in clients]]


class RecommendForm(StyledFormMixin, forms.Form):
    client = forms.TypedChoiceField(label=_("客户"), coerce=int, choices=())
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, clients: list[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["client"]
        field.choices = [("", _("选择客户")), *[(c.pk, c.name) for c in clients]]


class CampaignForm(StyledFormMixin, forms.Form):
    """The content to send, who it is for, and the channel; budgets in 万元 as agents speak."""

    kind = forms.ChoiceField(label=_("内容类型"), choices=ContentKind.choices)
    title = forms.CharField(label=_("标题"), max_length=80)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))
    channel = forms.ChoiceField(label=_("渠道"), choices=MARKETING_CHOICES)
    need_kind = forms.ChoiceField(
        label=_("需求类型"), choices=[("", _("不限")), *NeedKind.choices], required=False
    )
    districts = forms.TypedMultipleChoiceField(label=_("区域"), coerce=int, choices=(), required=False)
    budget_min = forms.DecimalField(
        label=_("预算下限（万）"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    budget_max = forms.DecimalField(
        label=_("预算上限（万）"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    tiers = forms.MultipleChoiceField(
        label=_("客户等级"), choices=Tier.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    stages = forms.MultipleChoiceField(
        label=_("客户阶段"), choices=Stage.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.CharField(label=_("标签"), required=False, help_text=_("多个标签用逗号分隔，任一即可"))

    def __init__(self, *args: Any, city: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["districts"]
        field.choices = district_choices(city)

    def target(self) -> Target:
        data = self.cleaned_data
        tags = [t.strip() for t in data["tags"].replace("，", ",").split(",") if t.strip()]
        return Target(
            need_kind=data["need_kind"],
            district_ids=data["districts"],
            budget_min=data["budget_min"] * WAN if data["budget_min"] is not None else None,
            budget_max=data["budget_max"] * WAN if data["budget_max"] is not None else None,
            tiers=data["tiers"],
            stages=data["stages"],
            tags=tags,
        )


class OutreachSettingsForm(StyledFormMixin, forms.Form):
    """The company's greetings (one text per occasion) and its outreach settings."""

    greetings_auto_send = forms.BooleanField(
        label=_("问候自动发送"), required=False, help_text=_("不勾选时，问候先由经纪人审核再发送")
    )
    recent_contact_days = forms.IntegerField(label=_("近期已联系（天）"), min_value=0, max_value=60)
    poor_rating_below = forms.DecimalField(label=_("差评线"), min_value=1, max_value=5, decimal_places=2)

    def __init__(self, *args: Any, templates: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, body in templates.items():
            self.fields[f"greeting_{kind}"] = forms.CharField(
                label=OccasionKind(kind).label, initial=body, widget=forms.Textarea(attrs={"rows": 2})
            )
        style_widgets(self)

    def greetings(self) -> dict[str, str]:
        return {
            name.removeprefix("greeting_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("greeting_")
        }
