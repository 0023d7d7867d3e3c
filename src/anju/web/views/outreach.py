"""Outreach pages: the partner directory (增值服务) with ratings and recommendations, and campaigns
(精准信息推送): compose, preview who gets it and who is left out, send. The rules are the
``outreach`` app's; these views parse, look up and render."""

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
from anju.org.models import Agent
from anju.outreach.campaigns import campaign_preview, campaign_send
from anju.outreach.greetings import templates_of
from anju.outreach.models import Partner
from anju.outreach.selectors import (
    access_partner,
    campaigns_list,
    clients_to_choose,
    outreach_settings,
    partner_flagged,
    partner_kinds,
    partner_ratings,
    partner_recommendations,
    partners_directory,
)
from anju.outreach.services import MANAGERS, outreach_configure, partner_rate, partner_recommend, partner_save
from anju.web.forms.outreach import (
    CampaignForm,
    OutreachSettingsForm,
    PartnerForm,
    RatingForm,
    RecommendForm,
)
from anju.web.views.base import HtmxRequest, agent_required

NAV = {"nav_section": "care"}


@agent_required
def partners(request: HtmxRequest, agent: Agent) -> HttpResponse:
    kind = request.GET.get("kind", "")
    context = {
        "partners": partners_directory(agent, kind=kind),
        "kinds": partner_kinds(agent),
        "kind": kind,
        "may_manage": agent.role in MANAGERS,
        **NAV,
    }
    return render(request, "web/outreach/partners.html", context)


