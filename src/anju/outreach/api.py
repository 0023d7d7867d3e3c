"""/api/v1/care/occasions and /api/v1/care/campaigns/preview."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema

from anju.core.schemas import ERRORS
from anju.org.scoping import agent_of
from anju.outreach.campaigns import Target, campaign_preview
from anju.outreach.schemas import OccasionsOut, PreviewIn, PreviewOut
from anju.outreach.selectors import occasions_visible

router = Router(tags=["客户维护"])


class WindowIn(Schema):
    start: date = Query(..., alias="from")
    end: date = Query(..., alias="to")


@router.get(
    "/occasions", response={200: OccasionsOut, **ERRORS}, summary="我的客户在某段日期内的生日、节日与成交周年"
)
def list_occasions(request: HttpRequest, window: Query[WindowIn]) -> dict:
    found = occasions_visible(agent_of(request.user), window.start, window.end)
    return {"items": [o.__dict__ for o in found], "next_cursor": None}


@router.post(
    "/campaigns/preview", response={200: PreviewOut, **ERRORS}, summary="推送预览：谁会收到、谁被排除及原因"
)
def preview_campaign(request: HttpRequest, payload: PreviewIn) -> dict:
    viewer = agent_of(request.user)
    preview = campaign_preview(viewer=viewer, target=Target(**payload.target.dict()), channel=payload.channel)
    return {
        "recipients": [r.__dict__ for r in preview.recipients],
        "excluded": [r.__dict__ for r in preview.excluded],
    }
