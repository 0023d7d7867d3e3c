"""/api/v1/complaints — record a complaint (its deadlines in working time), move its status, list
the overdue ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from anju.complaints.models import OPEN_STATUSES, Complaint
from anju.complaints.schemas import ComplaintFilters, ComplaintIn, ComplaintOut, ComplaintStatusIn
from anju.complaints.selectors import (
    access_complaint,
    client_for_complaint,
    complaint_calendar_note,
    complaint_client_notice,
    complaints_listed,
)
from anju.complaints.services import complaint_move, complaint_record
from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.deals.selectors import access_deal
from anju.listings.selectors import access_listing
from anju.org.scoping import agent_of
from anju.org.selectors import access_agent
from anju.outreach.selectors import access_partner

router = Router(tags=["投诉处理"])


def is_overdue(c: Complaint, now: dt.datetime) -> bool:
    if c.status not in OPEN_STATUSES:
        return False
    return c.resolve_due_at < now or (c.acknowledged_at is None and c.acknowledge_due_at < now)


def complaint_out(c: Complaint, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    return {
        "id": c.pk,
        "status": c.status,
        "status_label": c.get_status_display(),
        "severity": c.severity,
        "category": c.category.name,
        "channel": c.channel,
        "client_id": c.client_id,
        "client_name": c.client.name,
        "handler_id": c.handler_id,
        "store_id": c.store_id,
        "text": c.text,
        "received_at": timezone.localtime(c.received_at),
        "acknowledge_due_at": timezone.localtime(c.acknowledge_due_at),
        "resolve_due_at": timezone.localtime(c.resolve_due_at),
        "acknowledged_at": c.acknowledged_at and timezone.localtime(c.acknowledged_at),
        "resolved_at": c.resolved_at and timezone.localtime(c.resolved_at),
        "closed_at": c.closed_at and timezone.localtime(c.closed_at),
        "overdue": is_overdue(c, now),
        "resolution": c.resolution,
        "remedy": c.remedy,
        "satisfaction": c.satisfaction,
        "root_cause": c.root_cause.name if c.root_cause else "",
        "corrective_action": c.corrective_action,
        "corrective_due_on": c.corrective_due_on,
        "client_notice": complaint_client_notice(c),
        "calendar_note": complaint_calendar_note(c),
    }


@router.get(
    "/complaints",
    response={200: CursorPage[ComplaintOut], **ERRORS},
    summary="投诉列表（overdue=true 只看逾期未办结的，最新受理在前）",
)
def list_complaints(request: HttpRequest, filters: Query[ComplaintFilters]) -> dict:
    now = timezone.now()
    qs = complaints_listed(
        agent_of(request.user), overdue=filters.overdue, status=filters.status or "", now=now
    )
    rows, next_cursor = keyset_page(
        qs, order=["-received_at", "-id"], cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [complaint_out(c, now) for c in rows], "next_cursor": next_cursor}


@router.post(
    "/complaints", response={201: ComplaintOut, **ERRORS}, summary="登记投诉（按公司时限计算回应和解决期限）"
)
def create_complaint(request: HttpRequest, payload: ComplaintIn) -> Status[dict]:
    viewer = agent_of(request.user)
    complaint = complaint_record(
        by=viewer,
        client=client_for_complaint(viewer, payload.client_id),
        severity=payload.severity,
        category=payload.category,
        text=payload.text,
        received_at=payload.received_at,
        channel=payload.channel,
        about_agent=access_agent(viewer, payload.about_agent_id) if payload.about_agent_id else None,
        deal=access_deal(viewer, payload.deal_id) if payload.deal_id else None,
        listing=access_listing(viewer, payload.listing_id) if payload.listing_id else None,
        partner=access_partner(viewer, payload.partner_id) if payload.partner_id else None,
        handler=access_agent(viewer, payload.handler_id) if payload.handler_id else None,
    )
    return Status(201, complaint_out(access_complaint(viewer, complaint.pk)))


@router.get("/complaints/{complaint_id}", response={200: ComplaintOut, **ERRORS}, summary="投诉详情")
def get_complaint(request: HttpRequest, complaint_id: int) -> dict:
    return complaint_out(access_complaint(agent_of(request.user), complaint_id))


@router.post(
    "/complaints/{complaint_id}/status",
    response={200: ComplaintOut, **ERRORS},
    summary="变更投诉状态（回应、处理中、已解决、结案、重新处理）",
)
def move_complaint(request: HttpRequest, complaint_id: int, payload: ComplaintStatusIn) -> dict:
    viewer = agent_of(request.user)
    complaint = access_complaint(viewer, complaint_id)
    complaint_move(
        complaint=complaint,
        to=payload.status,
        by=viewer,
        note=payload.note,
        resolution=payload.resolution,
        remedy=payload.remedy,
        satisfaction=payload.satisfaction,
    )
    return complaint_out(access_complaint(viewer, complaint_id))
