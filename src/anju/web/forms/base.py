"""Forms and how they render: Bootstrap classes added once here, not in every template."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from anju.org.models import Agent, Role, Store
from anju.org.selectors import stores_assignable


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always ISO (2026-01-15): ``<input type="date">`` accepts
    nothing else, and the Chinese locale's format (2026/01/15) would show an empty field that erases
    the date when the form is saved again."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class FormRenderer(TemplatesSetting):
    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"


def style_widgets(form: forms.BaseForm, *, errors: bool = False) -> None:
    """Bootstrap classes for every widget; after validation, ``is-invalid`` on fields with errors."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        classes = [c for c in widget.attrs.get("class", "").split() if c not in {css, "is-invalid"}]
        classes.append(css)
        if errors and name in form.errors:
            classes.append("is-invalid")
        widget.attrs["class"] = " ".join(classes)


class StyledFormMixin:
    """Styles widgets when the form is built, and marks invalid ones once it has been validated."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        style_widgets(self, errors=True)  # type: ignore[arg-type]


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入。"),
        "inactive": _("此账号已停用，请联系管理员。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].widget.attrs.update({"autocapitalize": "none"})
        self.fields["password"].label = _("密码")


class TokenCreateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=60, help_text=_("例如：门店报表脚本"))


class PasswordChangeForm(StyledFormMixin, forms.Form):
    current = forms.CharField(
        label=_("当前密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new = forms.CharField(
        label=_("新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    repeated = forms.CharField(
        label=_("再输入一次新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


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
