"""转介绍 pages (客户服务): the referrals and their rewards with approve and pay, the company's reward
rule, a client's referrals and code on the client's page, the agent's public card page (名片页), and
the contact forms of a shared listing page and of a card page, which attribute a new client to the
referral code the link carried and are rate-limited per address and per agent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.clients.models import Client
from anju.clients.selectors import access_client, access_client_for_write, may_write_client
from anju.clients.services import find_by_mobile
from anju.core.addresses import client_ip
from anju.core.errors import ApplicationError, ConflictError
from anju.core.formats import mask_mobile
from anju.core.images import image_content_type, thumbnail
from anju.core.phones import normalize_mobile
from anju.core.ratelimit import rate_limits_exceeded
from anju.org.models import Agent, Role
from anju.referrals.models import AgentCard, ReferrerKind
from anju.referrals.selectors import (
    access_reward,
    card_by_slug,
    card_of,
    card_photo,
    referral_code_of,
    referral_of,
    referral_settings,
    referrals_made_by,
    referrals_recent,
)
from anju.referrals.services import (
    agent_card_issue,
    referral_arrive,
    referral_arrive_by_card,
    referral_ask_record,
    referral_code_issue,
    referral_record,
    referral_settings_set,
    reward_approve,
    reward_pay,
)
from anju.showings.shares import share_by_slug
from anju.web.forms.referrals import ContactForm, ReferralForm, ReferralSettingsForm
from anju.web.views.base import HtmxRequest, agent_required
from anju.web.views.presentation import REFERRAL

APPROVERS = (Role.MANAGER, Role.ADMIN)


def card_link(request: HttpRequest, card: AgentCard, code: str = "") -> str:
    """The card page's address, with a client's referral code on it when given."""
    path_ = reverse("web:agent_card", kwargs={"slug": card.slug})
    return request.build_absolute_uri(path_ + (f"?{urlencode({'ref': code})}" if code else ""))


def qr_of(link: str) -> SafeString:
    # segno escapes nothing it is given: the link is ours, built from a slug and a checked code.
    return mark_safe(segno.make(link, error="m").svg_inline(scale=4))  # noqa: S308


def client_referrals_context(request: HttpRequest, agent: Agent, client: Client) -> dict[str, Any]:
    """What the client's page shows of referrals: who referred them, whom they referred and the
    rewards, their referral code with the viewer's card link carrying it, and the form to record a
    referrer."""
    code = referral_code_of(client)
    card = card_of(agent)
    return {
        "referral_of": referral_of(client),
        "referrals_made": referrals_made_by(client),
        "referral_code": code,
        "referral_card_link": card_link(request, card, code.code) if card and code else "",
        "referral_form": ReferralForm(agent=agent),
    }


@agent_required
def referrals_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    card = card_of(agent)
    link = card_link(request, card) if card else ""
    context = {
        "referrals": referrals_recent(agent),
        "may_approve": agent.role in APPROVERS,
        "rule": referral_settings(agent.company_id),
        "card": card,
        "card_link": link,
        "card_qr": qr_of(link) if link else "",
        "nav_section": "care",
    }
    return render(request, "web/referrals/list.html", context)


@require_POST
@agent_required
def agent_card_issue_view(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """我的名片: the agent's card page, made once, to send to clients and to print as a QR code."""
    agent_card_issue(agent=agent)
    return redirect(reverse("web:referrals") + "#my-card")


