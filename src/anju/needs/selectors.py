"""Reads for needs (需求).

Needs are seen by whoever may see the client (``clients.view_client``): the public pool's by
everyone in the company, a private client's by the owner and the managers above them. Changing
them is narrower, as for every record of a client (``may_write_client`` in ``clients.selectors``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.needs.models import Need, NeedStatus
from anju.needs.text import NEED_PREFETCH
from anju.org.models import Agent
from anju.org.scoping import in_company, pool_or_owned


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
