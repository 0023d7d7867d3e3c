"""The demo's share links and open days (房屋展示): every field agent's most-shown listings get the
agent's share link, and each store's most-shown listing an open day ahead with a few sign-ups, so
the seller reports, the calendar and the public pages have something to show after ``make run``.

Runs after the showings (``demo/showings.py``), whose feedback decides which listings are busiest.
Rows are written directly, like the rest of the demo.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass

from django.db.models import Count, Q

from anju.clients.models import Client
from anju.demo.clock import DemoClock
from anju.listings.models import Listing, ListingStatus
from anju.org.models import Agent, Company, Role
from anju.showings.models import ListingShare, OpenDay, OpenDaySignup, Outcome

SHARED_PER_AGENT = 3
# Open days fall after the demo's upcoming showings (the next three days), at 10:00–12:00.
OPEN_DAY_DAYS_AHEAD = (5, 6)
OPEN_DAY_HOURS = (10, 12)
OPEN_DAY_CAPACITY = 6


@dataclass
class DemoPresentation:
    shares: int = 0
    open_days: int = 0
    signups: int = 0


def _slug(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(96).to_bytes(12, "big")).decode()


def generate_presentation(rng: random.Random, clock: DemoClock, company: Company) -> DemoPresentation:
    counts = DemoPresentation()
    busiest = (
        Listing.objects.filter(company=company, status=ListingStatus.ACTIVE)
        .annotate(
            shown=Count("showing_stops__feedback", filter=Q(showing_stops__feedback__outcome=Outcome.SHOWN))
        )
        .filter(shown__gt=0)
        .order_by("-shown", "id")
    )
    agents = Agent.objects.filter(company=company, role__in=(Role.AGENT, Role.MANAGER), store__isnull=False)
    shares = []
    for agent in agents.order_by("id"):
        for listing in busiest.filter(agent=agent)[:SHARED_PER_AGENT]:
            shares.append(ListingShare(company=company, listing=listing, agent=agent, slug=_slug(rng)))
    ListingShare.objects.bulk_create(shares)
    counts.shares = len(shares)
    stores = sorted({a.store_id for a in agents if a.store_id is not None})
    for n, store_id in enumerate(stores):
        top = busiest.filter(store_id=store_id).select_related("agent").first()
        if top is None:
            continue
        listing = top
        days_ahead = OPEN_DAY_DAYS_AHEAD[n % len(OPEN_DAY_DAYS_AHEAD)]
        open_day = OpenDay.objects.create(
            company=company,
            listing=listing,
            agent=listing.agent,
            starts_at=clock.at(-days_ahead, OPEN_DAY_HOURS[0] * 3600),
            ends_at=clock.at(-days_ahead, OPEN_DAY_HOURS[1] * 3600),
            capacity=OPEN_DAY_CAPACITY,
            note="周末开放日，请提前十分钟到小区门口集合",
        )
        counts.open_days += 1
        buyers = list(
            Client.objects.filter(
                company=company,
                owner__store_id=store_id,
                owner__isnull=False,
                needs__kind="buy",
                needs__status="active",
            )
            .select_related("owner")
            .distinct()
            .order_by("id")[:40]
        )
        chosen = rng.sample(buyers, min(len(buyers), rng.randint(2, 4)))
        OpenDaySignup.objects.bulk_create(
            [OpenDaySignup(open_day=open_day, client=client, agent=client.owner) for client in chosen]
        )
        counts.signups += len(chosen)
    return counts
