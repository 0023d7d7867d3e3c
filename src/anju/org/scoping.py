"""Who sees what: an agent their own records, a manager their store's, an administrator the company's.

Nobody ever sees another company's records; a lookup across companies is a 404, never a 403, so
that ids of other agencies cannot be probed.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from anju.org.models import Agent, Role

M = TypeVar("M", bound=Model)


def agent_of(user: AbstractBaseUser | AnonymousUser) -> Agent:
    """The active agent profile behind a login, or PermissionDenied."""
    if not user.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    agent = getattr(user, "agent", None)
    if agent is None or not agent.is_active:
        raise PermissionDenied(_("此账号没有关联在职员工档案。"))
    return agent


def in_company(queryset: QuerySet[M], agent: Agent, *, field: str = "company") -> QuerySet[M]:
    return queryset.filter(**{field: agent.company_id})


def owned_scope(
    queryset: QuerySet[M], agent: Agent, *, owner_field: str = "owner", store_field: str = "store"
) -> QuerySet[M]:
    """Records ``agent`` may see among those that have an owning agent and a store."""
    qs = in_company(queryset, agent)
    if agent.role == Role.ADMIN:
        return qs
    if agent.role in (Role.MANAGER, Role.SPECIALIST):
        return qs.filter(**{store_field: agent.store_id})
    return qs.filter(**{owner_field: agent.pk})


def can_see_owned(agent: Agent, *, company_id: int, owner_id: int | None, store_id: int | None) -> bool:
    if company_id != agent.company_id:
        return False
    if agent.role == Role.ADMIN:
        return True
    if agent.role in (Role.MANAGER, Role.SPECIALIST):
        return store_id is not None and store_id == agent.store_id
    return owner_id is not None and owner_id == agent.pk


def pool_or_owned(agent: Agent, *, owner_field: str = "owner", store_field: str = "store") -> Q:
    """Q for records in the company's public pool (no owner) or within the agent's scope."""
    pool = Q(**{f"{owner_field}__isnull": True})
    if agent.role == Role.ADMIN:
        return Q()
    if agent.role in (Role.MANAGER, Role.SPECIALIST):
        return pool | Q(**{store_field: agent.store_id})
    return pool | Q(**{owner_field: agent.pk})
