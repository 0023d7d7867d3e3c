"""The workbench and the main lists."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from anju.clients.selectors import clients_visible, with_shown_mobiles
from anju.core.pagination import keyset_page
from anju.listings.models import ListingStatus
from anju.listings.selectors import listings_visible
from anju.org.models import Agent
from anju.web.views.base import HtmxRequest, agent_required

PAGE_SIZE = 20


@agent_required
def workbench(request: HtmxRequest, agent: Agent) -> HttpResponse:
    clients = clients_visible(agent)
    listings = listings_visible(agent)
    figures = {
        "my_clients": clients.filter(owner=agent).count(),
        "pool_clients": clients.filter(owner__isnull=True).count(),
        "my_listings": listings.filter(agent=agent, status=ListingStatus.ACTIVE).count(),
    }
    follow_ups = with_shown_mobiles(
        agent, list(clients.filter(owner=agent).order_by("last_contact_at", "id")[:8])
    )
    recent_listings = list(listings.filter(status=ListingStatus.ACTIVE).order_by("-listed_on", "-id")[:8])
    return render(
        request,
        "web/workbench.html",
        {"figures": figures, "follow_ups": follow_ups, "recent_listings": recent_listings},
    )


@agent_required
def clients(request: HtmxRequest, agent: Agent) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    qs = clients_visible(agent)
    qs = qs.filter(owner__isnull=True) if scope == "pool" else qs.exclude(owner__isnull=True)
    rows, next_cursor = keyset_page(
        qs, order=["-created_at", "-id"], cursor=request.GET.get("cursor"), limit=PAGE_SIZE
    )
    with_shown_mobiles(agent, rows)
    template = "web/clients.html#rows" if request.htmx else "web/clients.html"
    return render(request, template, {"rows": rows, "next_cursor": next_cursor, "scope": scope})


@agent_required
def listings(request: HtmxRequest, agent: Agent) -> HttpResponse:
    qs = listings_visible(agent).filter(status=ListingStatus.ACTIVE)
    rows, next_cursor = keyset_page(
        qs, order=["-listed_on", "-id"], cursor=request.GET.get("cursor"), limit=PAGE_SIZE
    )
    template = "web/listings.html#rows" if request.htmx else "web/listings.html"
    return render(request, template, {"rows": rows, "next_cursor": next_cursor})


PENDING_SECTIONS = {
    "showings": (_("带看"), _("预约带看、确认房源可看、规划路线、记录客户对每套房的反馈。")),
    "deals": (_("交易"), _("出价与还价、意向金、合同、贷款与过户进度、资金监管、交房与归档。")),
    "calculators": (
        _("计算器"),
        _("按当日有效政策计算契税、增值税、个税等交易税费，以及商贷、公积金和组合贷月供。"),
    ),
    "care": (_("客户服务"), _("客户分级、回访节奏、生日与节日问候、投诉处理时限、转介绍奖励。")),
    "reports": (_("报表"), _("门店与经纪人业绩、房源与客源变化、成交周期等图表。")),
}


@agent_required
def pending_section(request: HtmxRequest, agent: Agent, section: str) -> HttpResponse:
    title, description = PENDING_SECTIONS[section]
    return render(
        request, "web/pending.html", {"title": title, "description": description, "section": section}
    )