def _partner_form(request: HtmxRequest, agent: Agent, partner: Partner | None) -> HttpResponse:
    if agent.role not in MANAGERS:
        raise PermissionDenied(_("只有店长或管理员可以维护合作商。"))
    kinds = partner_kinds(agent)
    initial: dict[str, Any] = {}
    if partner is not None:
        fields = (
            "name",
            "kind",
            "contact_name",
            "phone",
            "service_area",
            "price_range",
            "description",
            "active",
        )
        initial = {field: getattr(partner, field) for field in fields} | {"kind": partner.kind_label}
    form = PartnerForm(request.POST or None, initial=initial, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            saved = partner_save(by=agent, partner=partner, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存合作商。"))
            return redirect("web:partner", partner_id=saved.pk)
    return render(
        request, "web/outreach/partner_form.html", {"form": form, "partner": partner, "kinds": kinds, **NAV}
    )


@agent_required
def partner_create(request: HtmxRequest, agent: Agent) -> HttpResponse:
    return _partner_form(request, agent, None)


@agent_required
def partner_edit(request: HtmxRequest, agent: Agent, partner_id: int) -> HttpResponse:
    return _partner_form(request, agent, access_partner(agent, partner_id))


def _partner_page(
    request: HtmxRequest,
    agent: Agent,
    partner_id: int,
    *,
    rating_form: RatingForm | None = None,
    recommend_form: RecommendForm | None = None,
) -> HttpResponse:
    partner = access_partner(agent, partner_id)
    clients = clients_to_choose(agent)
    context = {
        "partner": partner,
        "flagged": partner_flagged(partner, outreach_settings(agent.company_id).poor_rating_below),
        "ratings": partner_ratings(partner),
        "recommendations": partner_recommendations(partner),
        "rating_form": rating_form or RatingForm(clients=clients),
        "recommend_form": recommend_form or RecommendForm(clients=clients),
        "may_manage": agent.role in MANAGERS,
        **NAV,
    }
    return render(request, "web/outreach/partner.html", context)


@agent_required
def partner_page(request: HtmxRequest, agent: Agent, partner_id: int) -> HttpResponse:
    return _partner_page(request, agent, partner_id)


@require_POST
@agent_required
def partner_rate_view(request: HtmxRequest, agent: Agent, partner_id: int) -> HttpResponse:
    partner = access_partner(agent, partner_id)
    form = RatingForm(request.POST, clients=clients_to_choose(agent))
    if form.is_valid():
        client = access_client_for_write(agent, form.cleaned_data["client"])
        try:
            partner_rate(
                partner=partner,
                client=client,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                by=agent,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已记录%(client)s的评价。") % {"client": client.name})
            return redirect("web:partner", partner_id=partner.pk)
    return _partner_page(request, agent, partner_id, rating_form=form)


@require_POST
@agent_required
def partner_recommend_view(request: HtmxRequest, agent: Agent, partner_id: int) -> HttpResponse:
    partner = access_partner(agent, partner_id)
    form = RecommendForm(request.POST, clients=clients_to_choose(agent))
    if form.is_valid():
        client = access_client_for_write(agent, form.cleaned_data["client"])
        try:
            recommendation = partner_recommend(
                partner=partner, client=client, by=agent, note=form.cleaned_data["note"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if recommendation.channel:
                messages.success(
                    request,
                    _("已向%(client)s推荐，并通过%(channel)s发送。")
                    % {"client": client.name, "channel": recommendation.channel_label},
                )
            else:
                messages.success(
                    request, _("已记录推荐；%(client)s未授权任何渠道，未发送。") % {"client": client.name}
                )
            return redirect("web:partner", partner_id=partner.pk)
    return _partner_page(request, agent, partner_id, recommend_form=form)


@agent_required
def campaigns(request: HtmxRequest, agent: Agent) -> HttpResponse:
    if agent.role not in MANAGERS:
        raise PermissionDenied(_("只有店长或管理员可以发起推送。"))
    form = CampaignForm(request.POST or None, city=agent.company.city)
    preview = None
    if request.method == "POST" and form.is_valid():
        target = form.target()
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send":
                campaign, sent = campaign_send(
                    by=agent,
                    kind=data["kind"],
                    title=data["title"],
                    body=data["body"],
                    target=target,
                    channel=data["channel"],
                )
                messages.success(
                    request,
                    _("已发送给 %(sent)s 位客户，%(excluded)s 位被排除。")
                    % {"sent": campaign.sent_count, "excluded": len(sent.excluded)},
                )
                return redirect("web:campaigns")
            preview = campaign_preview(viewer=agent, target=target, channel=data["channel"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    context = {"form": form, "preview": preview, "campaigns": campaigns_list(agent), **NAV}
    return render(request, "web/outreach/campaigns.html", context)


@agent_required
def outreach_settings_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """The company's greetings, automatic sending, recent-contact days and poor-rating line."""
    if agent.role not in MANAGERS:
        raise PermissionDenied(_("只有店长或管理员可以修改问候与推送设置。"))
    current = outreach_settings(agent.company_id)
    initial = {
        "greetings_auto_send": current.greetings_auto_send,
        "recent_contact_days": current.recent_contact_days,
        "poor_rating_below": current.poor_rating_below,
    }
    form = OutreachSettingsForm(
        request.POST or None, initial=initial, templates=templates_of(agent.company_id)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outreach_configure(
                by=agent,
                greetings_auto_send=data["greetings_auto_send"],
                recent_contact_days=data["recent_contact_days"],
                poor_rating_below=data["poor_rating_below"],
                greetings=form.greetings(),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存问候与推送设置。"))
            return redirect("web:outreach_settings")
    return render(request, "web/outreach/settings.html", {"form": form, **NAV})


urlpatterns = [
    path("care/greetings/", outreach_settings_page, name="outreach_settings"),
    path("care/partners/", partners, name="partners"),
    path("care/partners/new/", partner_create, name="partner_create"),
    path("care/partners/<int:partner_id>/", partner_page, name="partner"),
    path("care/partners/<int:partner_id>/edit/", partner_edit, name="partner_edit"),
    path("care/partners/<int:partner_id>/rate/", partner_rate_view, name="partner_rate"),
    path("care/partners/<int:partner_id>/recommend/", partner_recommend_view, name="partner_recommend"),
    path("care/campaigns/", campaigns, name="campaigns"),
]
