"""Matching's part of the workbench: 新匹配, the agent's newest new matches grouped per client.

Each item is done when the agent approves the match for sending or marks it 不考虑 (the section's
own forms do both in bulk or one by one), so it carries no ``done_url``. Registered in
``MatchingConfig.ready``.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy

from anju.clients.models import Channel
from anju.core import workbench
from anju.core.workbench import ContributorResult, Urgency, WorkItem
from anju.listings.workbench import listing_price
from anju.matching.models import Match
from anju.matching.records.selectors import new_matches_by_client
from anju.org.models import Agent


def _new_match(match: Match) -> WorkItem:
    client = match.need.client
    return WorkItem(
        source="matching",
        kind="match_new",
        key=f"match:{match.pk}",
        title=f"{match.listing.community.name} · {listing_price(match.listing)}",
        badge=str(match.score),
        url=reverse("web:need_matches", args=[match.need_id]),
        urgency=Urgency.INFO,
        at=match.found_at,
        group=f"client:{client.pk}",
        group_title=client.name,
        group_url=reverse("web:client_detail", args=[client.pk]),
        obj=match,
    )


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    groups, total = new_matches_by_client(agent)
    return ContributorResult(
        items=[_new_match(match) for group in groups for match in group.matches],
        total=total,
        context={"channels": Channel.choices},
    )


def register() -> None:
    workbench.register(
        "matching",
        contribute,
        order=20,
        heading=gettext_lazy("新匹配"),
        empty_text=gettext_lazy("暂无新匹配。"),
        template="web/matches/_new_matches.html",
        band="top",
    )
