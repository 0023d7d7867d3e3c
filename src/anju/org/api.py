"""/api/v1/me (with the caller's photo), stores, agents and the caller's own tokens."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.org import selectors, services
from anju.org.models import Agent
from anju.org.schemas import AgentOut, MeOut, StoreOut, TokenCreatedOut, TokenIn, TokenOut
from anju.org.scoping import agent_of

router = Router(tags=["组织"])


def _agent_out(agent: Agent) -> dict:
    return {
        "id": agent.pk,
        "name": agent.name,
        "role": agent.role,
        "role_label": agent.get_role_display(),
        "store": agent.store,
    }


def photo_url(agent: Agent) -> str | None:
    """The photo's address for the signed-in (session or API token), changing with every new photo."""
    if not agent.photo:
        return None
    return reverse("web:agent_photo", args=[agent.pk]) + f"?v={agent.photo_version}"


@router.get("/me", response={200: MeOut, **ERRORS}, summary="当前用户")
def me(request: HttpRequest) -> dict:
    return _me_out(request, agent_of(request.user))


@router.post(
    "/me/photo",
    response={200: MeOut, **ERRORS},
    summary="上传我的照片（名片页显示；JPG、PNG、WebP，不超过 10 MB）",
)
def upload_photo(request: HttpRequest, file: File[UploadedFile]) -> dict:
    agent = services.agent_photo_set(agent=agent_of(request.user), file=file)
    return _me_out(request, agent)


@router.delete("/me/photo", response={200: MeOut, **ERRORS}, summary="删除我的照片")
def delete_photo(request: HttpRequest) -> dict:
    agent = services.agent_photo_remove(agent=agent_of(request.user))
    return _me_out(request, agent)


def _me_out(request: HttpRequest, agent: Agent) -> dict:
    return {
        "username": request.user.get_username(),
        "agent_id": agent.pk,
        "name": agent.name,
        "role": agent.role,
        "role_label": agent.get_role_display(),
        "store": agent.store,
        "company": agent.company,
        "photo_url": photo_url(agent),
    }


@router.get("/stores", response={200: list[StoreOut], **ERRORS}, summary="门店列表")
def list_stores(request: HttpRequest) -> list:
    return list(selectors.stores_visible(agent_of(request.user)).order_by("id"))


@router.get("/agents", response={200: CursorPage[AgentOut], **ERRORS}, summary="员工列表")
def list_agents(request: HttpRequest, cursor: str | None = None, limit: int = 50) -> dict:
    rows, next_cursor = keyset_page(
        selectors.agents_visible(agent_of(request.user)), order=["id"], cursor=cursor, limit=limit
    )
    return {"items": [_agent_out(a) for a in rows], "next_cursor": next_cursor}


@router.get("/agents/{agent_id}", response={200: AgentOut, **ERRORS}, summary="员工详情")
def get_agent(request: HttpRequest, agent_id: int) -> dict:
    return _agent_out(selectors.access_agent(agent_of(request.user), agent_id))


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="我的 API 令牌")
def list_tokens(request: HttpRequest) -> list:
    return list(selectors.tokens_of(agent_of(request.user)))


@router.post(
    "/tokens", response={201: TokenCreatedOut, **ERRORS}, summary="创建 API 令牌（令牌只显示这一次）"
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict]:
    agent = agent_of(request.user)
    token, raw = services.token_create(user=agent.user, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.delete("/tokens/{token_id}", response={200: TokenOut, **ERRORS}, summary="吊销 API 令牌")
def revoke_token(request: HttpRequest, token_id: int) -> object:
    token = selectors.access_token(agent_of(request.user), token_id)
    return services.token_revoke(token=token)
