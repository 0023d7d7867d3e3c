"""客户: the list, intake, the client page (客户档案) and the actions on a client."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.clients import services
from anju.clients.models import Tier
from anju.clients.selectors import (
    CLIENT_ORDERS,
    AccessFilters,
    ClientFilters,
    access_client,
    access_client_for_change,
    client_search,
    kept_records,
    may_handle_personal_data,
    may_see_mobile,
    personal_data_accesses,
    reveal_log,
    with_shown_mobiles,
)
from anju.core.errors import ApplicationError, ConflictError
from anju.core.pagination import keyset_page
from anju.core.phones import normalize_mobile
from anju.needs.models import NeedKind
from anju.org.models import Agent
from anju.org.selectors import access_agent, colleagues_for_transfer, staff_visible
from anju.showings.selectors import showings_of_client
from anju.web.forms.clients import (
    AccessLogFilterForm,
    ClientForm,
    ClientIntakeForm,
    EraseForm,
    MergeForm,
    RevealForm,
)
from anju.web.views.base import HtmxRequest, agent_required
from anju.web.views.referrals import client_referrals_context
from anju.web.views.showings import after_showing_form

PAGE_SIZE = 20


def _filters(request: HtmxRequest) -> ClientFilters:
    get = request.GET
    return ClientFilters(
        scope=get.get("scope", "mine") if get.get("scope", "mine") in {"mine", "pool", "all"} else "mine",
        need_kind=get.get("need", "") if get.get("need", "") in NeedKind.values else "",
        follow_up_due=get.get("due") == "1",
        tag=get.get("tag", "")[:20],
        q=get.get("q", "")[:30],
        tier=get.get("tier", "") if get.get("tier", "") in Tier.values else "",
        owner_id=int(owner) if (owner := get.get("owner", "")).isdigit() and len(owner) < 12 else None,
    )


@agent_required
def client_list(request: HtmxRequest, agent: Agent) -> HttpResponse:
    filters = _filters(request)
    scoped = ClientFilters(**{**filters.__dict__, "scope": "" if filters.scope == "all" else filters.scope})
    qs = client_search(agent, scoped)
    sort = "tier" if request.GET.get("sort") == "tier" else "recent"
    rows, next_cursor = keyset_page(
        qs, order=CLIENT_ORDERS[sort], cursor=request.GET.get("cursor"), limit=PAGE_SIZE
    )
    with_shown_mobiles(agent, rows)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "rows": rows,
        "next_cursor": next_cursor,
        "filters": filters,
        "query": query.urlencode(),
        "need_kinds": NeedKind.choices,
        "tiers": Tier.choices,
        "sort": sort,
        "today": timezone.localdate(),
    }
    template = (
        "web/clients/list.html#rows"
        if request.htmx and request.GET.get("cursor")
        else "web/clients/list.html"
    )
    return render(request, template, context)


def _duplicate_context(agent: Agent, exc: ConflictError) -> dict[str, Any]:
    client_id = exc.extra.get("client_id")
    if client_id is None:
        return {}
    try:
        existing = access_client(agent, client_id)
    except (PermissionDenied, Http404):  # not the viewer's to see: the message says whose, no link
        return {}
    return {"duplicate": existing}


@agent_required
def client_create(request: HtmxRequest, agent: Agent) -> HttpResponse:
    form = ClientIntakeForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "nav_section": "clients"}
    if request.method == "POST" and form.is_valid():
        try:
            referrer = None
            if mobile := form.cleaned_data.get("referrer_mobile", "").strip():
                referrer = services.find_by_mobile(
                    company_id=agent.company_id, mobile=normalize_mobile(mobile)
                )
                if referrer is None:
                    raise ApplicationError(_("没有找到手机号为 %(mobile)s 的介绍人。") % {"mobile": mobile})
            client = services.client_create(
                agent=agent, referred_by=referrer, consents=form.consents(), **form.profile()
            )
        except ConflictError as exc:
            form.add_error("mobile", exc.message)
            context.update(_duplicate_context(agent, exc))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已录入客户“%(name)s”。") % {"name": client.name})
            return redirect("web:client_detail", client_id=client.pk)
    return render(request, "web/clients/form.html", context)


@agent_required
def client_edit(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    client = access_client_for_change(agent, client_id)
    initial = {
        "name": client.name,
        "mobile": client.mobile,
        "source": client.source,
        "gender": client.gender,
        "tags": " ".join(sorted(t.name for t in client.tags.all())),
        "second_phone": client.second_phone,
        "id_number": client.id_number,
        "email": client.email,
        "birthday_calendar": client.birthday_calendar,
        "birthday": client.birthday,
        "lunar_month": client.lunar_birth_month,
        "lunar_day": client.lunar_birth_day,
        "lunar_leap": client.lunar_birth_leap,
        "notes": client.notes,
    }
    form = ClientForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(client=client, by=agent, **form.profile())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("web:client_detail", client_id=client.pk)
    return render(
        request, "web/clients/form.html", {"form": form, "client": client, "nav_section": "clients"}
    )


def _detail_context(agent: Agent, client: Any) -> dict[str, Any]:
    from anju.web.views.care import client_tier_context
    from anju.web.views.needs import client_page_context

    return {
        "client": client,
        "viewer": agent,
        "full_numbers": may_see_mobile(agent, client),
        "can_change": agent.user.has_perm("clients.change_client", client),
        "can_merge": agent.user.has_perm("clients.merge_client"),
        "may_handle_personal_data": may_handle_personal_data(agent, client),
        "consents": services.current_consents(client),
        "reveal_form": RevealForm(),
        "merge_form": MergeForm(),
        "colleagues": colleagues_for_transfer(agent),
        "nav_section": "clients",
        **client_page_context(agent, client),
        **client_tier_context(agent, client),
    }


@agent_required
def client_detail(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    client = access_client(agent, client_id)
    if client.pk != client_id:
        return redirect("web:client_detail", client_id=client.pk)
    if client.erased_at is not None:
        return _erased_page(request, agent, client)
    context = _detail_context(agent, client)
    context["showings"] = showings_of_client(agent, client.pk, limit=5)
    context.update(client_referrals_context(request, agent, client))
    showing_id = request.GET.get("showing", "")
    if showing_id.isdigit() and len(showing_id) < 11 and context["may_write"]:
        # The after-showing follow-up (from the workbench) starts from the showing.
        context["interaction_form"] = after_showing_form(agent, client, int(showing_id), context["needs"])
    return render(request, "web/clients/detail.html", context)


@agent_required
@require_POST
def client_reveal(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    client = access_client(agent, client_id)
    form = RevealForm(request.POST)
    value, error = None, None
    if form.is_valid():
        try:
            value = services.client_reveal(
                client=client,
                viewer=agent,
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            error = exc.message
    else:
        error = _("请填写查看号码的原因。")
    return render(
        request,
        "web/clients/detail.html#reveal",
        {"client": client, "revealed": value, "reveal_error": error, "reveal_form": form},
    )


def _act(request: HtmxRequest, action: Any, done: str) -> None:
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


@agent_required
@require_POST
def client_claim(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    client = access_client(agent, client_id)
    _act(
        request,
        lambda: services.client_claim(client=client, agent=agent),
        _("已认领，该客户现在是您的私客。"),
    )
    return redirect("web:client_detail", client_id=client.pk)


@agent_required
@require_POST
def client_release(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    client = access_client_for_change(agent, client_id)
    _act(
        request,
        lambda: services.client_release(client=client, by=agent, note=request.POST.get("note", "")),
        _("已放入公客池。"),
    )
    return redirect("web:client_detail", client_id=client.pk)


@agent_required
@require_POST
def client_transfer(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    client = access_client_for_change(agent, client_id)
    try:
        to = access_agent(agent, int(request.POST.get("to_agent", "0")))
    except ValueError:
        messages.error(request, _("请选择接收的经纪人。"))
        return redirect("web:client_detail", client_id=client.pk)
    _act(
        request,
        lambda: services.client_transfer(client=client, to=to, by=agent, note=request.POST.get("note", "")),
        _("已转交给%(name)s。") % {"name": to.name},
    )
    return redirect("web:client_detail", client_id=client.pk)


@agent_required
@require_POST
def client_merge(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    keep = access_client(agent, client_id)
    if not agent.user.has_perm("clients.merge_client"):
        raise PermissionDenied(_("只有店长和管理员可以合并客户。"))
    form = MergeForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("请填写要并入的客户手机号。"))
        other = services.find_by_mobile(
            company_id=agent.company_id, mobile=normalize_mobile(form.cleaned_data["other_mobile"])
        )
        if other is None:
            raise ApplicationError(_("没有找到该手机号的客户。"))
        other = access_client(agent, other.pk)
        services.client_merge(keep=keep, merge=other, by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已将“%(name)s”并入当前客户。") % {"name": other.name})
    return redirect("web:client_detail", client_id=keep.pk)


@agent_required
def reveals(request: HtmxRequest, agent: Agent) -> HttpResponse:
    rows, next_cursor = keyset_page(
        reveal_log(agent), order=["-at", "-id"], cursor=request.GET.get("cursor"), limit=50
    )
    return render(
        request,
        "web/clients/reveals.html",
        {"rows": rows, "next_cursor": next_cursor, "nav_section": "clients"},
    )


# --- personal information rights (个人信息保护法, decision 0024) ----------------------------------


@agent_required
@require_POST
def client_export(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    client = access_client(agent, client_id)
    export = services.client_export(client=client, by=agent)
    response = HttpResponse(export.content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@agent_required
def client_erase(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    client = access_client(agent, client_id)
    if not may_handle_personal_data(agent, client):
        raise PermissionDenied(_("只有店长和管理员可以导出或删除客户的个人信息。"))
    if client.erased_at is not None:
        return redirect("web:client_detail", client_id=client.pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_erase(client=client, by=agent, confirm_name=form.cleaned_data["confirm_name"])
        except ApplicationError as exc:
            form.add_error("confirm_name", exc.message)
        else:
            messages.success(request, _("已按个人信息保护法删除该客户的个人信息。"))
            return redirect("web:client_detail", client_id=client.pk)
    return render(
        request, "web/clients/erase.html", {"client": client, "form": form, "nav_section": "clients"}
    )


def _erased_page(request: HtmxRequest, agent: Agent, client: Any) -> HttpResponse:
    return render(
        request,
        "web/clients/erased.html",
        {
            "client": client,
            "kept": list(kept_records(client)),
            "may_handle": may_handle_personal_data(agent, client),
            "nav_section": "clients",
        },
    )


@agent_required
def personal_data_log(request: HtmxRequest, agent: Agent) -> HttpResponse:
    staff = [(a.pk, f"{a.name}（{a.store.name}）" if a.store else a.name) for a in staff_visible(agent)]
    form = AccessLogFilterForm(request.GET, staff=staff)
    filters = AccessFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = AccessFilters(
            agent_id=data["agent"],
            kind=data["kind"],
            client_id=data["client"],
            since=data["since"],
            until=data["until"],
        )
    rows, next_cursor = keyset_page(
        personal_data_accesses(agent, filters),
        order=["-at", "-id"],
        cursor=request.GET.get("cursor"),
        limit=50,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "web/clients/personal_data_log.html",
        {
            "rows": rows,
            "next_cursor": next_cursor,
            "form": form,
            "query": query.urlencode(),
            "nav_section": "clients",
        },
    )
