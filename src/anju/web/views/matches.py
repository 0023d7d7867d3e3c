"""Matching on the pages: a need's ranked listings with the needs analysis, a listing's matched
clients (an htmx part of the listing page), and the workbench's 新匹配 with batch approval."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anju.clients.selectors import may_write_client
from anju.core import workbench
from anju.core.errors import ApplicationError
from anju.core.formats import join_list
from anju.listings.selectors import access_listing
from anju.matching.models import MatchStatus
from anju.matching.records.need_settings import need_match_settings_update
from anju.matching.records.selectors import (
    access_match,
    listing_needs_view,
    match_settings_of,
    need_matches_view,
)
from anju.matching.records.services import (
    match_record_for_need,
    match_set_status,
    matches_approve,
    may_mark_need,
)
from anju.matching.search.analysis import need_analysis
from anju.matching.search.criteria import MATCHED_KINDS
from anju.needs.models import Need
from anju.needs.selectors import access_need
from anju.org.models import Agent
from anju.web.views.base import HtmxRequest, agent_required

TOLERANCE_CHOICES = ("0.05", "0.10", "0.15", "0.20", "0.30")


def mark_actions() -> list[tuple[str, str, str]]:
    """The buttons on a ranked listing: (action, label, Bootstrap colour)."""
    return [
        (MatchStatus.LIKED, _("喜欢"), "success"),
        (MatchStatus.REJECTED, _("不考虑"), "secondary"),
        ("recommend", _("加入推荐"), "primary"),
    ]


NEED_PAGE_LISTINGS = 20


def page_number(value: str | None) -> int:
    """``?page=`` as a number from 1; anything else is the first page."""
    try:
        return max(1, min(int(value or 1), 10**6))
    except ValueError:
        return 1


def page_links(page: int, pages: int) -> list[int | None]:
    """The page numbers to link: the first, the last and two either side of ``page``; ``None``
    stands for the pages skipped between them (…)."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[int | None] = []
    for number in shown:
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links


def excluded_text(excluded: dict[str, int]) -> str:
    """ "已排除：待核实 12 套、已预定 3 套" — empty when nothing was left out."""
    if not excluded:
        return ""
    parts = join_list(_("%(reason)s %(n)s 套") % {"reason": reason, "n": n} for reason, n in excluded.items())
    return _("已排除：%(parts)s") % {"parts": parts}


def _need_for_matching(agent: Agent, need_id: int) -> Need:
    need = access_need(agent, need_id)
    if need.kind not in MATCHED_KINDS:
        raise ApplicationError(_("只有购房、租房需求有匹配房源。"), code="need_not_matched")
    return need


