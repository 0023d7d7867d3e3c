"""/api/v1/needs/{id}/matches and /api/v1/listings/{id}/matches — ranked, explained matches (the
search); /api/v1/matches — the agent's matches, their marks, approving a batch to send (the records);
/api/v1/needs/{id}/analysis. One Router for the app (decision 0002), mounted at "/" with full paths."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from anju.core.errors import ApplicationError
from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.finance.api import affordability_out, fen
from anju.listings.selectors import access_listing
from anju.matching.models import Match, MatchStatus
from anju.matching.records.selectors import access_match, matches_of_agent
from anju.matching.records.services import allowed_transitions, match_set_status, matches_approve
from anju.matching.schemas import (
    ListingMatchesOut,
    ListingMatchesQuery,
    MatchApproveIn,
    MatchApproveOut,
    MatchFilters,
    MatchOut,
    MatchStatusChangeIn,
    NeedAnalysisOut,
    NeedMatchesOut,
    NeedMatchesQuery,
)
from anju.matching.search.analysis import need_analysis
from anju.matching.search.criteria import MATCHED_KINDS
from anju.matching.search.engine import listings_for_need, needs_for_listing
from anju.needs.selectors import access_need
from anju.org.scoping import agent_of

router = Router(tags=["匹配"])


@router.get(
    "/needs/{need_id}/matches",
    response={200: NeedMatchesOut, **ERRORS},
    summary="需求匹配的房源（按匹配度排序，附符合与不足之处）",
    description=(
        "按匹配度从高到低排序（同分按房源 id），每次返回 limit 套。以返回的 next_offset 作为下一次的"
        " offset 逐页读取，直到 next_offset 为 null；total_fitting 是全部页的总数。"
    ),
)
def need_matches(request: HttpRequest, need_id: int, query: Query[NeedMatchesQuery]) -> dict:
    need = access_need(agent_of(request.user), need_id)
    if need.kind not in MATCHED_KINDS:
        raise ApplicationError(_("只有购房和租房需求可以匹配房源。"), code="need_not_matchable")
    found = listings_for_need(need, limit=query.limit, offset=query.offset)
    after = query.offset + len(found.items)
    return {
        **asdict(found),
        "offset": query.offset,
        "next_offset": after if after < found.total_fitting else None,
    }


@router.get(
    "/listings/{listing_id}/matches",
    response={200: ListingMatchesOut, **ERRORS},
    summary="房源满足的客户需求（潜在买家或租客，按匹配度排序）",
)
def listing_matches(request: HttpRequest, listing_id: int, query: Query[ListingMatchesQuery]) -> dict:
    listing = access_listing(agent_of(request.user), listing_id)
    return asdict(needs_for_listing(listing, limit=query.limit))


# --- the agent's matches (matching's records) ---------------------------------------------------


def match_out(match: Match) -> dict[str, Any]:
    return {
        "id": match.pk,
        "need_id": match.need_id,
        "client_id": match.need.client_id,
        "client_name": match.need.client.name,
        "listing_id": match.listing_id,
        "listing_title": match.listing.title,
        "listing_price": str(match.listing.price),
        "agent_id": match.agent_id,
        "score": match.score,
        "fits": list(match.fits or []),
        "lacks": list(match.lacks or []),
        "found_at": match.found_at,
        "status": match.status,
        "status_label": str(MatchStatus(match.status).label),
        "allowed_statuses": list(allowed_transitions(match.status)),
        "approved_at": match.approved_at,
        "approved_by_id": match.approved_by_id,
    }


@router.get("/matches", response={200: CursorPage[MatchOut], **ERRORS}, summary="我的匹配（最新在前）")
def list_matches(request: HttpRequest, filters: Query[MatchFilters]) -> dict:
    viewer = agent_of(request.user)
    rows, next_cursor = keyset_page(
        matches_of_agent(viewer, status=filters.status),
        order=["-found_at", "-id"],
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [match_out(m) for m in rows], "next_cursor": next_cursor}


@router.post(
    "/matches/approve",
    response={200: MatchApproveOut, **ERRORS},
    summary="批准推荐一批匹配（只记录待发送，不直接发送；未授权该渠道的客户跳过）",
)
def approve_matches(request: HttpRequest, payload: MatchApproveIn) -> dict:
    viewer = agent_of(request.user)
    ids = list(dict.fromkeys(payload.ids))
    matches = [access_match(viewer, match_id) for match_id in ids]
    result = matches_approve(matches=matches, channel=payload.channel, by=viewer)
    return {
        "approved": [m.pk for m in result.approved],
        "already_approved": result.already_approved,
        "skipped_clients": [{"id": c.pk, "name": c.name} for c in result.skipped_clients],
        "message": result.message,
    }


@router.post(
    "/matches/{match_id}/status",
    response={200: MatchOut, **ERRORS},
    summary="标记匹配：已看房、喜欢或不考虑（喜欢和不考虑会影响该需求之后的排序）",
)
def change_match_status(request: HttpRequest, match_id: int, payload: MatchStatusChangeIn) -> dict:
    viewer = agent_of(request.user)
    match = access_match(viewer, match_id)
    match_set_status(match=match, status=payload.status, by=viewer)
    return match_out(access_match(viewer, match_id))


@router.get(
    "/needs/{need_id}/analysis",
    response={200: NeedAnalysisOut, **ERRORS},
    summary="需求分析：现在有多少套房源符合，改哪一项条件增加最多",
)
def analyse_need(request: HttpRequest, need_id: int) -> dict:
    viewer = agent_of(request.user)
    need = access_need(viewer, need_id)
    if need.kind not in ("buy", "rent"):
        raise ApplicationError(_("只有购房、租房需求可以做需求分析。"), code="need_not_matched")
    today = timezone.localdate()
    analysis = need_analysis(need, as_of=today)
    suggestions = [vars(s) for s in analysis.suggestions]
    part = analysis.affordability
    return {
        "need_id": need.pk,
        "count": analysis.count,
        "suggestions": suggestions,
        "best": suggestions[0] if suggestions else None,
        "affordability": None
        if part is None
        else {
            "affordable": fen(part.affordable),
            "sentence": part.sentence,
            "budget_note": part.budget_note,
            "count_at_affordable": part.count_at_affordable,
            "calculation": affordability_out(part.result, today),
        },
        "affordability_note": analysis.affordability_note,
    }
