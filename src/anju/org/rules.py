"""Object permissions (django-rules). Names follow ``<app>.<verb>_<model>``."""

from __future__ import annotations

from typing import Any

import rules

from anju.org.models import Role


@rules.predicate
def has_agent(user: Any) -> bool:
    agent = getattr(user, "agent", None)
    return agent is not None and agent.is_active


@rules.predicate
def is_admin(user: Any) -> bool:
    return has_agent(user) and user.agent.role == Role.ADMIN


@rules.predicate
def is_manager(user: Any) -> bool:
    return has_agent(user) and user.agent.role == Role.MANAGER


@rules.predicate
def same_company(user: Any, obj: Any) -> bool:
    return obj is not None and has_agent(user) and obj.company_id == user.agent.company_id


@rules.predicate
def manages_agent(user: Any, agent: Any) -> bool:
    """Administrators manage everyone in the company; a manager the plain agents of their store."""
    if agent is None or not same_company(user, agent):
        return False
    if is_admin(user):
        return True
    return is_manager(user) and agent.store_id == user.agent.store_id and agent.role == Role.AGENT


rules.add_perm("org.view_staff", is_admin | is_manager)
rules.add_perm("org.add_store", is_admin)
rules.add_perm("org.manage_agent", manages_agent)
rules.add_perm("org.view_store", same_company)
rules.add_perm("org.change_store", same_company & is_admin)
rules.add_perm("org.view_agent", same_company)
