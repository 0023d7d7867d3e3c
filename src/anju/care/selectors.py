"""Reads of client care: tiers and stages for the apps above, the day's contacts, the care page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from anju.care.models import TierChange, TierPin
from anju.clients.models import Client, Stage, Tier
from anju.clients.selectors import clients_visible, with_shown_mobiles
from anju.org.models import Agent, Role
from anju.org.scoping import in_company


def client_tiers(client_ids: Iterable[int]) -> dict[int, str]:
    """The current tier of each client named ("" for one not scored yet); one query."""
    return dict(Client.objects.filter(pk__in=list(client_ids)).values_list("pk", "tier"))


def stage_of(client: Client) -> str:
    """``prospect``, ``transaction`` (an open deal) or ``past`` (a closed deal), as the care job last saw it."""
    return client.stage or Stage.PROSPECT


def tier_history(client: Client, *, limit: int = 20) -> list[TierChange]:
    """The client's tier changes, newest first (the caller has access to the client)."""
    return list(TierChange.objects.filter(client=client).select_related("by").order_by("-at", "-id")[:limit])


def tier_pin_of(client: Client) -> TierPin | None:
    return TierPin.objects.filter(client=client).select_related("by").first()


def may_pin(viewer: Agent, client: Client) -> bool:
    if viewer.company_id != client.company_id:
        return False
    if viewer.role == Role.ADMIN:
        return True
    return viewer.role == Role.MANAGER and client.store_id in (None, viewer.store_id)


# --- the agent's day -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CareDay:
    """Contacts the cadence asks for: the agent's own clients, and for a manager who is behind."""

    due_count: int
    overdue_count: int
    due: list[Client]  # by cadence, on or before the day, the longest overdue first
    behind: list[dict[str, Any]]  # managers: {"owner_id", "owner__name", "overdue"} per agent of the store


def _cadence_due(viewer: Agent, day: dt.date) -> QuerySet[Client]:
    # A date the agent set themselves is the clients' section's follow-up; care lists the others.
    return clients_visible(viewer).filter(
        owner=viewer, next_contact_on__lte=day, next_follow_up_on__isnull=True
    )


def care_for_day(viewer: Agent, day: dt.date, *, limit: int = 8) -> CareDay:
    """Three queries whatever the number of clients: the counts, the first due ones, who is behind."""
    due = _cadence_due(viewer, day)
    # Counts of indexed columns (``client_live_cadence``), not of the id: that would read every row.
    counts = due.aggregate(
        due=Count("*"), overdue=Count("next_contact_on", filter=Q(next_contact_on__lt=day))
    )
    first = list(due.order_by("next_contact_on", "id")[:limit])
    behind: list[dict[str, Any]] = []
    if viewer.role in (Role.MANAGER, Role.ADMIN):
        # Grouped from the index (``client_live_store_contact``) alone, each agent's name read for the
        # few groups shown: a join before the grouping would read every overdue client's row.
        store_clients = in_company(Client.objects.all(), viewer).filter(
            owner__isnull=False, merged_into__isnull=True, erased_at__isnull=True, next_contact_on__lt=day
        )
        if viewer.role == Role.MANAGER:
            store_clients = store_clients.filter(store=viewer.store)
        name = Agent.objects.filter(pk=OuterRef("owner_id")).values("name")[:1]
        behind = [
            dict(row)
            for row in store_clients.order_by()
            .values("owner_id")
            .annotate(overdue=Count("*"))
            .annotate(owner__name=Subquery(name))
            .order_by("-overdue", "owner_id")[:limit]
        ]
    return CareDay(
        due_count=counts["due"],
        overdue_count=counts["overdue"],
        due=with_shown_mobiles(viewer, first),
        behind=behind,
    )


# --- the care page (客户服务) -----------------------------------------------------------------------


def tier_distribution(viewer: Agent) -> dict[str, int]:
    """How many of the clients in the viewer's scope stand in each tier (pool included); one query."""
    counts = dict(
        clients_visible(viewer)
        .order_by()
        .values_list("tier")
        .annotate(n=Count("pk"))
        .values_list("tier", "n")
    )
    return {tier: counts.get(tier, 0) for tier in (*Tier.values, "")}


def care_due(viewer: Agent, day: dt.date, *, limit: int = 50) -> list[Client]:
    """The clients in the viewer's scope due for contact by the cadence (own date or interval)."""
    due = clients_visible(viewer).filter(owner__isnull=False, next_contact_on__lte=day)
    return with_shown_mobiles(viewer, list(due.order_by("next_contact_on", "id")[:limit]))


def pinned_tiers(viewer: Agent, *, limit: int = 50) -> list[TierPin]:
    """The hand-set tiers on clients the viewer may see, newest first."""
    visible = clients_visible(viewer).values("pk")
    return list(
        TierPin.objects.filter(client__in=visible)
        .select_related("client", "by")
        .order_by("-at", "-id")[:limit]
    )
