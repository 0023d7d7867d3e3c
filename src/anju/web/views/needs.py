"""Needs (需求) and follow-ups (跟进) on the client page: the partials, and the pages and actions behind them.

The client page includes ``web/clients/_needs.html``, ``_interaction_form.html`` and ``_timeline.html``
with the context of ``client_page_context``; the actions here answer htmx requests with the same
partials refreshed, and plain requests with a redirect back to the client page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.clients.models import Client
from anju.clients.selectors import access_client, access_client_for_write, ensure_may_write, may_write_client
from anju.clients.services import interaction_create
from anju.clients.timeline import DEFAULT_LIMIT, client_timeline, follow_up_due_text
from anju.core.errors import ApplicationError
from anju.needs.models import Need, NeedKind, NeedStatus
from anju.needs.selectors import access_need, needs_of_client
from anju.needs.services import need_create, need_set_status, need_update
from anju.org.models import Agent
from anju.web.forms.needs import InteractionForm, NeedForm
from anju.web.views.base import HtmxRequest, agent_required

TIMELINE_STEP = DEFAULT_LIMIT
TIMELINE_MAX = 500


def client_page_context(
    viewer: Agent,
    client: Client,
    *,
    interaction_form: InteractionForm | None = None,
    timeline_limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """What the needs, follow-up and timeline partials need; the client page merges it into its own."""
    needs = list(needs_of_client(client))
    open_needs = [n for n in needs if n.status in (NeedStatus.ACTIVE, NeedStatus.PAUSED)]
    today = timezone.localdate()
    return {
        "client": client,
        "viewer": viewer,
        "needs": needs,
        "may_write": may_write_client(viewer, client),
        "need_kinds": NeedKind.choices,
        "timeline": client_timeline(viewer, client, limit=timeline_limit),
        "timeline_limit": timeline_limit,
        "timeline_more": timeline_limit + TIMELINE_STEP,
        "interaction_form": interaction_form or InteractionForm(client=client, needs=open_needs),
        "follow_up_due": follow_up_due_text(client.next_follow_up_on, today),
        "follow_up_overdue": client.next_follow_up_on is not None and client.next_follow_up_on < today,
    }


def client_page_url(client: Client) -> str:
    """The client page (客户档案); this module's own needs page until the client page exists."""
    try:
        return reverse("web:client_detail", args=[client.pk])
    except NoReverseMatch:
        return reverse("web:client_needs", args=[client.pk])


@agent_required
def client_needs(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    """Needs, a follow-up form and the timeline of one client on one page."""
    client = access_client(agent, client_id)
    return render(
        request, "web/needs/client.html", {**client_page_context(agent, client), "nav_section": "clients"}
    )


@agent_required
def client_timeline_part(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    """The timeline alone, longer each time "更早的记录" is tapped."""
    client = access_client(agent, client_id)
    limit = _int(request.GET.get("limit"), default=DEFAULT_LIMIT, low=1, high=TIMELINE_MAX)
    return render(
        request,
        "web/clients/_timeline.html#timeline",
        client_page_context(agent, client, timeline_limit=limit),
    )


@agent_required
def need_create_page(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    client = access_client_for_write(agent, client_id)
    kind = request.GET.get("kind", NeedKind.BUY)
    form = NeedForm(
        request.POST or None, client=client, initial={"kind": kind if kind in NeedKind.values else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            need = need_create(agent=agent, client=client, kind=form.chosen_kind(), fields=form.need_fields())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已为“%(client)s”新增%(kind)s需求。") % _names(need))
            return redirect(client_page_url(client))
    return _need_form_page(request, form, client=client, need=None)


@agent_required
def need_edit_page(request: HtmxRequest, agent: Agent, need_id: int) -> HttpResponse:
    need = access_need(agent, need_id)
    ensure_may_write(agent, need.client)
    form = NeedForm(request.POST or None, client=need.client, need=need)
    if request.method == "POST" and form.is_valid():
        try:
            need_update(agent=agent, need=need, fields=form.need_fields())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存“%(client)s”的%(kind)s需求。") % _names(need))
            return redirect(client_page_url(need.client))
    return _need_form_page(request, form, client=need.client, need=need)


def _need_form_page(
    request: HtmxRequest, form: NeedForm, *, client: Client, need: Need | None
) -> HttpResponse:
    return render(
        request,
        "web/needs/form.html",
        {
            "form": form,
            "client": client,
            "need": need,
            "kind": form.chosen_kind(),
            "client_url": client_page_url(client),
            "nav_section": "clients",
        },
    )


def _names(need: Need) -> dict[str, str]:
    return {"client": need.client.name, "kind": str(NeedKind(need.kind).label)}


@require_POST
@agent_required
def need_status(request: HtmxRequest, agent: Agent, need_id: int) -> HttpResponse:
    """Pause, resume, close or reopen a need; htmx gets the client's needs back, refreshed."""
    need = access_need(agent, need_id)
    error = ""
    try:
        need_set_status(
            agent=agent,
            need=need,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as exc:
        error = exc.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request, _("需求已改为“%(status)s”。") % {"status": NeedStatus(need.status).label}
            )
        return redirect(client_page_url(need.client))
    context = client_page_context(agent, need.client)
    return render(request, "web/clients/_needs.html#needs", {**context, "needs_error": error})


@require_POST
@agent_required
def interaction_create_view(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    """Records a follow-up; htmx gets the refreshed timeline and an empty form (out of band)."""
    client = access_client_for_write(agent, client_id)
    open_needs = [n for n in needs_of_client(client) if n.status in (NeedStatus.ACTIVE, NeedStatus.PAUSED)]
    form = InteractionForm(request.POST, client=client, needs=open_needs)
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            interaction_create(
                agent=agent,
                client=client,
                kind=data["kind"],
                summary=data["summary"],
                next_follow_up_on=data.get("next_follow_up_on"),
                clear_next_follow_up=data.get("clear_next_follow_up", False),
                need_id=data.get("need") or None,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            saved = True
    if not request.htmx:
        if saved:
            messages.success(request, _("已记录跟进。"))
            return redirect(client_page_url(client))
        context = client_page_context(agent, client, interaction_form=form)
        return render(request, "web/needs/client.html", {**context, "nav_section": "clients"})
    if not saved:
        response = render(
            request,
            "web/clients/_interaction_form.html#interaction-form",
            client_page_context(agent, client, interaction_form=form),
        )
        response["HX-Retarget"] = "#interaction-form"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "web/needs/interaction_saved.html", client_page_context(agent, client))


def _int(value: str | None, *, default: int, low: int, high: int) -> int:
    try:
        number = int(value or default)
    except ValueError:
        return default
    return max(low, min(number, high))
