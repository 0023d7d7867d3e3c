"""设置 · 门店与员工: administrators run the whole company's staff, managers their store's agents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.org import selectors, services
from anju.org.models import Agent, Role
from anju.web.forms.staff import (
    AgentCreateForm,
    AgentProfileForm,
    CompanySettingsForm,
    PasswordSetForm,
    StoreForm,
)
from anju.web.views.account import photo_remove, photo_upload
from anju.web.views.base import HtmxRequest, agent_required


def _apply(form: forms.Form, action: Any) -> Any:
    """Run a service for a valid form; a domain error becomes a form error and nothing is changed."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return None


def _profile(colleague: Agent) -> dict[str, Any]:
    return {
        "name": colleague.name,
        "mobile": colleague.mobile,
        "role": colleague.role,
        "store": colleague.store,
    }


@agent_required
def staff(request: HtmxRequest, agent: Agent) -> HttpResponse:
    people = selectors.staff_visible(agent)
    store_form = StoreForm(request.POST or None) if agent.user.has_perm("org.add_store") else None
    if request.method == "POST":
        if store_form is None:
            raise PermissionDenied(_("只有管理员可以新增门店。"))
        store = _apply(store_form, lambda data: services.store_create(company=agent.company, **data))
        if store is not None:
            messages.success(request, _("已新增门店“%(name)s”。") % {"name": store.name})
            return redirect("web:staff")
    return render(
        request,
        "web/staff.html",
        {
            "people": people,
            "stores": selectors.stores_with_headcount(agent),
            "store_form": store_form,
            "nav_section": "settings",
        },
    )


@agent_required
def store_edit(request: HtmxRequest, agent: Agent, store_id: int) -> HttpResponse:
    store = selectors.access_store_to_change(agent, store_id)
    form = StoreForm(
        request.POST or None, initial={name: getattr(store, name) for name in StoreForm.base_fields}
    )
    if request.method == "POST" and _apply(form, lambda data: services.store_update(store=store, **data)):
        messages.success(request, _("已保存门店“%(name)s”。") % {"name": store.name})
        return redirect("web:staff")
    return render(request, "web/store_form.html", {"form": form, "store": store, "nav_section": "settings"})


@agent_required
def staff_create(request: HtmxRequest, agent: Agent) -> HttpResponse:
    selectors.staff_visible(agent)  # managers and administrators only
    form = AgentCreateForm(request.POST or None, viewer=agent)
    if request.method == "POST":
        created = _apply(form, lambda data: services.agent_create(company=agent.company, **data))
        if created is not None:
            messages.success(
                request,
                _("已添加员工“%(name)s”，用户名 %(username)s。")
                % {"name": created.name, "username": created.user.username},
            )
            return redirect("web:staff")
    return render(request, "web/staff_form.html", {"form": form, "nav_section": "settings"})


@agent_required
def staff_edit(request: HtmxRequest, agent: Agent, agent_id: int) -> HttpResponse:
    colleague = selectors.access_managed_agent(agent, agent_id)
    initial = {
        "name": colleague.name,
        "mobile": colleague.mobile,
        "role": colleague.role,
        "store": colleague.store,
    }
    form = AgentProfileForm(request.POST or None, viewer=agent, initial=initial)
    password_form = PasswordSetForm()
    if request.method == "POST" and _apply(form, lambda data: services.agent_update(agent=colleague, **data)):
        messages.success(request, _("已保存“%(name)s”的资料。") % {"name": colleague.name})
        return redirect("web:staff")
    return render(
        request,
        "web/staff_form.html",
        {"form": form, "colleague": colleague, "password_form": password_form, "nav_section": "settings"},
    )


@agent_required
def staff_set_active(request: HtmxRequest, agent: Agent, agent_id: int) -> HttpResponse:
    # Access first: another company's id is not found whatever the method (decision 0001).
    colleague = selectors.access_managed_agent(agent, agent_id)
    if request.method != "POST":
        return redirect("web:staff_edit", agent_id=agent_id)
    active = request.POST.get("active") == "1"
    try:
        services.agent_set_active(agent=colleague, active=active, by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        done = (
            _("已恢复“%(name)s”的账号。")
            if active
            else _("已停用“%(name)s”的账号，其客户与房源记录保持不变。")
        )
        messages.success(request, done % {"name": colleague.name})
    return redirect("web:staff")


@agent_required
def staff_set_password(request: HtmxRequest, agent: Agent, agent_id: int) -> HttpResponse:
    colleague = selectors.access_managed_agent(agent, agent_id)
    form = PasswordSetForm(request.POST or None)
    if request.method == "POST" and _apply(
        form, lambda data: services.agent_set_password(agent=colleague, **data)
    ):
        messages.success(request, _("已为“%(name)s”设置新密码。") % {"name": colleague.name})
        return redirect("web:staff")
    profile = AgentProfileForm(
        viewer=agent,
        initial={
            "name": colleague.name,
            "mobile": colleague.mobile,
            "role": colleague.role,
            "store": colleague.store,
        },
    )
    return render(
        request,
        "web/staff_form.html",
        {"form": profile, "colleague": colleague, "password_form": form, "nav_section": "settings"},
    )


@agent_required
def company_settings(request: HtmxRequest, agent: Agent) -> HttpResponse:
    if agent.role != Role.ADMIN:
        raise PermissionDenied(_("只有管理员可以修改公司设置。"))
    company = agent.company
    form = CompanySettingsForm(
        request.POST or None,
        initial={name: getattr(company, name) for name in CompanySettingsForm.base_fields},
    )
    if request.method == "POST" and _apply(
        form, lambda data: services.company_update_settings(company=company, by=agent, **data)
    ):
        messages.success(request, _("公司设置已保存。"))
        return redirect("web:settings")
    return render(request, "web/company_settings.html", {"form": form, "nav_section": "settings"})


@agent_required
@require_POST
def staff_photo_upload(request: HtmxRequest, agent: Agent, agent_id: int) -> HttpResponse:
    """A manager or administrator sets the photo of someone they manage (the staff form)."""
    photo_upload(request, selectors.access_managed_agent(agent, agent_id))
    return redirect(reverse("web:staff_edit", args=[agent_id]) + "#photo")


@agent_required
@require_POST
def staff_photo_remove(request: HtmxRequest, agent: Agent, agent_id: int) -> HttpResponse:
    photo_remove(request, selectors.access_managed_agent(agent, agent_id))
    return redirect(reverse("web:staff_edit", args=[agent_id]) + "#photo")
