"""客户服务: the tiers of the viewer's clients (a chart), the contacts the cadence asks for, the
pinned tiers; the care settings (managers); a manager's pin on the client page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.care.selectors import care_due, may_pin, pinned_tiers, tier_distribution, tier_history, tier_pin_of
from anju.care.services import care_settings, care_settings_update, tier_pin, tier_unpin
from anju.clients.models import Client, Tier
from anju.clients.selectors import access_client
from anju.core.errors import ApplicationError
from anju.org.models import Agent, Role
from anju.web.forms.care import CareSettingsForm, TierPinForm
from anju.web.views.base import HtmxRequest, agent_required


def _may_manage(agent: Agent) -> bool:
    return agent.role in (Role.MANAGER, Role.ADMIN)


@agent_required
def care_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    counts = tier_distribution(agent)
    labels = dict(Tier.choices)
    tier_rows = [(tier, str(labels[tier]), counts[tier]) for tier in Tier.values]
    tier_rows.append(("", _("未分级"), counts[""]))
    chart = {"tiers": [label for _tier, label, _count in tier_rows], "counts": [n for *_rest, n in tier_rows]}
    return render(
        request,
        "web/care/page.html",
        {
            "tier_rows": tier_rows,
            "chart": chart,
            "due": care_due(agent, timezone.localdate()),
            "pins": pinned_tiers(agent),
            "may_manage": _may_manage(agent),
            "today": timezone.localdate(),
            "nav_section": "care",
        },
    )


@agent_required
def care_settings_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    if not _may_manage(agent):
        raise PermissionDenied(_("只有店长和管理员可以修改客户维护设置。"))
    form = CareSettingsForm(request.POST or None, settings=care_settings(agent.company_id))
    if request.method == "POST" and form.is_valid():
        try:
            care_settings_update(by=agent, **form.service_values())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("客户维护设置已保存，今晚按新规则重新分级。"))
            return redirect("web:care")
    return render(request, "web/care/settings.html", {"form": form, "nav_section": "care"})


@agent_required
@require_POST
def client_tier_pin(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    client = access_client(agent, client_id)
    form = TierPinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择分级并填写原因。"))
    else:
        try:
            tier_pin(
                client=client, by=agent, tier=form.cleaned_data["tier"], reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已手动设定客户分级。"))
    return redirect("web:client_detail", client_id=client.pk)


@agent_required
@require_POST
def client_tier_unpin(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    client = access_client(agent, client_id)
    try:
        tier_unpin(client=client, by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已恢复自动分级。"))
    return redirect("web:client_detail", client_id=client.pk)


def client_tier_context(agent: Agent, client: Client) -> dict[str, object]:
    """What the client page shows of care: the tier card (history, pin and its form for managers)."""
    return {
        "tier_history": tier_history(client),
        "tier_pin": tier_pin_of(client),
        "may_pin": may_pin(agent, client),
        "pin_form": TierPinForm(),
    }


urlpatterns = [
    path("care/", care_page, name="care"),
    path("care/settings/", care_settings_page, name="care_settings"),
    path("clients/<int:client_id>/tier/pin/", client_tier_pin, name="client_tier_pin"),
    path("clients/<int:client_id>/tier/unpin/", client_tier_unpin, name="client_tier_unpin"),
]
