"""/api/v1/showings — plan a showing, confirm its stops, sign, record feedback, cancel, .ics."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from anju.clients.selectors import access_client_for_write
from anju.core.errors import ApplicationError
from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.needs.selectors import access_need
from anju.org.scoping import agent_of
from anju.showings import route
from anju.showings.calendar import showing_ics
from anju.showings.models import Showing, ShowingConfirmation, ShowingStatus, Stop
from anju.showings.schemas import (
    ConfirmationCreateIn,
    ConfirmationOut,
    ShowingCancelIn,
    ShowingCreateIn,
    ShowingOut,
    StopConfirmIn,
    StopFeedbackIn,
)
from anju.showings.selectors import (
    access_confirmation,
    access_showing,
    access_showing_for_change,
    access_stop,
    access_store_of_company,
    confirmations_of,
    showings_between,
    stop_blocked_reason,
)
from anju.showings.services import (
    FeedbackInput,
    StartPoint,
    confirmation_intact,
    listing_label,
    showing_cancel,
    showing_plan,
    showing_sign,
    stop_confirm,
    stop_record_feedback,
)

router = Router(tags=["带看"])


def _feedback_out(stop: Stop) -> dict[str, Any] | None:
    feedback = getattr(stop, "feedback", None)
    if feedback is None:
        return None
    return {
        field: getattr(feedback, field)
        for field in (
            "outcome",
            "interest",
            "liked",
            "disliked",
            "text",
            "verdict",
            "price_opinion",
            "price_offer",
            "recorded_at",
        )
    }


def stop_out(stop: Stop) -> dict[str, Any]:
    return {
        "id": stop.pk,
        "listing_id": stop.listing_id,
        "listing_label": listing_label(stop.listing),
        "order": stop.order,
        "arrive_at": timezone.localtime(stop.arrive_at),
        "leave_at": timezone.localtime(stop.leave_at),
        "travel_minutes": stop.travel_minutes,
        "distance_m": stop.distance_m,
        "latitude": stop.listing.community.latitude,
        "longitude": stop.listing.community.longitude,
        "confirmed": stop.is_confirmed,
        "agreed_by": stop.agreed_by,
        "agreed_name": stop.agreed_name,
        "agreed_at": stop.agreed_at and timezone.localtime(stop.agreed_at),
        "access": stop.access,
        "keys_store_id": stop.keys_store_id,
        "blocked": stop_blocked_reason(stop) if showing_open(stop.showing) else "",
        "feedback": _feedback_out(stop),
    }


def showing_open(showing: Showing) -> bool:
    return showing.status == ShowingStatus.PLANNED


def showing_out(showing: Showing) -> dict[str, Any]:
    stops = list(showing.stops.all())
    return {
        "id": showing.pk,
        "status": showing.status,
        "status_label": showing.get_status_display(),
        "agent_id": showing.agent_id,
        "agent_name": showing.agent.name,
        "client_id": showing.client_id,
        "client_name": showing.client.name,
        "need_id": showing.need_id,
        "starts_at": timezone.localtime(showing.starts_at),
        "ends_at": timezone.localtime(showing.ends_at),
        "start": {
            "latitude": showing.start_latitude,
            "longitude": showing.start_longitude,
            "label": showing.start_label,
        },
        "stops": [stop_out(stop) for stop in stops],
        "total_travel_minutes": showing.total_travel_minutes,
        "total_distance_m": showing.total_distance_m,
        "assumptions": {
            "speed_kmh": showing.speed_kmh,
            "detour_factor": showing.detour_factor,
            "minutes_per_stop": showing.minutes_per_stop,
            "method": _("精确最短路线") if len(stops) <= route.EXACT_MAX else _("近似（最近邻 + 2-opt）"),
        },
        "cancel_reason": showing.cancel_reason,
    }


def confirmation_out(confirmation: ShowingConfirmation) -> dict[str, Any]:
    return {
        "id": confirmation.pk,
        "showing_id": confirmation.showing_id,
        "client_name": confirmation.client_name,
        "shown_on": confirmation.shown_on,
        "listing_ids": sorted(listing.pk for listing in confirmation.listings.all()),
        "sha256": confirmation.sha256,
        "signed_at": confirmation.signed_at,
        "supersedes_id": confirmation.supersedes_id,
        "correction_reason": confirmation.correction_reason,
        "intact": confirmation_intact(confirmation),
    }


class ShowingFilters(Schema):
    agent: int | None = Field(None, ge=1, le=2_147_483_647)
    from_: dt.datetime | None = Field(None, alias="from")
    to: dt.datetime | None = None
    cursor: str | None = None
    limit: int = 50


@router.get(
    "",
    response={200: CursorPage[ShowingOut], **ERRORS},
    summary="带看列表（按出发时间，可按经纪人与时段筛选）",
)
def list_showings(request: HttpRequest, filters: Query[ShowingFilters]) -> dict:
    viewer = agent_of(request.user)
    qs = showings_between(viewer, agent_id=filters.agent, start=filters.from_, end=filters.to)
    rows, next_cursor = keyset_page(
        qs.prefetch_related("stops__listing__community", "stops__listing__property", "stops__feedback"),
        order=["starts_at", "id"],
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [showing_out(s) for s in rows], "next_cursor": next_cursor}


@router.post("", response={201: ShowingOut, **ERRORS}, summary="安排带看（自动排出最短路线）")
def create_showing(request: HttpRequest, payload: ShowingCreateIn) -> Status[dict]:
    viewer = agent_of(request.user)
    client = access_client_for_write(viewer, payload.client_id)
    need = access_need(viewer, payload.need_id) if payload.need_id is not None else None
    start = (
        StartPoint(payload.start.latitude, payload.start.longitude, payload.start.label)
        if payload.start is not None
        else None
    )
    showing = showing_plan(
        agent=viewer,
        client=client,
        need=need,
        starts_at=payload.starts_at,
        listing_ids=payload.listing_ids,
        start=start,
        minutes_per_stop=payload.minutes_per_stop,
        note=payload.note,
    )
    return Status(201, showing_out(access_showing(viewer, showing.pk)))


@router.get("/{showing_id}", response={200: ShowingOut, **ERRORS}, summary="带看详情")
def get_showing(request: HttpRequest, showing_id: int) -> dict:
    return showing_out(access_showing(agent_of(request.user), showing_id))


@router.post(
    "/{showing_id}/stops/{stop_id}/confirm",
    response={200: ShowingOut, **ERRORS},
    summary="确认房源状态（业主同意看房）",
)
def confirm_stop(request: HttpRequest, showing_id: int, stop_id: int, payload: StopConfirmIn) -> dict:
    viewer = agent_of(request.user)
    showing = access_showing_for_change(viewer, showing_id)
    stop = access_stop(showing, stop_id)
    keys_store = (
        access_store_of_company(viewer, payload.keys_store_id) if payload.keys_store_id is not None else None
    )
    stop_confirm(
        stop=stop,
        by=viewer,
        agreed_by=payload.agreed_by,
        agreed_name=payload.agreed_name,
        agreed_at=payload.agreed_at,
        access=payload.access,
        keys_store=keys_store,
        access_code=payload.access_code,
        note=payload.note,
    )
    return showing_out(access_showing(viewer, showing_id))


@router.post(
    "/{showing_id}/stops/{stop_id}/feedback", response={200: ShowingOut, **ERRORS}, summary="记录带看反馈"
)
def record_feedback(request: HttpRequest, showing_id: int, stop_id: int, payload: StopFeedbackIn) -> dict:
    viewer = agent_of(request.user)
    showing = access_showing_for_change(viewer, showing_id)
    stop = access_stop(showing, stop_id)
    stop_record_feedback(
        stop=stop,
        by=viewer,
        value=FeedbackInput(
            outcome=payload.outcome,
            interest=payload.interest,
            liked=tuple(payload.liked),
            disliked=tuple(payload.disliked),
            text=payload.text,
            verdict=payload.verdict,
            price_opinion=payload.price_opinion,
            price_offer=payload.price_offer,
        ),
    )
    return showing_out(access_showing(viewer, showing_id))


@router.post("/{showing_id}/cancel", response={200: ShowingOut, **ERRORS}, summary="取消带看")
def cancel_showing(request: HttpRequest, showing_id: int, payload: ShowingCancelIn) -> dict:
    viewer = agent_of(request.user)
    showing = access_showing_for_change(viewer, showing_id)
    showing_cancel(showing=showing, by=viewer, reason=payload.reason)
    return showing_out(access_showing(viewer, showing_id))


@router.get(
    "/{showing_id}/confirmations",
    response={200: list[ConfirmationOut], **ERRORS},
    summary="带看确认单（最新在前；签署后不可修改）",
)
def list_confirmations(request: HttpRequest, showing_id: int) -> list[dict]:
    showing = access_showing(agent_of(request.user), showing_id)
    return [confirmation_out(c) for c in confirmations_of(showing)]


@router.post(
    "/{showing_id}/confirmations",
    response={201: ConfirmationOut, **ERRORS},
    summary="签署带看确认单（更正时新建一张，指向被更正的）",
)
def create_confirmation(request: HttpRequest, showing_id: int, payload: ConfirmationCreateIn) -> Status[dict]:
    viewer = agent_of(request.user)
    showing = access_showing_for_change(viewer, showing_id)
    try:
        png = base64.b64decode(payload.signature_png_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ApplicationError(_("签名图片编码不正确（应为 base64）。"), code="signature_not_base64") from exc
    supersedes = (
        access_confirmation(showing, payload.supersedes_id) if payload.supersedes_id is not None else None
    )
    confirmation = showing_sign(
        showing=showing,
        by=viewer,
        client_name=payload.client_name,
        signature_png=png,
        listing_ids=payload.listing_ids,
        supersedes=supersedes,
        correction_reason=payload.correction_reason,
    )
    return Status(201, confirmation_out(access_confirmation(showing, confirmation.pk)))


@router.get(
    "/{showing_id}/calendar.ics", response={200: None, **ERRORS}, summary="日历邀请（每站一个 VEVENT）"
)
def showing_calendar(request: HttpRequest, showing_id: int) -> HttpResponse:
    showing = access_showing(agent_of(request.user), showing_id)
    response = HttpResponse(showing_ics(showing), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="showing-{showing.pk}.ics"'
    return response
