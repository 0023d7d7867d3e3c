"""Reads for clients: who may see which client, and whose phone number in full."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.org.models import Agent
from anju.org.scoping import in_company, pool_or_owned


def clients_visible(viewer: Agent) -> QuerySet[Client]:
    """The public pool of the viewer's company plus the private clients within the viewer's scope."""
    return in_company(Client.objects.select_related("owner", "store"), viewer).filter(pool_or_owned(viewer))


def access_client(viewer: Agent, client_id: int) -> Client:
    """The client, 404 when it is another company's (or absent), 403 when it is a colleague's private one."""
    client = in_company(Client.objects.select_related("owner", "store"), viewer).filter(pk=client_id).first()
    if client is None:
        raise Http404(_("没有找到该客户。"))
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