def _reward_step(
    request: HtmxRequest, agent: Agent, referral_id: int, reward_id: int, step: Any, done: str
) -> HttpResponse:
    reward = access_reward(agent, referral_id, reward_id)
    try:
        step(reward=reward, by=agent)
    except (ApplicationError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        messages.success(request, done)
    return redirect(reverse("web:referrals") + f"#referral-{referral_id}")


@require_POST
@agent_required
def reward_approve_view(request: HtmxRequest, agent: Agent, referral_id: int, reward_id: int) -> HttpResponse:
    return _reward_step(request, agent, referral_id, reward_id, reward_approve, _("奖励已审批。"))


@require_POST
@agent_required
def reward_pay_view(request: HtmxRequest, agent: Agent, referral_id: int, reward_id: int) -> HttpResponse:
    return _reward_step(request, agent, referral_id, reward_id, reward_pay, _("奖励已发放。"))


@agent_required
def referral_settings_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """奖励规则 (administrators): the company's data, not code."""
    if agent.role != Role.ADMIN:
        raise PermissionDenied(_("只有管理员可以修改转介绍奖励规则。"))
    rule = referral_settings(agent.company_id)
    fields = list(ReferralSettingsForm.base_fields)
    form = ReferralSettingsForm(request.POST or None, initial={f: getattr(rule, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            referral_settings_set(company_id=agent.company_id, by=agent, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("转介绍奖励规则已保存。"))
            return redirect("web:referral_settings")
    return render(request, "web/referrals/settings.html", {"form": form, "nav_section": "care"})


@require_POST
@agent_required
def referral_record_view(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    """登记介绍人 from the client's page: a client referrer by mobile, or a partner or other by name."""
    client = access_client_for_write(agent, client_id)
    form = ReferralForm(request.POST, agent=agent)
    if not form.is_valid():
        messages.error(request, _("请检查介绍人信息。"))
        return redirect(reverse("web:client_detail", args=[client.pk]) + "#referrals")
    data = form.cleaned_data
    try:
        referrer = None
        if data["referrer_kind"] == ReferrerKind.CLIENT:
            mobile = data["referrer_mobile"].strip()
            referrer = (
                find_by_mobile(company_id=agent.company_id, mobile=normalize_mobile(mobile))
                if mobile
                else None
            )
            if referrer is None:
                raise ApplicationError(_("没有找到手机号为 %(mobile)s 的介绍人。") % {"mobile": mobile})
        referral_record(
            by=agent,
            referred=client,
            referrer_kind=data["referrer_kind"],
            referrer_client=referrer,
            referrer_name=data["referrer_name"],
            referrer_partner=data["referrer_partner"],
            note=data["note"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记介绍人。"))
    return redirect(reverse("web:client_detail", args=[client.pk]) + "#referrals")


@require_POST
@agent_required
def referral_code_view(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    """The client's referral code, to put on the listing links the agent sends them (?ref=…)."""
    client = access_client(agent, client_id)
    if not may_write_client(agent, client):
        raise PermissionDenied(_("只有归属经纪人及其店长、管理员可以生成推荐码。"))
    referral_code_issue(client=client)
    return redirect(reverse("web:client_detail", args=[client.pk]) + "#referrals")


@require_POST
@agent_required
def referral_ask_view(request: HtmxRequest, agent: Agent, client_id: int) -> HttpResponse:
    """鼓励分享 done (the workbench's button): the client was asked to refer friends."""
    client = access_client(agent, client_id)
    referral_ask_record(client=client, by=agent)
    messages.success(request, _("已记录：已邀请“%(name)s”转介绍。") % {"name": client.name})
    return redirect("web:workbench")


def _too_many_contacts(request: HttpRequest, agent_id: int) -> bool:
    """Count this submission of a public contact form, per address and per agent (a flood spread
    over many addresses); True when either is over the limit (settings: ANJU_CONTACT_LIMIT_…)."""
    return rate_limits_exceeded(
        [
            (f"contact:address:{client_ip(request) or 'unknown'}", settings.ANJU_CONTACT_LIMIT_PER_ADDRESS),
            (f"contact:agent:{agent_id}", settings.ANJU_CONTACT_LIMIT_PER_AGENT),
        ],
        seconds=settings.ANJU_CONTACT_LIMIT_MINUTES * 60,
    )


def _refused(request: HttpRequest, back: str) -> HttpResponse:
    """429: the visitor is told to wait, and nothing they sent is kept."""
    minutes = settings.ANJU_CONTACT_LIMIT_MINUTES
    response = render(request, "web/referrals/too_many.html", {"back": back, "minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@require_POST
def shared_contact(request: HttpRequest, slug: str) -> HttpResponse:
    """留下联系方式 on a shared listing page (no login): a new client of the sharing agent, attributed
    to the referrer whose code the link carried. A number the agency has is thanked alike, so the page
    tells a visitor nothing about who else is a client."""
    share = share_by_slug(slug)
    form = ContactForm(request.POST)
    ref = request.POST.get("ref", "")
    back = reverse("web:shared_listing", kwargs={"slug": slug}) + (
        f"?{urlencode({'ref': ref})}" if REFERRAL.match(ref) else ""
    )
    if _too_many_contacts(request, share.agent_id):
        return _refused(request, back)
    if not form.is_valid():
        messages.error(request, _("请填写您的称呼和手机号。"))
        return redirect(back)
    return _thank(
        request,
        back,
        lambda: referral_arrive(
            share=share,
            code=form.cleaned_data["ref"] if REFERRAL.match(ref) else "",
            name=form.cleaned_data["name"],
            mobile=form.cleaned_data["mobile"],
        ),
    )


def _thank(request: HttpRequest, back: str, arrive: Callable[[], object]) -> HttpResponse:
    """Run ``arrive`` and thank the visitor; a number the agency already has is thanked alike (their
    agent has them), any other refusal is said in Chinese and nothing is kept."""
    try:
        arrive()
    except ConflictError:
        pass  # already a client: their agent has them
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, _("已收到，经纪人会尽快与您联系。"))
    return redirect(back)


def agent_card_page(request: HttpRequest, slug: str) -> HttpResponse:
    """名片页 (no login): the agent's photo (or the first character of the name), name, store and
    masked mobile, and a contact form that carries the referral code the link came with."""
    card = card_by_slug(slug)
    ref = request.GET.get("ref", "")
    ref = ref if REFERRAL.match(ref) else ""
    link = card_link(request, card, ref)
    agent = card.agent
    photo = reverse("web:agent_card_photo", kwargs={"slug": slug}) + f"?v={agent.photo_version}"
    context = {
        "card": card,
        "agent": agent,
        "photo_link": request.build_absolute_uri(photo) if agent.photo else "",
        "store": card.agent.store,
        "masked_mobile": mask_mobile(card.agent.mobile) if card.agent.mobile else "",
        "ref": ref,
        "link": link,
        "qr": qr_of(link),
        "form": ContactForm(initial={"ref": ref}),
    }
    response = render(request, "web/referrals/card.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def agent_card_photo(request: HttpRequest, slug: str) -> FileResponse:
    """The card page's photo for anyone with the link, as a shared listing's photos are: always the
    small copy, re-encoded without the camera's EXIF; not found once the agent has left."""
    agent = card_photo(slug)
    name = thumbnail(agent.photo.storage, str(agent.photo.name))
    response = FileResponse(agent.photo.storage.open(name, "rb"), content_type=image_content_type(name))
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_POST
def agent_card_contact(request: HttpRequest, slug: str) -> HttpResponse:
    """留下联系方式 on a card page: the agent's new client, attributed to the referrer whose code the
    link carried. A number the agency has is thanked alike, as on a shared listing page."""
    card = card_by_slug(slug)
    ref = request.POST.get("ref", "")
    ref = ref if REFERRAL.match(ref) else ""
    back = reverse("web:agent_card", kwargs={"slug": slug}) + (f"?{urlencode({'ref': ref})}" if ref else "")
    if _too_many_contacts(request, card.agent_id):
        return _refused(request, back)
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写您的称呼和手机号。"))
        return redirect(back)
    return _thank(
        request,
        back,
        lambda: referral_arrive_by_card(
            card=card, code=ref, name=form.cleaned_data["name"], mobile=form.cleaned_data["mobile"]
        ),
    )


urlpatterns = [
    path("care/referrals/", referrals_page, name="referrals"),
    path("care/referrals/settings/", referral_settings_page, name="referral_settings"),
    path(
        "care/referrals/<int:referral_id>/rewards/<int:reward_id>/approve/",
        reward_approve_view,
        name="reward_approve",
    ),
    path("care/referrals/<int:referral_id>/rewards/<int:reward_id>/pay/", reward_pay_view, name="reward_pay"),
    path("clients/<int:client_id>/referral/", referral_record_view, name="referral_record"),
    path("clients/<int:client_id>/referral-code/", referral_code_view, name="referral_code"),
    path("clients/<int:client_id>/referral-ask/", referral_ask_view, name="referral_ask"),
    path("s/<slug:slug>/contact/", shared_contact, name="shared_contact"),
    path("care/referrals/my-card/", agent_card_issue_view, name="agent_card_issue"),
    path("c/<slug:slug>/", agent_card_page, name="agent_card"),
    path("c/<slug:slug>/contact/", agent_card_contact, name="agent_card_contact"),
    path("c/<slug:slug>/photo/", agent_card_photo, name="agent_card_photo"),
]
