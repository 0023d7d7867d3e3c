"""房屋展示: what an agent hands a buyer or a seller about one listing.

The materials sheet (看房资料) a client reads at a showing, phone-sized and printable, and the share
link (分享): a public page without login that an agent forwards, with their card and a QR code to
it. The listing is read through the listings selectors; the community's surroundings through the
dictionary's; the public page through ``showings/shares.py``, which leaves out owner and address.
"""

from __future__ import annotations

import re

import segno
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.core.images import image_content_type
from anju.finance.selectors import listing_costs
from anju.geo.selectors import community_surroundings
from anju.listings.selectors import (
    access_listing,
    access_listing_for_change,
    listing_detail,
    listing_for_detail,
)
from anju.org.models import Agent
from anju.showings.models import PriceOpinion
from anju.showings.seller_report import showing_report
from anju.showings.shares import share_issue, shared_listing, shared_media
from anju.web.views.base import HtmxRequest, agent_required
from anju.web.views.listings import thumbnail_of

# A referral code (the referrals issue) rides along on a shared link as ?ref=…; anything else is dropped.
REFERRAL = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


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


@require_POST
@agent_required
def listing_share_view(request: HtmxRequest, agent: Agent, listing_id: int) -> HttpResponse:
    """分享: the agent's own link to the listing, opened so they see what the client will see."""
    listing = access_listing(agent, listing_id)
    try:
        share = share_issue(listing=listing, by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("web:listing_detail", listing_id=listing_id)
    return redirect("web:shared_listing", slug=share.slug)


def _referral(request: HttpRequest) -> str:
    ref = request.GET.get("ref", "")
    return ref if REFERRAL.match(ref) else ""


def shared_listing_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page (no login). A listing no longer on the market says so instead of showing itself."""
    shared = shared_listing(slug)
    ref = _referral(request)
    link = request.build_absolute_uri(
        reverse("web:shared_listing", kwargs={"slug": slug}) + (f"?{urlencode({'ref': ref})}" if ref else "")
    )
    listing = shared.listing
    context = {
        "shared": shared,
        "listing": listing,
        "prop": listing.property,
        "community": shared.community,
        "card": shared.card,
        "store": shared.card.store if shared.card else listing.store,
        "link": link,
        "ref": ref,
        # segno escapes nothing it is given: the link is ours, built above from a slug and a checked code.
        "qr": mark_safe(segno.make(link, error="m").svg_inline(scale=4)),  # noqa: S308
    }
    response = render(
        request, "web/presentation/shared.html", context, status=200 if shared.available else 410
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def shared_media_file(request: HttpRequest, slug: str, media_id: int) -> FileResponse:
    """A shared listing's photo or floor plan, always the small copy (the original stays in the agency)."""
    media = shared_media(slug, media_id)
    name = thumbnail_of(media)
    response = FileResponse(media.image.storage.open(name, "rb"), content_type=image_content_type(name))
    response["Cache-Control"] = "public, max-age=3600"
    return response


@agent_required
def listing_showing_report(request: HtmxRequest, agent: Agent, listing_id: int) -> HttpResponse:
    """带看反馈报告: for the listing's agent (and their store's managers), printable to send the seller."""
    listing = access_listing_for_change(agent, listing_id)
    report = showing_report(listing)
    weeks = report.figures.weeks
    chart = {
        "weeks": [f"{w.starts_on.month}/{w.starts_on.day}" for w in weeks],
        "showings": [w.showings for w in weeks],
        "clients": [w.clients for w in weeks],
        "labels": {"showings": _("带看次数"), "clients": _("客户数")},
    }
    context = {
        "listing": listing,
        "report": report,
        "figures": report.figures,
        "chart": chart,
        "opinions": [(value, label, report.figures.opinions[value]) for value, label in PriceOpinion.choices],
        "offer_gap": report.offer_gap_percent,
        "offer_gap_size": abs(report.offer_gap_percent) if report.offer_gap_percent is not None else None,
        "nav_section": "listings",
    }
    return render(request, "web/presentation/report.html", context)


urlpatterns = [
    path("listings/<int:listing_id>/sheet/", listing_sheet, name="listing_sheet"),
    path("listings/<int:listing_id>/share/", listing_share_view, name="listing_share"),
    path("listings/<int:listing_id>/showing-report/", listing_showing_report, name="listing_showing_report"),
    path("s/<slug:slug>/", shared_listing_page, name="shared_listing"),
    path("s/<slug:slug>/media/<int:media_id>/", shared_media_file, name="shared_media"),
]
