"""Share links (分享): the listing page an agent forwards to a client, readable without signing in.

The page shows the home, its community and surroundings, the price and the forwarding agent's card;
never the owner, and never the exact address (community and district only, no building, unit or
room). The link is a random slug stored with the share, not a signed id: the listing's id never
leaves the agency, a link cannot be guessed by counting, and a link can be told apart per agent
(the referrals issue adds its referral code as a query parameter on top).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError
from anju.geo.models import Community
from anju.geo.selectors import community_surroundings
from anju.listings.models import Listing, ListingMedia, ListingStatus, MediaKind
from anju.listings.status import IN_PLAY
from anju.org.models import Agent
from anju.showings.models import ListingShare

SLUG_BYTES = 12  # 16 URL-safe characters: 96 random bits


def share_issue(*, listing: Listing, by: Agent) -> ListingShare:
    """The agent's link to the listing: made the first time, the same link every time after."""
    if listing.status not in IN_PLAY:
        raise ApplicationError(
            _("房源%(status)s，不能分享。") % {"status": listing.get_status_display()},
            code="share_listing_unavailable",
        )
    share = ListingShare.objects.filter(listing=listing, agent=by).first()
    if share is not None:
        return share
    try:
        with transaction.atomic():
            return ListingShare.objects.create(
                company_id=listing.company_id,
                listing=listing,
                agent=by,
                slug=secrets.token_urlsafe(SLUG_BYTES),
            )
    except IntegrityError:  # the same agent pressed 分享 twice at once: the other press made it
        return ListingShare.objects.get(listing=listing, agent=by)


@dataclass(frozen=True)
class SharedListing:
    """What the public page may show, and nothing else: no seller, no property address."""

    share: ListingShare
    listing: Listing
    community: Community
    photos: list[ListingMedia]
    floor_plans: list[ListingMedia]
    card: Agent | None  # the forwarding agent, while they still work for the agency

    @property
    def available(self) -> bool:
        return self.listing.status in IN_PLAY

    @property
    def reserved(self) -> bool:
        return self.listing.status == ListingStatus.RESERVED


def share_by_slug(slug: str) -> ListingShare:
    share = (
        ListingShare.objects.select_related("listing__property", "agent__store", "listing__store__company")
        .filter(slug=slug)
        .first()
    )
    if share is None:
        raise Http404(_("没有找到该房源。"))
    return share


def shared_listing(slug: str) -> SharedListing:
    share = share_by_slug(slug)
    listing = share.listing
    media = list(listing.media.all()) if listing.status in IN_PLAY else []
    return SharedListing(
        share=share,
        listing=listing,
        community=community_surroundings(company_id=listing.company_id, community_id=listing.community_id),
        photos=[m for m in media if m.kind == MediaKind.PHOTO],
        floor_plans=[m for m in media if m.kind == MediaKind.FLOOR_PLAN],
        card=share.agent if share.agent.is_active else None,
    )


def shared_media(slug: str, media_id: int) -> ListingMedia:
    """A photo or floor plan of a shared listing still on the market; 404 for anything else."""
    share = share_by_slug(slug)
    media = (
        ListingMedia.objects.filter(listing_id=share.listing_id, pk=media_id).first()
        if share.listing.status in IN_PLAY
        else None
    )
    if media is None:
        raise Http404(_("没有找到该图片。"))
    return media
