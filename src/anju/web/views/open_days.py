"""开放日 (open viewings) pages: a listing's open days and scheduling one; an open day with its
sign-ups. The rules are ``showings/open_days.py``'s; these views parse, look up and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.clients.selectors import access_client_for_write
from anju.core.errors import ApplicationError
from anju.listings.selectors import access_listing
from anju.org.models import Agent
from anju.showings import open_days as rules
from anju.web.forms.open_days import OpenDayForm, SignupForm
from anju.web.views.base import HtmxRequest, agent_required

NAV = {"nav_section": "showings"}


@agent_required
def listing_open_days(request: HtmxRequest, agent: Agent, listing_id: int) -> HttpResponse:
    listing = access_listing(agent, listing_id)
    may_schedule = agent.user.has_perm("listings.change_listing", listing)
    form = OpenDayForm(request.POST or None) if may_schedule else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("只有录入经纪人、本店店长和管理员可以为此房源安排开放日。"))
        if form.is_valid():
            try:
                open_day = rules.open_day_schedule(listing=listing, by=agent, **form.service_arguments())
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已安排开放日。"))
                return redirect("web:open_day", open_day_id=open_day.pk)
    context = {
        "listing": listing,
        "open_days": rules.open_days_of_listing(agent, listing),
        "form": form,
        **NAV,
    }
    return render(request, "web/open_days/listing.html", context)


def _detail(
    request: HtmxRequest, agent: Agent, open_day_id: int, form: SignupForm | None = None
) -> HttpResponse:
    open_day = rules.access_open_day(agent, open_day_id)
    signups: list[dict[str, Any]] = [
        {
            "signup": s,
            "client": rules.signup_client_label(agent, s),
            "may_cancel": s.cancelled_at is None and rules.may_cancel_signup(agent, open_day, s),
        }
        for s in open_day.signups.all()
    ]
    context = {
        "open_day": open_day,
        "listing": open_day.listing,
        "signups": signups,
        "taken": sum(1 for s in open_day.signups.all() if s.cancelled_at is None),
        "form": form or SignupForm(clients=rules.clients_to_sign_up(agent)),
        "may_manage": rules.may_manage_open_day(agent, open_day),
        **NAV,
    }
    return render(request, "web/open_days/detail.html", context)


@agent_required
def open_day_page(request: HtmxRequest, agent: Agent, open_day_id: int) -> HttpResponse:
    return _detail(request, agent, open_day_id)


@require_POST
@agent_required
def open_day_signup_view(request: HtmxRequest, agent: Agent, open_day_id: int) -> HttpResponse:
    open_day = rules.access_open_day(agent, open_day_id)
    form = SignupForm(request.POST, clients=rules.clients_to_sign_up(agent))
    if form.is_valid():
        client = access_client_for_write(agent, form.cleaned_data["client"])
        try:
            rules.open_day_signup(open_day=open_day, client=client, by=agent)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已为%(client)s报名。") % {"client": client.name})
            return redirect("web:open_day", open_day_id=open_day_id)
    return _detail(request, agent, open_day_id, form)


@require_POST
@agent_required
def open_day_signup_cancel_view(
    request: HtmxRequest, agent: Agent, open_day_id: int, signup_id: int
) -> HttpResponse:
    open_day = rules.access_open_day(agent, open_day_id)
    try:
        rules.open_day_signup_cancel(signup=rules.access_signup(open_day, signup_id), by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已取消报名。"))
    return redirect("web:open_day", open_day_id=open_day_id)


@require_POST
@agent_required
def open_day_cancel_view(request: HtmxRequest, agent: Agent, open_day_id: int) -> HttpResponse:
    open_day = rules.access_open_day(agent, open_day_id)
    try:
        rules.open_day_cancel(open_day=open_day, by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("开放日已取消。"))
    return redirect("web:open_day", open_day_id=open_day_id)


urlpatterns = [
    path("listings/<int:listing_id>/open-days/", listing_open_days, name="listing_open_days"),
    path("open-days/<int:open_day_id>/", open_day_page, name="open_day"),
    path("open-days/<int:open_day_id>/signups/", open_day_signup_view, name="open_day_signup"),
    path(
        "open-days/<int:open_day_id>/signups/<int:signup_id>/cancel/",
        open_day_signup_cancel_view,
        name="open_day_signup_cancel",
    ),
    path("open-days/<int:open_day_id>/cancel/", open_day_cancel_view, name="open_day_cancel"),
]
