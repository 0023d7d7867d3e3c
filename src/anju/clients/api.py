"""/api/v1/clients and /api/v1/interactions — intake, the pools, number reveals, merging and follow-ups
(跟进记录), scoped to what the caller may see."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from anju.clients import services
from anju.clients.models import Client, Interaction, OwnershipChange
from anju.clients.schemas import (
    ClientIn,
    ClientOut,
    ClientPatch,
    ConsentIn,
    ErasedOut,
    EraseIn,
    InteractionIn,
    InteractionOut,
    MergeIn,
    OwnershipChangeOut,
    PersonalDataAccessOut,
    ReleaseIn,
    RevealIn,
    RevealLogOut,
    RevealOut,
    TransferIn,
)
from anju.clients.selectors import (
    CLIENT_ORDERS,
    AccessFilters,
    ClientFilters,
    access_client,
    access_client_for_change,
    access_client_for_write,
    client_search,
    interactions_visible,
    kept_records,
    may_see_mobile,
    personal_data_accesses,
    reveal_log,
)
from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.org.models import Agent
from anju.org.scoping import agent_of
from anju.org.selectors import access_agent

# One Router for the app; follow-ups keep their own tag (and their own path) in the documentation.
router = Router(tags=["客户"])
FOLLOW_UPS = ["跟进记录"]
MAX_ID = 2**63 - 1  # a bigint; larger ids exist nowhere


def client_out(viewer: Agent, client: Client) -> dict:
    full = may_see_mobile(viewer, client)
    return {
        "id": client.pk,
        "name": client.name,
        "mobile": client.mobile if full else client.masked_mobile,
        "mobile_masked": not full,
        "email": client.email if full else ("****" if client.email else ""),
        "second_phone": client.second_phone if full else ("****" if client.second_phone else ""),
        "id_number": client.id_number if full else client.masked_id_number,
        "gender": client.gender,
        "source": client.source,
        "source_label": client.get_source_display(),
        "in_pool": client.in_pool,
        "owner_id": client.owner_id,
        "owner_name": client.owner.name if client.owner else None,
        "store_id": client.store_id,
        "tags": sorted(t.name for t in client.tags.all()),
        "birthday_calendar": client.birthday_calendar,
        "birthday": client.birthday,
        "lunar_birth_month": client.lunar_birth_month,
        "lunar_birth_day": client.lunar_birth_day,
        "lunar_birth_leap": client.lunar_birth_leap,
        "birth_year": client.birth_year,
        "referred_by_id": client.referred_by_id,
        "last_contact_at": client.last_contact_at,
        "next_follow_up_on": client.next_follow_up_on,
        "tier": client.tier,
        "tier_reasons": client.tier_reason_list,
        "stage": client.stage,
        "next_contact_on": client.next_contact_on,
        "consents": [
            {"channel": c.channel, "granted": c.granted, "at": c.at, "how": c.how}
            for c in services.current_consents(client).values()
        ],
        "created_at": client.created_at,
    }


def _birthday(data: dict | None) -> services.Birthday | None:
    if data is None:
        return None
    return services.Birthday(
        calendar=data["calendar"],
        solar=data["solar"],
        lunar_month=data["lunar_month"],
        lunar_day=data["lunar_day"],
        lunar_leap=data["lunar_leap"],
        year=data["year"],
    )


@router.get(
    "/clients", response={200: CursorPage[ClientOut], **ERRORS}, summary="客户列表（我的私客与公客池）"
)
def list_clients(
    request: HttpRequest,
    scope: str = "",
    owner_id: int | None = Query(None, ge=1, le=MAX_ID),
    need_kind: str = "",
    follow_up_due: bool = False,
    tag: str = "",
    q: str = "",
    tier: Literal["", "A", "B", "C", "D"] = "",
    sort: Literal["recent", "tier"] = "recent",
    cursor: str | None = None,
    limit: int = 50,
) -> dict:
    viewer = agent_of(request.user)
    filters = ClientFilters(
        scope=scope,
        owner_id=owner_id,
        need_kind=need_kind,
        follow_up_due=follow_up_due,
        tag=tag,
        q=q,
        tier=tier,
    )
    qs = client_search(viewer, filters).prefetch_related("tags", "consents")
    rows, next_cursor = keyset_page(qs, order=CLIENT_ORDERS[sort], cursor=cursor, limit=limit)
    return {"items": [client_out(viewer, c) for c in rows], "next_cursor": next_cursor}


@router.post(
    "/clients", response={201: ClientOut, **ERRORS}, summary="录入客户（手机号已存在时返回 409 并说明归属）"
)
def create_client(request: HttpRequest, payload: ClientIn) -> Status[dict]:
    viewer = agent_of(request.user)
    data = payload.dict()
    referrer = access_client(viewer, data["referred_by_id"]) if data["referred_by_id"] else None
    owner = access_agent(viewer, data["owner_id"]) if data["owner_id"] else None
    client = services.client_create(
        agent=viewer,
        name=data["name"],
        mobile=data["mobile"],
        email=data["email"],
        source=data["source"],
        gender=data["gender"],
        second_phone=data["second_phone"],
        id_number=data["id_number"],
        birthday=_birthday(data["birthday"]),
        tags=data["tags"],
        referred_by=referrer,
        notes=data["notes"],
        consents=[services.ConsentInput(**c) for c in data["consents"]],
        owner=owner,
    )
    return Status(201, client_out(viewer, client))


@router.get("/clients/{client_id}", response={200: ClientOut, **ERRORS}, summary="客户详情")
def get_client(request: HttpRequest, client_id: int) -> dict:
    viewer = agent_of(request.user)
    return client_out(viewer, access_client(viewer, client_id))


@router.patch("/clients/{client_id}", response={200: ClientOut, **ERRORS}, summary="修改客户资料")
def update_client(request: HttpRequest, client_id: int, payload: ClientPatch) -> dict:
    viewer = agent_of(request.user)
    client = access_client_for_change(viewer, client_id)
    data = payload.dict(exclude_unset=True)
    if "birthday" in data:
        # exclude_unset applies inside the nested object too; read it whole.
        data["birthday"] = _birthday(payload.birthday.dict() if payload.birthday else None)
    return client_out(viewer, services.client_update(client=client, by=viewer, **data))


@router.post(
    "/clients/{client_id}/consents", response={200: ClientOut, **ERRORS}, summary="记录营销授权或撤回"
)
def record_consent(request: HttpRequest, client_id: int, payload: ConsentIn) -> dict:
    viewer = agent_of(request.user)
    client = access_client_for_change(viewer, client_id)
    services.consent_record(client=client, by=viewer, **payload.dict())
    return client_out(viewer, client)


@router.post("/clients/{client_id}/claim", response={200: ClientOut, **ERRORS}, summary="从公客池认领")
def claim_client(request: HttpRequest, client_id: int) -> dict:
    viewer = agent_of(request.user)
    client = services.client_claim(client=access_client(viewer, client_id), agent=viewer)
    return client_out(viewer, client)


@router.post("/clients/{client_id}/release", response={200: ClientOut, **ERRORS}, summary="放入公客池")
def release_client(request: HttpRequest, client_id: int, payload: ReleaseIn) -> dict:
    viewer = agent_of(request.user)
    client = access_client_for_change(viewer, client_id)
    return client_out(viewer, services.client_release(client=client, by=viewer, note=payload.note))


@router.post(
    "/clients/{client_id}/transfer",
    response={200: ClientOut, **ERRORS},
    summary="转交给其他经纪人（店长、管理员）",
)
def transfer_client(request: HttpRequest, client_id: int, payload: TransferIn) -> dict:
    viewer = agent_of(request.user)
    client = access_client_for_change(viewer, client_id)
    to = access_agent(viewer, payload.to_agent_id)
    return client_out(viewer, services.client_transfer(client=client, to=to, by=viewer, note=payload.note))


@router.post(
    "/clients/{client_id}/reveal", response={200: RevealOut, **ERRORS}, summary="查看完整号码（记录原因）"
)
def reveal(request: HttpRequest, client_id: int, payload: RevealIn) -> dict:
    viewer = agent_of(request.user)
    client = access_client(viewer, client_id)
    value = services.client_reveal(client=client, viewer=viewer, field=payload.field, reason=payload.reason)
    return {"field": payload.field, "value": value}


@router.post(
    "/clients/{client_id}/merge", response={200: ClientOut, **ERRORS}, summary="合并重复客户（店长、管理员）"
)
def merge(request: HttpRequest, client_id: int, payload: MergeIn) -> dict:
    viewer = agent_of(request.user)
    if not viewer.user.has_perm("clients.merge_client"):
        raise PermissionDenied(_("只有店长和管理员可以合并客户。"))
    keep = access_client(viewer, client_id)
    other = access_client(viewer, payload.merge_id)
    return client_out(viewer, services.client_merge(keep=keep, merge=other, by=viewer))


@router.get(
    "/clients/{client_id}/ownership",
    response={200: list[OwnershipChangeOut], **ERRORS},
    summary="归属变更记录",
)
def ownership(request: HttpRequest, client_id: int) -> list[dict]:
    viewer = agent_of(request.user)
    client = access_client(viewer, client_id)
    rows = OwnershipChange.objects.filter(client=client).select_related("from_agent", "to_agent", "by")
    return [
        {
            "at": r.at,
            "reason": r.reason,
            "reason_label": r.get_reason_display(),
            "from_agent": r.from_agent.name if r.from_agent else None,
            "to_agent": r.to_agent.name if r.to_agent else None,
            "by": r.by.name if r.by else None,
            "note": r.note,
        }
        for r in rows.order_by("-at", "-id")
    ]


@router.get(
    "/clients/reveals/log",
    response={200: CursorPage[RevealLogOut], **ERRORS},
    summary="号码查看记录（店长、管理员）",
)
def reveals_log(request: HttpRequest, cursor: str | None = None, limit: int = 50) -> dict:
    viewer = agent_of(request.user)
    rows, next_cursor = keyset_page(reveal_log(viewer), order=["-at", "-id"], cursor=cursor, limit=limit)
    items = [
        {
            "at": r.at,
            "client_id": r.client_id,
            "client_name": r.client.name,
            "viewer": r.viewer.name,
            "field": r.field,
            "reason": r.reason,
        }
        for r in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


# --- personal information rights (个人信息保护法, decision 0024) ----------------------------------


@router.post(
    "/clients/{client_id}/export",
    response={200: None, **ERRORS},
    summary="导出客户的全部个人信息（JSON 文件；店长、管理员；记入个人信息访问记录）",
    openapi_extra={
        "responses": {
            200: {
                "description": "JSON 文件（附件）：客户资料及各业务中关于该客户的记录，按部分列出",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def export_client(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = agent_of(request.user)
    client = access_client(viewer, client_id)
    export = services.client_export(client=client, by=viewer)
    response = HttpResponse(export.content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@router.post(
    "/clients/{client_id}/erase",
    response={200: ErasedOut, **ERRORS},
    summary="删除客户的个人信息（不可撤销；店长、管理员；依法须保留的交易记录保留并列出原因）",
)
def erase_client(request: HttpRequest, payload: EraseIn, client_id: int) -> dict:
    viewer = agent_of(request.user)
    client = access_client(viewer, client_id)
    client = services.client_erase(client=client, by=viewer, confirm_name=payload.confirm_name)
    return {"id": client.pk, "erased_at": client.erased_at, "kept": list(kept_records(client))}


class AccessQuery(Schema):
    agent_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: Literal["reveal", "export", "id_copy", "erasure"] | None = None
    client_id: int | None = Field(None, ge=1, le=MAX_ID)
    since: dt.date | None = None
    until: dt.date | None = None
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=200)


@router.get(
    "/clients/personal-data/accesses",
    response={200: CursorPage[PersonalDataAccessOut], **ERRORS},
    summary="个人信息访问记录：查看号码、导出、查看身份证复印件、删除（店长、管理员）",
)
def personal_data_access_log(request: HttpRequest, filters: Query[AccessQuery]) -> dict:
    viewer = agent_of(request.user)
    qs = personal_data_accesses(
        viewer,
        AccessFilters(
            agent_id=filters.agent_id,
            kind=filters.kind or "",
            client_id=filters.client_id,
            since=filters.since,
            until=filters.until,
        ),
    )
    rows, next_cursor = keyset_page(qs, order=["-at", "-id"], cursor=filters.cursor, limit=filters.limit)
    items = [
        {
            "id": r.pk,
            "at": r.at,
            "kind": r.kind,
            "kind_label": r.get_kind_display(),
            "agent_id": r.agent_id,
            "agent": r.agent.name,
            "client_id": r.client_id,
            "client_name": r.client.name,
            "detail": r.detail,
            "reason": r.reason,
        }
        for r in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


# --- follow-ups (跟进记录) -------------------------------------------------------------------------


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
    "/interactions",
    response={200: CursorPage[InteractionOut], **ERRORS},
    tags=FOLLOW_UPS,
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
    "/interactions",
    response={201: InteractionOut, **ERRORS},
    tags=FOLLOW_UPS,
    summary="记录一次跟进（更新客户的最近跟进和下次跟进日期）",
)
def create_interaction(request: HttpRequest, payload: InteractionIn) -> Status[dict]:
    viewer = agent_of(request.user)
    client = access_client_for_write(viewer, payload.client_id)
    interaction = services.interaction_create(
        agent=viewer,
        client=client,
        kind=payload.kind,
        summary=payload.summary,
        happened_at=payload.happened_at,
        next_follow_up_on=payload.next_follow_up_on,
        clear_next_follow_up=payload.clear_next_follow_up,
        need_id=payload.need_id,
    )
    return Status(201, interaction_out(interaction))
