"""The outbox page (发件箱: drafts to approve, messages waiting to leave, failures) and the client's
opt-out page (退订, no login), decision 0020."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.core.pagination import keyset_page
from anju.messaging.gate import messaging_settings
from anju.messaging.models import MessageStatus
from anju.messaging.selectors import OPEN, access_message, channel_webhooks, client_for_opt_out, outbox_open
from anju.messaging.services import (
    channel_webhook_set,
    client_opt_out,
    message_approve,
    message_cancel,
    messaging_settings_update,
)
from anju.org.models import Agent, Role
from anju.web.forms.messaging import MessagingSettingsForm
from anju.web.views.base import HtmxRequest, agent_required

PAGE_SIZE = 30


@agent_required
def outbox(request: HtmxRequest, agent: Agent) -> HttpResponse:
    status = request.GET.get("status", "")
    rows, next_cursor = keyset_page(
        outbox_open(agent, status=status),
        order=["-created_at", "-id"],
        cursor=request.GET.get("cursor"),
        limit=PAGE_SIZE,
    )
    tabs = [("", _("全部"))] + [(s.value, s.label) for s in MessageStatus if s in OPEN]
    return render(
        request,
        "web/messaging/outbox.html",
        {"rows": rows, "next_cursor": next_cursor, "status": status, "tabs": tabs, "nav_section": "care"},
    )


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(request.POST.get("next") or "web:outbox")


@agent_required
@require_POST
def outbox_approve(request: HtmxRequest, agent: Agent, message_id: int) -> HttpResponse:
    message = access_message(agent, message_id)
    try:
        message = message_approve(message=message, by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if message.status == MessageStatus.CANCELLED:
            messages.warning(request, _("未发送：%(reason)s") % {"reason": message.reason})
        else:
            messages.success(request, _("已批准，将按时发送。"))
    return _back(request)


@agent_required
@require_POST
def outbox_cancel(request: HtmxRequest, agent: Agent, message_id: int) -> HttpResponse:
    message = access_message(agent, message_id)
    try:
        message_cancel(message=message, by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已取消。"))
    return _back(request)


@agent_required
def outbox_settings(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """The company's sending settings (administrators): the cap, quiet hours and the webhooks."""
    if agent.role != Role.ADMIN:
        raise PermissionDenied(_("只有管理员可以修改发送设置。"))
    current = messaging_settings(agent.company_id)
    hooks = channel_webhooks(agent)
    initial = {
        "weekly_marketing_cap": current.weekly_marketing_cap,
        "quiet_from": current.quiet_from,
        "quiet_until": current.quiet_until,
        "sms_url": hooks["sms"].url if "sms" in hooks else "",
        "wechat_url": hooks["wechat"].url if "wechat" in hooks else "",
    }
    form = MessagingSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                messaging_settings_update(
                    by=agent,
                    weekly_marketing_cap=data["weekly_marketing_cap"],
                    quiet_from=data["quiet_from"],
                    quiet_until=data["quiet_until"],
                )
                for channel in ("sms", "wechat"):
                    channel_webhook_set(
                        by=agent,
                        channel=channel,
                        url=data[f"{channel}_url"],
                        secret=data[f"{channel}_secret"],
                    )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("发送设置已保存。"))
            return redirect("web:outbox_settings")
    return render(request, "web/messaging/settings.html", {"form": form, "nav_section": "settings"})


def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every marketing message: one button, and all marketing stops (no login)."""
    client = client_for_opt_out(token)
    done = False
    if request.method == "POST":
        client_opt_out(client=client, how=_("客户通过退订链接退订"))
        done = True
    return render(request, "web/messaging/opt_out.html", {"done": done})


urlpatterns = [
    path("care/outbox/", outbox, name="outbox"),
    path("care/outbox/settings/", outbox_settings, name="outbox_settings"),
    path("care/outbox/<int:message_id>/approve/", outbox_approve, name="outbox_approve"),
    path("care/outbox/<int:message_id>/cancel/", outbox_cancel, name="outbox_cancel"),
    path("u/<str:token>/", opt_out, name="opt_out"),
]
