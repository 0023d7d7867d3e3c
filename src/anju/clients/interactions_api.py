"""/api/v1/interactions — follow-ups (跟进记录): a client's history of contact, and recording a new one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from anju.clients.models import Interaction
from anju.clients.need_schemas import InteractionIn, InteractionOut
from anju.clients.need_selectors import access_client_for_write, interactions_visible, need_of_client
from anju.clients.need_services import interaction_create
from anju.clients.selectors import access_client
from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.org.scoping import agent_of

router = Router(tags=["跟进记录"])


def interaction_out(interaction: Interaction) -> dict[str, Any]:
    return {
        "id": interaction.pk,
        "client_id": interaction.client_id,
        "agent_id": interaction.agent_id,
        "agent_name": interaction.agent.name,
        "need_id": interaction.need_id,
        "kind": interaction.kind,
        "kind_label": interaction.get_kind_display(),
        "summary": interaction.summary,
        "happened_at": interaction.happened_at,
        "next_follow_up_on": interaction.next_follow_up_on,
    }


class InteractionFilters(Schema):
    client_id: int | None = None
    cursor: str | None = None
    limit: int = 50


@router.get(
    "",
    response={200: CursorPage[InteractionOut], **ERRORS},
    summary="跟进记录（某客户的，或可见客户的全部；最新在前）",
)
def list_interactions(request: HttpRequest, filters: Query[InteractionFilters]) -> dict:
    viewer = agent_of(request.user)
    qs = interactions_visible(viewer)
    if filters.client_id is not None:
        # Naming a client one may not see is answered as for the client itself: 404 or 403.
        qs = qs.filter(client=access_client(viewer, filters.client_id))
    rows, next_cursor = keyset_page(
        qs, order=["-happened_at", "-id"], cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [interaction_out(i) for i in rows], "next_cursor": next_cursor}


@router.post(
    "",
    response={201: InteractionOut, **ERRORS},
    summary="记录一次跟进（更新客户的最近跟进和下次跟进日期）",
)
def create_interaction(request: HttpRequest, payload: InteractionIn) -> Status[dict]:
    viewer = agent_of(request.user)
    client = access_client_for_write(viewer, payload.client_id)
    need = need_of_client(client, payload.need_id) if payload.need_id is not None else None
    interaction = interaction_create(
        agent=viewer,
        client=client,
        kind=payload.kind,
        summary=payload.summary,
        happened_at=payload.happened_at,
        next_follow_up_on=payload.next_follow_up_on,
        need=need,
    )
    return Status(201, interaction_out(interaction))
