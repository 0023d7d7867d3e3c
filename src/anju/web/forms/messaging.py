"""The outbox's settings form: the marketing cap, quiet hours and the webhook channels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.web.forms.base import StyledFormMixin

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _url(label: _StrPromise) -> forms.CharField:
    return forms.CharField(label=label, max_length=200, required=False)


def _secret(label: _StrPromise) -> forms.CharField:
    help_text = _("留空则不修改。")
    return forms.CharField(
        label=label, max_length=128, required=False, widget=forms.PasswordInput, help_text=help_text
    )


class MessagingSettingsForm(StyledFormMixin, forms.Form):
    weekly_marketing_cap = forms.IntegerField(
        label=_("每周营销信息上限"), help_text=_("每位客户滚动7天内最多收到的营销信息条数")
    )
    quiet_from = forms.TimeField(label=_("免打扰开始"), widget=TIME)
    quiet_until = forms.TimeField(
        label=_("免打扰结束"), widget=TIME, help_text=_("北京时间；其间的消息顺延到结束时发送。")
    )
    sms_url = _url(_("短信接口地址"))
    sms_secret = _secret(_("短信接口密钥"))
    wechat_url = _url(_("企业微信接口地址"))
    wechat_secret = _secret(_("企业微信接口密钥"))
