"""Reads for the organisation."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anju.org.models import Agent, ApiToken, Store
from anju.org.scoping import in_company


def stores_visible(viewer: Agent) -> QuerySet[Store]:
    return in_company(Store.objects.all(), viewer)


def agents_visible(viewer: Agent) -> QuerySet[Agent]:
    """Colleagues are visible company-wide (names, stores, roles); their records are not."""
    return in_company(Agent.objects.select_related("store", "user"), viewer).filter(is_active=True)


def access_agent(viewer: Agent, agent_id: int) -> Agent:
    agent = agents_visible(viewer).filter(pk=agent_id).first()
    if agent is None:
        raise Http404(_("没有找到该员工。"))
    return agent


def tokens_of(viewer: Agent) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=viewer.user_id).order_by("-created_at")


def access_token(viewer: Agent, token_id: int) -> ApiToken:
    token = tokens_of(viewer).filter(pk=token_id).first()
    if token is None:
        raise Http404(_("没有找到该令牌。"))
    return token
