"""Signing in and one's own settings: the password and personal API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from anju.web.forms.base import StyledFormMixin


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