def need_page_context(agent: Agent, need: Need, *, page: int = 1) -> dict[str, Any]:
    """The need's matches page: page ``page`` of the ranking (the last one when past it)."""
    settings = match_settings_of(need)
    ranked = need_matches_view(need, limit=NEED_PAGE_LISTINGS, offset=(page - 1) * NEED_PAGE_LISTINGS)
    pages = max(1, -(-ranked.total_fitting // NEED_PAGE_LISTINGS))
    if page > pages:
        page = pages
        ranked = need_matches_view(need, limit=NEED_PAGE_LISTINGS, offset=(page - 1) * NEED_PAGE_LISTINGS)
    return {
        "need": need,
        "client": need.client,
        "ranked": ranked,
        "page": page,
        "pages": pages,
        "page_links": page_links(page, pages),
        "excluded_text": excluded_text(ranked.excluded),
        "analysis": need_analysis(need),
        "may_mark": may_mark_need(agent, need),
        "mark_actions": mark_actions(),
        "may_change_settings": may_write_client(agent, need.client),
        "tolerance": f"{settings.tolerance:.2f}",
        "tolerance_choices": [(value, f"{Decimal(value) * 100:.0f}%") for value in TOLERANCE_CHOICES],
        "verified_only": settings.verified_only,
        "nav_section": "clients",
    }


@agent_required
@require_GET
def need_matches(request: HtmxRequest, agent: Agent, need_id: int) -> HttpResponse:
    """A need's matching listings, best first, with what to widen (需求分析)."""
    try:
        need = _need_for_matching(agent, need_id)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("web:client_detail", args=[access_need(agent, need_id).client_id]))
    return render(
        request,
        "web/matches/need.html",
        need_page_context(agent, need, page=page_number(request.GET.get("page"))),
    )


@agent_required
@require_POST
def need_match_mark(request: HtmxRequest, agent: Agent, need_id: int, listing_id: int) -> HttpResponse:
    """喜欢 / 不考虑 / 加入推荐 on one ranked listing; a rejected one leaves the list."""
    need = _need_for_matching(agent, need_id)
    listing = access_listing(agent, listing_id)
    action = request.POST.get("action", "")
    try:
        match = match_record_for_need(need=need, listing=listing, by=agent)
        if action in (MatchStatus.LIKED, MatchStatus.REJECTED):
            match_set_status(match=match, status=action, by=agent)
        elif action != "recommend":
            raise ApplicationError(_("请选择喜欢、不考虑或加入推荐。"), code="action_invalid")
    except ApplicationError as exc:
        if request.htmx:
            return HttpResponse(
                format_html('<div class="alert alert-danger py-2 mb-2" role="alert">{}</div>', exc.message),
                status=200,
                headers={"HX-Reswap": "beforebegin"},
            )
        messages.error(request, exc.message)
        return redirect("web:need_matches", need_id=need.pk)
    if not request.htmx:
        return redirect("web:need_matches", need_id=need.pk)
    if action == MatchStatus.REJECTED:
        # The row leaves the list; a line in its place says what was done, where the agent looked.
        return HttpResponse(
            format_html(
                '<div class="alert alert-secondary py-2 mb-2 small" role="status" data-testid="mark-done">{}</div>',
                _("已标记为不考虑：%(listing)s。它不再出现在这位客户的匹配中，相似的房源会排得靠后。")
                % {"listing": listing},
            )
        )
    # The row comes back from the page it was marked on (the form says which).
    page = page_number(request.POST.get("page"))
    ranked = need_matches_view(need, limit=NEED_PAGE_LISTINGS, offset=(page - 1) * NEED_PAGE_LISTINGS)
    row = next((r for r in ranked.items if r.listing.pk == listing.pk), None)
    if row is None:
        return HttpResponse("")
    done = {
        MatchStatus.LIKED: _("已标记为喜欢：相似的房源会排得更靠前。"),
        "recommend": _("已加入推荐：在工作台的“新匹配”里批准后发给客户。"),
    }[action]
    return render(
        request,
        "web/matches/need.html#ranked_row",
        {
            "need": need,
            "row": row,
            "may_mark": True,
            "mark_actions": mark_actions(),
            "page": page,
            "done": done,
        },
    )


@agent_required
@require_POST
def need_match_settings(request: HtmxRequest, agent: Agent, need_id: int) -> HttpResponse:
    """Widen (or narrow) the budget tolerance and choose 真房源 only, then show the new ranking."""
    need = _need_for_matching(agent, need_id)
    try:
        tolerance = Decimal(request.POST.get("tolerance", ""))
    except InvalidOperation:
        messages.error(request, _("预算浮动必须在 0% 到 50% 之间。"))
        return redirect("web:need_matches", need_id=need.pk)
    try:
        need_match_settings_update(
            agent=agent,
            need=need,
            tolerance=tolerance,
            verified_only=request.POST.get("verified_only") == "on",
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("web:need_matches", need_id=need.pk)


@agent_required
@require_GET
def listing_matches(request: HtmxRequest, agent: Agent, listing_id: int) -> HttpResponse:
    """匹配客户: the active needs the listing satisfies (loaded into the listing page)."""
    listing = access_listing(agent, listing_id)
    return render(
        request,
        "web/matches/_listing_needs.html",
        {"listing": listing, "view": listing_needs_view(agent, listing)},
    )


def new_matches_context(agent: Agent, *, message: str = "") -> dict[str, Any]:
    """The workbench's 新匹配 section alone, as the page shows it (matching's contribution)."""
    return {
        "part": workbench.collect_one("matching", agent, timezone.localdate()),
        "approve_message": message,
    }


@agent_required
@require_POST
def matches_approve_view(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """Approve the chosen new matches for sending on one channel (the sending is the outbox's)."""
    message = ""
    try:
        ids = [int(value) for value in request.POST.getlist("ids")]
    except ValueError:
        ids = []
    try:
        matches = [access_match(agent, match_id) for match_id in dict.fromkeys(ids)]
        result = matches_approve(matches=matches, channel=request.POST.get("channel", ""), by=agent)
        message = result.message
    except ApplicationError as exc:
        message = exc.message
    if request.htmx:
        return render(request, "web/matches/_new_matches.html", new_matches_context(agent, message=message))
    messages.info(request, message)
    return redirect(reverse("web:workbench") + "#new-matches")


@agent_required
@require_POST
def match_mark(request: HtmxRequest, agent: Agent, match_id: int) -> HttpResponse:
    """不考虑 / 喜欢 on a workbench match; the section comes back refreshed."""
    match = access_match(agent, match_id)
    message = ""
    try:
        match_set_status(match=match, status=request.POST.get("status", ""), by=agent)
    except ApplicationError as exc:
        message = exc.message
    if request.htmx:
        return render(request, "web/matches/_new_matches.html", new_matches_context(agent, message=message))
    if message:
        messages.error(request, message)
    return redirect(reverse("web:workbench") + "#new-matches")
