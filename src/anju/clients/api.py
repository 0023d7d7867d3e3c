"""/api/v1/clients — read endpoints; the records issue adds intake and the pool."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from anju.clients.models import Client
from anju.clients.schemas import ClientOut
from anju.clients.selectors import access_client, clients_visible, may_see_mobile
from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.org.models import Agent
from anju.org.scoping import agent_of

router = Router(tags=["客户"])


def client_out(viewer: Agent, client: Client) -> dict:
    full = may_see_mobile(viewer, client)
    return {
        "id": client.pk,
        "name": client.name,
        "mobile": client.mobile if full else client.masked_mobile,
        "mobile_masked": not full,
        "source": client.source,
        "source_label": client.get_source_display(),
        "in_pool": client.in_pool,
        "owner_id": client.owner_id,
        "owner_name": client.owner.name if client.owner else None,
        "store_id": client.store_id,
        "last_contact_at": client.last_contact_at,
        "created_at": client.created_at,
    }


@router.get("", response={200: CursorPage[ClientOut], **ERRORS}, summary="客户列表（我的私客与公客池）")
def list_clients(request: HttpRequest, cursor: str | None = None, limit: int = 50) -> dict:
    viewer = agent_of(request.user)
    rows, next_cursor = keyset_page(
        clients_visible(viewer), order=["-created_at", "-id"], cursor=cursor, limit=limit
    )
    return {"items": [client_out(viewer, c) for c in rows], "next_cursor": next_cursor}


@router.get("/{client_id}", response={200: ClientOut, **ERRORS}, summary="客户详情")
def get_client(request: HttpRequest, client_id: int) -> dict:
    viewer = agent_of(request.user)
    return client_out(viewer, access_client(viewer, client_id))
