"""Recording the needs a listing newly matches, for the owning agents' workbenches.

Run by the job ``record_listings_matches`` after listings are created (entered or imported),
re-priced or re-confirmed: the announcements of listings that are news for matching.
Idempotent: a (need, listing) pair is recorded once (the database's unique constraint), and the
workbench notice is one per agent and day, its count recomputed from the matches themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.listings.models import Listing
from anju.matching.models import Match, MatchStatus
from anju.matching.search.engine import needs_for_listing
from anju.needs.models import Need
from anju.org.models import Notification


@dataclass
class Recorded:
    listing_id: int
    created: int = 0
    agents: dict[int, int] = field(default_factory=dict)  # agent id -> matches recorded for them


@transaction.atomic
def matches_record(*, listing_id: int) -> Recorded:
    """Records a Match for every active need ``listing`` satisfies and that has none with it yet."""
    result = Recorded(listing_id=listing_id)
    listing = Listing.objects.select_related("company").filter(pk=listing_id).first()
    if listing is None:
        return result
    found = needs_for_listing(listing)
    if not found.items:
        return result
    known = set(
        Match.objects.filter(listing_id=listing_id, need_id__in=[i.need_id for i in found.items]).values_list(
            "need_id", flat=True
        )
    )
    fresh = [item for item in found.items if item.need_id not in known]
    if not fresh:
        return result
    owners = {
        need_id: owner_id or agent_id
        for need_id, owner_id, agent_id in Need.objects.filter(pk__in=[i.need_id for i in fresh]).values_list(
            "pk", "client__owner_id", "agent_id"
        )
    }
    now = timezone.now()
    rows = [
        Match(
            company_id=listing.company_id,
            need_id=item.need_id,
            listing_id=listing_id,
            # The client's owner; a pool client's need stays with the agent who entered it.
            agent_id=owners[item.need_id],
            score=max(0, min(100, item.score)),
            fits=item.fits,
            lacks=item.lacks,
            found_at=now,
            status=MatchStatus.NEW,
        )
        for item in fresh
        if item.need_id in owners
    ]
    # A concurrent run may have recorded some meanwhile: the unique (need, listing) keeps one.
    Match.objects.bulk_create(rows, ignore_conflicts=True)
    result.created = len(rows)
    for row in rows:
        if row.agent_id is not None:
            result.agents[row.agent_id] = result.agents.get(row.agent_id, 0) + 1
    for agent_id in result.agents:
        _notify(agent_id)
    return result


def _notify(agent_id: int) -> None:
    """One workbench notice per agent and day, saying how many new listings match their clients."""
    today = timezone.localdate()
    start = dt.datetime.combine(today, dt.time(), tzinfo=timezone.get_current_timezone())
    todays = Match.objects.filter(agent_id=agent_id, status=MatchStatus.NEW, found_at__gte=start)
    listings = todays.values("listing_id").distinct().count()
    clients = todays.values("need__client_id").distinct().count()
    text = _("%(listings)s套新房源匹配您的客户（%(clients)s位客户）") % {
        "listings": listings,
        "clients": clients,
    }
    Notification.objects.update_or_create(
        key=f"new-matches:{agent_id}:{today.isoformat()}",
        defaults={
            "agent_id": agent_id,
            "text": text,
            "url": reverse("web:workbench") + "#new-matches",
            "created_at": timezone.now(),
            "read_at": None,
        },
    )
