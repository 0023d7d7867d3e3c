"""/api/v1 — the seller side of showings: the showing report of a listing and open days (开放日).

Mounted at the API's root beside the showings router: the report's path, under /listings, is the
issue's contract; open days live under /showings/open-days.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from anju.clients.selectors import access_client_for_write
from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.listings.selectors import access_listing, access_listing_for_change
from anju.org.models import Agent
from anju.org.scoping import agent_of
from anju.showings.models import OpenDay
from anju.showings.open_days import (
    access_open_day,
    access_signup,
    open_day_cancel,
    open_day_schedule,
    open_day_signup,
    open_day_signup_cancel,
    open_days_filtered,
    signup_client_label,
)
from anju.showings.seller_report import ShowingReport, showing_report
from anju.showings.seller_schemas import OpenDayIn, OpenDayOut, OpenDaySignupIn, ShowingReportOut

router = Router(tags=["带看"])


def report_out(report: ShowingReport) -> dict:
    figures = report.figures
    offers = figures.offers
    return {
        "listing_id": report.listing.pk,
        "kind": report.listing.kind,
        "asking_price": report.asking_price,
        "as_of": report.today,
        "showings": figures.showings,
        "clients": figures.clients,
        "no_shows": figures.no_shows,
        "planned": report.planned,
        "average_interest": figures.average_interest,
        "rated": figures.rated,
        "weeks": [
            {"starts_on": w.starts_on, "showings": w.showings, "clients": w.clients} for w in figures.weeks
        ],
        "objections": [{"tag": t.tag, "count": t.count} for t in figures.objections],
        "liked": [{"tag": t.tag, "count": t.count} for t in figures.liked],
        "price_opinions": figures.opinions,
        "price_offers": {
            "count": offers.count,
            "average": offers.average,
            "low": offers.low,
            "high": offers.high,
            "gap_percent": report.offer_gap_percent,
        },
        "shares": report.shares,
        "open_days": report.open_days,
        "open_day_signups": report.open_day_signups,
    }


@router.get(
    "/listings/{listing_id}/showing-report",
    response={200: ShowingReportOut, **ERRORS},
    summary="房源带看反馈报告（给业主看）：每周带看、意向、常见意见、价格看法",
)
def get_showing_report(request: HttpRequest, listing_id: int) -> dict:
    listing = access_listing_for_change(agent_of(request.user), listing_id)
    return report_out(showing_report(listing))


# --- open days (开放日) ----------------------------------------------------------------------------


def open_day_out(viewer: Agent, open_day: OpenDay) -> dict:
    signups = list(open_day.signups.all())
    return {
        "id": open_day.pk,
        "listing_id": open_day.listing_id,
        "listing": f"{open_day.listing.community.name} {open_day.listing.property.layout}",
        "agent_id": open_day.agent_id,
        "agent": open_day.agent.name,
        "starts_at": open_day.starts_at,
        "ends_at": open_day.ends_at,
        "capacity": open_day.capacity,
        "taken": sum(1 for s in signups if s.cancelled_at is None),
        "status": open_day.status,
        "note": open_day.note,
        "signups": [
            {
                "id": s.pk,
                "client_id": s.client_id,
                "client": signup_client_label(viewer, s),
                "agent_id": s.agent_id,
                "signed_up_at": s.created_at,
                "cancelled_at": s.cancelled_at,
            }
            for s in signups
        ],
    }


class OpenDayFilters(Schema):
    listing: int | None = Field(None, ge=1, le=2**63 - 1)
    agent: int | None = Field(None, ge=1, le=2**63 - 1)
    from_: dt.datetime | None = Field(None, alias="from")
    to: dt.datetime | None = None
    cursor: str | None = None
    limit: int = 50


@router.get(
    "/showings/open-days",
    response={200: CursorPage[OpenDayOut], **ERRORS},
    summary="开放日列表（按开始时间；可按房源、组织者、时间段筛选）",
)
def list_open_days(request: HttpRequest, filters: Query[OpenDayFilters]) -> dict:
    viewer = agent_of(request.user)
    qs = open_days_filtered(
        viewer, listing_id=filters.listing, agent_id=filters.agent, since=filters.from_, until=filters.to
    )
    # In a savepoint: a value the database refuses (answered 400 by the API's DataError handler)
    # must not leave an enclosing transaction aborted. The API fuzz test on PostgreSQL met one such
    # request, not yet identified, after which every query of its transaction failed.
    with transaction.atomic():
        rows, next_cursor = keyset_page(
            qs, order=("starts_at", "id"), cursor=filters.cursor, limit=filters.limit
        )
    return {"items": [open_day_out(viewer, o) for o in rows], "next_cursor": next_cursor}


@router.post("/showings/open-days", response={201: OpenDayOut, **ERRORS}, summary="安排开放日")
def create_open_day(request: HttpRequest, payload: OpenDayIn) -> Status[dict]:
    viewer = agent_of(request.user)
    listing = access_listing(viewer, payload.listing_id)
    open_day = open_day_schedule(
        listing=listing,
        by=viewer,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        capacity=payload.capacity,
        note=payload.note,
    )
    return Status(201, open_day_out(viewer, access_open_day(viewer, open_day.pk)))


@router.get("/showings/open-days/{open_day_id}", response={200: OpenDayOut, **ERRORS}, summary="开放日详情")
def get_open_day(request: HttpRequest, open_day_id: int) -> dict:
    viewer = agent_of(request.user)
    return open_day_out(viewer, access_open_day(viewer, open_day_id))


@router.post(
    "/showings/open-days/{open_day_id}/cancel", response={200: OpenDayOut, **ERRORS}, summary="取消开放日"
)
def cancel_open_day(request: HttpRequest, open_day_id: int) -> dict:
    viewer = agent_of(request.user)
    open_day_cancel(open_day=access_open_day(viewer, open_day_id), by=viewer)
    return open_day_out(viewer, access_open_day(viewer, open_day_id))


@router.post(
    "/showings/open-days/{open_day_id}/signups",
    response={201: OpenDayOut, **ERRORS},
    summary="为客户报名开放日（名额有限，同一客户只能报名一次）",
)
def create_signup(request: HttpRequest, open_day_id: int, payload: OpenDaySignupIn) -> Status[dict]:
    viewer = agent_of(request.user)
    open_day = access_open_day(viewer, open_day_id)
    client = access_client_for_write(viewer, payload.client_id)
    open_day_signup(open_day=open_day, client=client, by=viewer)
    return Status(201, open_day_out(viewer, access_open_day(viewer, open_day_id)))


@router.post(
    "/showings/open-days/{open_day_id}/signups/{signup_id}/cancel",
    response={200: OpenDayOut, **ERRORS},
    summary="取消报名",
)
def cancel_signup(request: HttpRequest, open_day_id: int, signup_id: int) -> dict:
    viewer = agent_of(request.user)
    open_day = access_open_day(viewer, open_day_id)
    open_day_signup_cancel(signup=access_signup(open_day, signup_id), by=viewer)
    return open_day_out(viewer, access_open_day(viewer, open_day_id))
