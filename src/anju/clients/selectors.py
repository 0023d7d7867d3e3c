"""Reads for clients: who may see which client, whose phone number in full, who may change its records.

A client's records (its needs, follow-ups and what later apps keep about it) are changed by the owner
and the staff above them (``may_write_client``, the rule ``clients.change_client``) — and by nobody
while the client sits in the pool (it must be claimed first).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.expressions import MobileTail
from anju.clients.models import Client, Interaction, KeptRecord, PersonalDataAccess, RevealLog
from anju.core.errors import ApplicationError
from anju.org.models import Agent, Role
from anju.org.scoping import in_company, owned_scope, pool_or_owned


def clients_visible(viewer: Agent) -> QuerySet[Client]:
    """The public pool of the viewer's company plus the private clients within the viewer's scope.

    An erased client (decision 0024) is in no list: its page still opens by its link, saying so."""
    return _listed(in_company(Client.objects.all(), viewer).filter(pool_or_owned(viewer)))


def _listed(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Clients as a list shows them: neither merged away nor erased, with their agent and store."""
    return clients.select_related("owner", "store").filter(merged_into__isnull=True, erased_at__isnull=True)


@dataclass(frozen=True)
class ClientFilters:
    """What the client list can be narrowed by; every field optional."""

    scope: str = ""  # "mine" (private clients in the viewer's scope), "pool", or "" for both
    owner_id: int | None = None
    need_kind: str = ""
    follow_up_due: bool = False
    tag: str = ""
    q: str = ""  # a name, the last four digits of the mobile, or a whole mobile
    tier: str = ""  # A/B/C/D as client care last scored the client


# The orders a client list can take (keyset pagination, ``id`` last): newest first, or by tier (A
# first; within a tier the newest first).
CLIENT_ORDERS: dict[str, list[str]] = {
    "recent": ["-created_at", "-id"],
    "tier": ["tier", "-created_at", "-id"],
}


def client_search(viewer: Agent, filters: ClientFilters) -> QuerySet[Client]:
    if filters.scope == "mine":
        # The private clients in the viewer's scope, said without the pool's OR: an agent's are then
        # a range of an index that starts with the owner (SQLite otherwise walked the company's
        # clients, newest first, for an agent's follow-ups due: 200 ms at the 1M demo).
        qs = owned_scope(_listed(Client.objects.filter(owner__isnull=False)), viewer)
    elif filters.scope == "pool":
        qs = in_company(_listed(Client.objects.filter(owner__isnull=True)), viewer)
    else:
        qs = clients_visible(viewer)
    if filters.owner_id is not None:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.need_kind:
        qs = qs.filter(needs__kind=filters.need_kind, needs__status="active").distinct()
    if filters.follow_up_due:
        # Bounded on both sides, though no date is before the first: SQLite keeps no histogram of
        # the dates, takes a range with two bounds to be a sliver of the agent's clients and reads
        # it from ``client_live_follow_up``. With one bound it walked the agent's clients newest
        # first looking for the due (166 ms for 70,000 clients with one due, at the 1M demo).
        qs = qs.filter(next_follow_up_on__range=(dt.date.min, timezone.localdate()))
    if filters.tag:
        qs = qs.filter(tags__name=filters.tag)
    if filters.tier:
        qs = qs.filter(tier=filters.tier)
    q = filters.q.strip()
    if q.isdigit() and len(q) == 4:
        # The last four digits are what a masked number shows, so searching by them reveals nothing.
        qs = qs.alias(mobile_tail=MobileTail("mobile")).filter(mobile_tail=q)
    elif q.isdigit() and len(q) == 11:
        qs = qs.filter(mobile=q)
    elif q:
        qs = qs.filter(name__icontains=q)
    return qs


def access_client(viewer: Agent, client_id: int) -> Client:
    """The client, 404 when it is another company's (or absent), 403 when it is a colleague's private one."""
    client = in_company(Client.objects.select_related("owner", "store"), viewer).filter(pk=client_id).first()
    if client is None:
        raise Http404(_("没有找到该客户。"))
    if client.merged_into_id is not None:
        # A merged duplicate leads to the client that absorbed it.
        return access_client(viewer, client.merged_into_id)
    if not viewer.user.has_perm("clients.view_client", client):
        raise PermissionDenied(_("这是其他经纪人的私客，您无权查看。"))
    return client


