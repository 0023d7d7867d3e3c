"""Reads for matches: an agent's new matches, one match by id, and what the need and listing pages show.

Matches are seen by whoever may see the need's client (the public pool by the whole company, a
private client by the owner and the managers above); the workbench and the API list show the
viewer's own (``Match.agent``).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.listings.models import Listing
from anju.matching.models import Match, MatchStatus, NeedMatchSettings
from anju.matching.search.engine import ListingMatch, listings_for_need, needs_for_listing
from anju.needs.models import Need, NeedStatus
from anju.org.models import Agent
from anju.org.scoping import can_see_owned, in_company, pool_or_owned


def matches_visible(viewer: Agent) -> QuerySet[Match]:
    return (
        in_company(Match.objects.all(), viewer)
        .filter(pool_or_owned(viewer, owner_field="need__client__owner", store_field="need__client__store"))
        .select_related("need__client", "listing__community", "agent")
    )


def matches_of_agent(viewer: Agent, *, status: str | None = None) -> QuerySet[Match]:
    """The viewer's own matches (those recorded for them), newest first."""
    qs = in_company(Match.objects.filter(agent=viewer), viewer).select_related(
        "need__client", "listing__community", "agent"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-found_at", "-id")


def access_match(viewer: Agent, match_id: int) -> Match:
    """The match, 404 when another company's or absent, 403 when its client is a colleague's private one."""
    match = (
        in_company(Match.objects.all(), viewer)
        .select_related("need__client", "listing__community", "agent")
        .filter(pk=match_id)
        .first()
    )
    if match is None:
        raise Http404(_("没有找到该匹配。"))
    client = match.need.client
    if client.owner_id is not None and not viewer.user.has_perm("clients.view_client", client):
        raise PermissionDenied(_("这是其他经纪人私客的匹配，您无权查看。"))
    return match


@dataclass
class ClientMatches:
    client: Client
    matches: list[Match] = field(default_factory=list)


# A phone screen's worth: the rest are on each need's matches page, linked from every row.
NEW_MATCHES_SHOWN = 12


def new_matches_by_client(
    viewer: Agent, *, limit: int = NEW_MATCHES_SHOWN
) -> tuple[list[ClientMatches], int]:
    """The workbench's 新匹配: the newest ones, grouped per client in the order they came; and how many in all."""
    # A need no longer sought (fulfilled, given up, an erased client's) has no news for the agent.
    qs = matches_of_agent(viewer, status=MatchStatus.NEW).filter(need__status=NeedStatus.ACTIVE)
    groups: OrderedDict[int, ClientMatches] = OrderedDict()
    for match in qs[:limit]:
        client = match.need.client
        groups.setdefault(client.pk, ClientMatches(client=client)).matches.append(match)
    return list(groups.values()), qs.count()


@dataclass
class RankedListing:
    """One row of a need's matches: the listing, the engine's verdict, and what the agent made of it."""

    listing: Listing
    found: ListingMatch
    match: Match | None


@dataclass
class NeedMatchesView:
    items: list[RankedListing]
    excluded: dict[str, int]
    total_fitting: int


def need_matches_view(need: Need, *, limit: int = 20, offset: int = 0) -> NeedMatchesView:
    """A page of the engine's ranking for the need (``limit`` after ``offset``), with each listing
    and its recorded match (if any) loaded."""
    found = listings_for_need(need, limit=limit, offset=offset)
    ids = [item.listing_id for item in found.items]
    listings = Listing.objects.select_related("community", "district", "property").in_bulk(ids)
    matches = {m.listing_id: m for m in Match.objects.filter(need=need, listing_id__in=ids)}
    items = [
        RankedListing(listing=listings[item.listing_id], found=item, match=matches.get(item.listing_id))
        for item in found.items
        if item.listing_id in listings
    ]
    return NeedMatchesView(items=items, excluded=found.excluded, total_fitting=found.total_fitting)


@dataclass
class MatchedNeed:
    """A need the listing satisfies, as far as the viewer may see it: never a phone number."""

    need: Need
    score: int
    fits: list[str]
    lacks: list[str]
    visible: bool  # whether the viewer may open the client (else only the agent and the reasons)


@dataclass
class ListingNeedsView:
    items: list[MatchedNeed]
    total: int
    hidden: int  # matched needs of colleagues' private clients, counted but not shown


def listing_needs_view(viewer: Agent, listing: Listing, *, limit: int = 30) -> ListingNeedsView:
    """The active needs the listing satisfies. A colleague's private client shows as its agent only."""
    found = needs_for_listing(listing, limit=limit)
    needs = Need.objects.select_related("client__owner", "agent").in_bulk([i.need_id for i in found.items])
    items = []
    hidden = 0
    for item in found.items:
        need = needs.get(item.need_id)
        if need is None:
            continue
        client = need.client
        visible = client.owner_id is None or can_see_owned(
            viewer, company_id=client.company_id, owner_id=client.owner_id, store_id=client.store_id
        )
        if not visible:
            hidden += 1
        items.append(
            MatchedNeed(need=need, score=item.score, fits=item.fits, lacks=item.lacks, visible=visible)
        )
    return ListingNeedsView(items=items, total=found.total, hidden=hidden)


def match_settings_of(need: Need) -> NeedMatchSettings:
    """How strictly the need is matched: its saved settings, or the defaults (unsaved) when the agent
    has changed nothing yet."""
    return NeedMatchSettings.objects.filter(need=need).first() or NeedMatchSettings(need=need)
