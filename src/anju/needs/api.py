"""/api/v1/needs — clients' needs (需求): list, read, create, change, and move through their statuses."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from anju.clients.selectors import access_client_for_write
from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.needs.models import Need
from anju.needs.schemas import (
    NeedCreateIn,
    NeedKindIn,
    NeedOut,
    NeedStatusChangeIn,
    NeedStatusIn,
    NeedUpdateIn,
)
from anju.needs.selectors import access_need, needs_visible
from anju.needs.services import allowed_transitions, need_create, need_set_status, need_update
from anju.needs.text import need_summary
from anju.org.scoping import agent_of

router = Router(tags=["需求"])


def need_out(need: Need) -> dict[str, Any]:
    """The API view of a need; its places and property are expected to be prefetched."""

    def places(relation: str) -> list[dict[str, Any]]:
        return [{"id": p.pk, "name": p.name} for p in getattr(need, relation).all()]

    return {
        **{field: getattr(need, field) for field in NeedOut.model_fields if hasattr(Need, field)},
        "client_id": need.client_id,
        "client_name": need.client.name,
        "agent_id": need.agent_id,
        "agent_name": need.agent.name,
        "kind_label": need.get_kind_display(),
        "status_label": need.get_status_display(),
        "summary": need_summary(need),
        "allowed_statuses": list(allowed_transitions(need.status)),
        "districts": places("districts"),
        "business_areas": places("business_areas"),
        "communities": places("communities"),
        "property_id": need.property_id,
        "property_label": str(need.property) if need.property else None,
        "orientations": list(need.orientations or []),
    }


class NeedFilters(Schema):
    kind: NeedKindIn | None = None
    status: NeedStatusIn | None = None
    client: int | None = None
    cursor: str | None = None
    limit: int = 50


@router.get("", response={200: CursorPage[NeedOut], **ERRORS}, summary="需求列表（可见客户的需求，最新在前）")
def list_needs(request: HttpRequest, filters: Query[NeedFilters]) -> dict:
    viewer = agent_of(request.user)
    qs = needs_visible(viewer)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.client is not None:
        qs = qs.filter(client_id=filters.client)
    rows, next_cursor = keyset_page(
        qs, order=["-created_at", "-id"], cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [need_out(n) for n in rows], "next_cursor": next_cursor}


@router.post("", response={201: NeedOut, **ERRORS}, summary="新增需求（购房、租房、售房、出租）")
def create_need(request: HttpRequest, payload: NeedCreateIn) -> Status[dict]:
    viewer = agent_of(request.user)
    client = access_client_for_write(viewer, payload.client_id)
    fields = payload.dict(exclude={"client_id", "kind"}, exclude_none=True)
    need = need_create(agent=viewer, client=client, kind=payload.kind, fields=fields)
    return Status(201, need_out(access_need(viewer, need.pk)))


@router.get("/{need_id}", response={200: NeedOut, **ERRORS}, summary="需求详情")
def get_need(request: HttpRequest, need_id: int) -> dict:
    return need_out(access_need(agent_of(request.user), need_id))


@router.patch("/{need_id}", response={200: NeedOut, **ERRORS}, summary="修改需求（只改提交的字段）")
def update_need(request: HttpRequest, need_id: int, payload: NeedUpdateIn) -> dict:
    viewer = agent_of(request.user)
    need = access_need(viewer, need_id)
    need_update(agent=viewer, need=need, fields=payload.dict(exclude_unset=True))
    return need_out(access_need(viewer, need_id))


@router.post(
    "/{need_id}/status",
    response={200: NeedOut, **ERRORS},
    summary="改变需求状态（暂停、恢复、成交、放弃、重新开启）",
)
def change_need_status(request: HttpRequest, need_id: int, payload: NeedStatusChangeIn) -> dict:
    viewer = agent_of(request.user)
    need = access_need(viewer, need_id)
    need_set_status(agent=viewer, need=need, status=payload.status, reason=payload.reason)
    return need_out(access_need(viewer, need_id))