def may_see_mobile(viewer: Agent, client: Client) -> bool:
    return viewer.user.has_perm("clients.view_client_mobile", client)


def shown_mobile(viewer: Agent, client: Client) -> str:
    return client.mobile if may_see_mobile(viewer, client) else client.masked_mobile


def with_shown_mobiles(viewer: Agent, clients: list[Client]) -> list[Client]:
    """Sets ``shown_mobile`` on each client for templates: full or masked, as the viewer may see it."""
    for client in clients:
        client.shown_mobile = shown_mobile(viewer, client)  # type: ignore[attr-defined]
    return clients


def access_client_for_change(viewer: Agent, client_id: int) -> Client:
    client = access_client(viewer, client_id)
    if client.erased_at is not None:
        raise ApplicationError(_("该客户的个人信息已按个人信息保护法删除。"), code="client_erased")
    if not viewer.user.has_perm("clients.change_client", client):
        if client.in_pool:
            raise PermissionDenied(_("这是公客池中的客户，请先认领。"))
        raise PermissionDenied(_("您无权修改该客户。"))
    return client


def reveal_log(viewer: Agent) -> QuerySet[RevealLog]:
    """Number reveals a manager may read: their store's clients; an administrator the company's."""
    if not viewer.user.has_perm("clients.view_reveal_log"):
        raise PermissionDenied(_("只有店长和管理员可以查看号码查看记录。"))
    qs = RevealLog.objects.filter(client__company_id=viewer.company_id).select_related("viewer", "client")
    if viewer.role != Role.ADMIN:
        qs = qs.filter(viewer__store=viewer.store)
    return qs.order_by("-at", "-id")


# --- personal information rights (decision 0024) -----------------------------------------------


def may_handle_personal_data(viewer: Agent, client: Client) -> bool:
    """Export and erasure: a store manager or an administrator who sees the client."""
    return bool(viewer.user.has_perm("clients.handle_personal_data")) and client.merged_into_id is None


