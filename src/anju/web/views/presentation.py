"""房屋展示: what an agent hands a buyer or a seller about one listing.

The materials sheet (看房资料) a client reads at a showing, phone-sized and printable. The listing
is read through the listings selectors; the community's surroundings through the dictionary's.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from anju.finance.selectors import listing_costs
from anju.geo.selectors import community_surroundings
from anju.listings.selectors import listing_detail, listing_for_detail
from anju.org.models import Agent
from anju.web.views.base import HtmxRequest, agent_required


@agent_required
def listing_sheet(request: HtmxRequest, agent: Agent, listing_id: int) -> HttpResponse:
    detail = listing_detail(agent, listing_for_detail(agent, listing_id))
    listing = detail.listing
    today = timezone.localdate()
    context = {
        "listing": listing,
        "prop": listing.property,
        "community": community_surroundings(company_id=listing.company_id, community_id=listing.community_id),
        "photos": detail.photos[:6],
        "floor_plans": detail.floor_plans,
        "years_held": detail.years_held,
        "is_stale": detail.is_stale,
        "cost_estimate": listing_costs(listing, as_of=today),
        "card": agent,
        "today": today,
        "nav_section": "listings",
    }
    return render(request, "web/presentation/sheet.html", context)


urlpatterns = [
    path("listings/<int:listing_id>/sheet/", listing_sheet, name="listing_sheet"),
]
