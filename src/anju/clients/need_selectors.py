"""Reads for needs (需求) and follow-ups (跟进), and who may change a client's records.

Needs and follow-ups are seen by whoever may see the client (``clients.view_client``): the public
pool's by everyone in the company, a private client's by the owner and the managers above them.
Changing them is narrower (``may_write_client``, the rule ``clients.change_client``): the owner and
the staff above them — and nobody while the client sits in the pool (it must be claimed first).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from anju.clients.models import Client, Interaction, Need, NeedStatus
from anju.clients.need_text import NEED_PREFETCH
from anju.clients.selectors import access_client
from anju.core.errors import ApplicationError
from anju.org.models import Agent
from anju.org.scoping import in_company, pool_or_owned


def may_write_client(viewer: Agent, client: Client) -> bool:
    """The client rule ``clients.change_client`` (owner and the managers above; never a pool client)."""
    if client.merged_into_id:
        return False
    return bool(viewer.user.has_perm("clients.change_client", client))


def ensure_may_write(viewer: Agent, client: Client) -> None:
    """Raises with the reason a viewer who may see ``client`` still may not change its records."""
    if client.merged_into_id:
        raise ApplicationError(_("该客户已合并到其他客户，请在合并后的客户下操作。"), code="client_merged")
    if client.owner_id is None:
        raise PermissionDenied(_("该客户在公客池中，请先认领该客户。"))
    if not may_write_client(viewer, client):
        raise PermissionDenied(_("只有归属经纪人及其店长、管理员可以修改该客户的需求和跟进。"))


def access_client_for_write(viewer: Agent, client_id: int) -> Client:
    """The client when the viewer may change its records: 404 another company's, 403 not theirs."""
    client = access_client(viewer, client_id)
    ensure_may_write(viewer, client)
    return client


def needs_visible(viewer: Agent) -> QuerySet[Need]:
    """Needs of the clients the viewer may see, ready for summaries (no query per row)."""
    return (
        in_company(Need.objects.all(), viewer)
        .filter(pool_or_owned(viewer, owner_field="client__owner", store_field="client__store"))
        .select_related("client", "agent", "property__community")
        .prefetch_related(*NEED_PREFETCH)
    )


def needs_of_client(client: Client) -> QuerySet[Need]:
    """A client's needs for the client page: open ones first, newest first within a status."""
    open_first = Case(
        When(status=NeedStatus.ACTIVE, then=Value(0)),
        When(status=NeedStatus.PAUSED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Need.objects.filter(client=client)
        .select_related("agent", "property__community")
        .prefetch_related(*NEED_PREFETCH)
        .order_by(open_first, "-created_at", "-id")
    )


def access_need(viewer: Agent, need_id: int) -> Need:
    """The need, 404 when another company's or absent, 403 when its client is a colleague's private one."""
    need = needs_in_company(viewer).filter(pk=need_id).first()
    if need is None:
        raise Http404(_("没有找到该需求。"))
    if not viewer.user.has_perm("clients.view_client", need.client):
        raise PermissionDenied(_("这是其他经纪人私客的需求，您无权查看。"))
    return need


def needs_in_company(viewer: Agent) -> QuerySet[Need]:
    return (
        in_company(Need.objects.all(), viewer)
        .select_related("client", "client__owner", "client__store", "agent", "property__community")
        .prefetch_related(*NEED_PREFETCH)
    )


def interactions_visible(viewer: Agent) -> QuerySet[Interaction]:
    """Follow-ups of the clients the viewer may see."""
    return (
        Interaction.objects.filter(client__company=viewer.company_id)
        .filter(pool_or_owned(viewer, owner_field="client__owner", store_field="client__store"))
        .select_related("client", "agent")
    )


def need_of_client(client: Client, need_id: int) -> Need:
    """A need named in a follow-up: it must be one of this client's."""
    need = Need.objects.filter(client=client, pk=need_id).first()
    if need is None:
        raise ApplicationError(_("该需求不属于此客户。"), code="need_not_clients")
    return need