@dataclass(frozen=True)
class AccessFilters:
    """What the audit view (个人信息访问记录) can be narrowed by; every field optional."""

    agent_id: int | None = None
    kind: str = ""
    client_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def personal_data_accesses(viewer: Agent, filters: AccessFilters) -> QuerySet[PersonalDataAccess]:
    """Staff access to personal data a manager may read: by their store's staff; an administrator
    the company's. Newest first (keyset by ``-at, -id``)."""
    if not viewer.user.has_perm("clients.view_reveal_log"):
        raise PermissionDenied(_("只有店长和管理员可以查看个人信息访问记录。"))
    qs = PersonalDataAccess.objects.filter(company_id=viewer.company_id).select_related("agent", "client")
    if viewer.role != Role.ADMIN:
        qs = qs.filter(agent__store=viewer.store)
    if filters.agent_id is not None:
        qs = qs.filter(agent_id=filters.agent_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.client_id is not None:
        qs = qs.filter(client_id=filters.client_id)
    if filters.since is not None:
        qs = qs.filter(at__gte=_day_start(filters.since))
    if filters.until is not None:
        qs = qs.filter(at__lt=_day_start(filters.until + dt.timedelta(days=1)))
    return qs.order_by("-at", "-id")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def kept_records(client: Client) -> QuerySet[KeptRecord]:
    """The records kept by law after the client's erasure, with the reason and until when."""
    return KeptRecord.objects.filter(client=client).order_by("keep_until", "id")


# --- who may change a client's records (needs, follow-ups, ...) ---------------------------------


def may_write_client(viewer: Agent, client: Client) -> bool:
    """The client rule ``clients.change_client`` (owner and the managers above; never a pool client)."""
    if client.merged_into_id or client.erased_at is not None:
        return False
    return bool(viewer.user.has_perm("clients.change_client", client))


def ensure_may_write(viewer: Agent, client: Client) -> None:
    """Raises with the reason a viewer who may see ``client`` still may not change its records."""
    if client.merged_into_id:
        raise ApplicationError(_("该客户已合并到其他客户，请在合并后的客户下操作。"), code="client_merged")
    if client.erased_at is not None:
        raise ApplicationError(_("该客户的个人信息已按个人信息保护法删除。"), code="client_erased")
    if client.owner_id is None:
        raise PermissionDenied(_("该客户在公客池中，请先认领该客户。"))
    if not may_write_client(viewer, client):
        raise PermissionDenied(_("只有归属经纪人及其店长、管理员可以修改该客户的需求和跟进。"))


def access_client_for_write(viewer: Agent, client_id: int) -> Client:
    """The client when the viewer may change its records: 404 another company's, 403 not theirs."""
    client = access_client(viewer, client_id)
    ensure_may_write(viewer, client)
    return client


def interactions_visible(viewer: Agent) -> QuerySet[Interaction]:
    """Follow-ups of the clients the viewer may see."""
    return (
        Interaction.objects.filter(client__company=viewer.company_id)
        .filter(pool_or_owned(viewer, owner_field="client__owner", store_field="client__store"))
        .select_related("client", "agent")
    )


# --- the workbench ----------------------------------------------------------------------------


COUNTED_MOST = 9_999  # the workbench's counts of clients stop here: "9999+" (decision 0029)


def count_up_to(rows: QuerySet[Client], most: int) -> tuple[int, bool]:
    """How many ``rows`` there are, counted up to ``most``; and whether there are more."""
    counted = rows.order_by()[: most + 1].count()  # unordered: the first entries of the index
    return min(counted, most), counted > most


@dataclass(frozen=True)
class ClientsDay:
    """What the workbench shows of the agent's clients: the counts, and whom to contact first.

    Each count stops at ``COUNTED_MOST`` and says whether there are more: at a million clients the
    pool holds some 300,000 and an agent of the demo 50,000, which every visit would count entry by
    entry. "9999+" tells an agent what the exact number would; the lists count them all.
    """

    my_clients: int
    pool_clients: int
    due_count: int
    due: list[Client]  # next follow-up on or before the day, the longest overdue first
    quiet: list[Client]  # the rest of the agent's clients, the longest without contact first
    more: frozenset[str] = frozenset()  # the counts that stopped: "my_clients", "pool_clients", "due_count"


def clients_for_day(viewer: Agent, day: dt.date, *, limit: int = 8) -> ClientsDay:
    """Five queries whatever the number of clients: the viewer's clients counted, those due, the pool,
    the due ones and the quiet ones, each read from its index (a million clients cost what a
    thousand do).

    The quiet ones fill the list up to ``limit`` after the due ones; they are read even when the due
    ones fill it, so that the query count does not depend on the rows.
    """
    # The pool and the viewer's own clients (a manager's in their store: one who moved store keeps
    # the old store's clients until they are handed over, and sees them no more), each asked for
    # apart: each a range of one index (``client_live_follow_up``), counted without reading rows, up
    # to COUNTED_MOST. "The pool or the viewer's own" in one question is no range of any index.
    live = in_company(Client.objects.all(), viewer).filter(merged_into__isnull=True, erased_at__isnull=True)
    own = owned_scope(live, viewer).filter(owner=viewer)
    my_clients, my_more = count_up_to(own, COUNTED_MOST)
    due_count, due_more = count_up_to(own.filter(next_follow_up_on__lte=day), COUNTED_MOST)
    pool_clients, pool_more = count_up_to(live.filter(owner__isnull=True), COUNTED_MOST)
    own = own.select_related("owner", "store")
    due = list(own.filter(next_follow_up_on__lte=day).order_by("next_follow_up_on", "id")[:limit])
    quiet = list(own.exclude(next_follow_up_on__lte=day).order_by("last_contact_at", "id")[:limit])
    return ClientsDay(
        my_clients=my_clients,
        pool_clients=pool_clients,
        due_count=due_count,
        more=frozenset(
            name
            for name, more in (("my_clients", my_more), ("pool_clients", pool_more), ("due_count", due_more))
            if more
        ),
        due=with_shown_mobiles(viewer, due),
        quiet=with_shown_mobiles(viewer, quiet[: limit - len(due)]),
    )
