"""Object permissions for clients (django-rules), for templates and services that ask per object."""

from __future__ import annotations

from typing import Any

import rules

from anju.org.rules import has_agent, is_admin, is_manager
from anju.org.scoping import can_see_owned


@rules.predicate
def sees_client(user: Any, client: Any) -> bool:
    if client is None or not has_agent(user) or client.company_id != user.agent.company_id:
        return False
    return client.owner_id is None or _owns_or_manages(user, client)


@rules.predicate
def sees_client_mobile(user: Any, client: Any) -> bool:
    """Full numbers for the owning agent and the managers above them; masked for everyone else."""
    return (
        client is not None
        and has_agent(user)
        and client.owner_id is not None
        and _owns_or_manages(user, client)
    )


def _owns_or_manages(user: Any, client: Any) -> bool:
    return can_see_owned(
        user.agent, company_id=client.company_id, owner_id=client.owner_id, store_id=client.store_id
    )


@rules.predicate
def changes_client(user: Any, client: Any) -> bool:
    """Private clients are changed by their agent and the managers above; pool clients are claimed first."""
    return (
        client is not None
        and has_agent(user)
        and client.owner_id is not None
        and _owns_or_manages(user, client)
    )


rules.add_perm("clients.view_client", sees_client)
rules.add_perm("clients.change_client", changes_client)
rules.add_perm("clients.merge_client", is_admin | is_manager)
rules.add_perm("clients.view_reveal_log", is_admin | is_manager)
# Export and erasure of a client's personal information (decision 0024).
rules.add_perm("clients.handle_personal_data", is_admin | is_manager)
rules.add_perm("clients.view_client_mobile", sees_client_mobile)
