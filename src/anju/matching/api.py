"""/api/v1/needs/{id}/matches and /api/v1/listings/{id}/matches — ranked, explained matches."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from anju.core.errors import ApplicationError
from anju.core.schemas import ERRORS
from anju.listings.selectors import access_listing
from anju.matching.schemas import ListingMatchesOut, ListingMatchesQuery, NeedMatchesOut, NeedMatchesQuery
from anju.matching.search.criteria import MATCHED_KINDS
from anju.matching.search.engine import listings_for_need, needs_for_listing
from anju.needs.selectors import access_need
from anju.org.scoping import agent_of

router = Router(tags=["匹配"])


@router.get(
    "/needs/{need_id}/matches",
    response={200: NeedMatchesOut, **ERRORS},
    summary="需求匹配的房源（按匹配度排序，附符合与不足之处）",
)
def need_matches(request: HttpRequest, need_id: int, query: Query[NeedMatchesQuery]) -> dict:
    need = access_need(agent_of(request.user), need_id)
    if need.kind not in MATCHED_KINDS:
        raise ApplicationError(_("只有购房和租房需求可以匹配房源。"), code="need_not_matchable")
    return asdict(listings_for_need(need, limit=query.limit))


@router.get(
    "/listings/{listing_id}/matches",
    response={200: ListingMatchesOut, **ERRORS},
    summary="房源满足的客户需求（潜在买家或租客，按匹配度排序）",
)
def listing_matches(request: HttpRequest, listing_id: int, query: Query[ListingMatchesQuery]) -> dict:
    listing = access_listing(agent_of(request.user), listing_id)
    return asdict(needs_for_listing(listing, limit=query.limit))
