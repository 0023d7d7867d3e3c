"""Reads for listings. Listings are shared across the company (房源共享); clients are not."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anju.listings.models import Listing
from anju.org.models import Agent
from anju.org.scoping import in_company


def listings_visible(viewer: Agent) -> QuerySet[Listing]:
    return in_company(
        Listing.objects.select_related("property", "community", "district", "agent", "store"), viewer
    )


def access_listing(viewer: Agent, listing_id: int) -> Listing:
    listing = listings_visible(viewer).filter(pk=listing_id).first()
    if listing is None:
        raise Http404(_("没有找到该房源。"))
    return listing
