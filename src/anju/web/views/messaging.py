"""The outbox page (发件箱: drafts to approve, messages waiting to leave, failures) and the client's
opt-out page (退订, no login), decision 0020."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.core.pagination import keyset_page
from anju.messaging.models import MessageStatus
from anju.messaging.selectors import OPEN, access_message, client_for_opt_out, outbox_open
from anju.messaging.services import client_opt_out, message_approve, message_cancel
from anju.org.models import Agent
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
    path("care/outbox/<int:message_id>/approve/", outbox_approve, name="outbox_approve"),
    path("care/outbox/<int:message_id>/cancel/", outbox_cancel, name="outbox_cancel"),
    path("u/<str:token>/", opt_out, name="opt_out"),
]
