"""Showings as the seller side's tests need them: a visit to a listing, with what the client said."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from anju.showings.models import Showing, ShowingStatus, Stop, StopFeedback


def visit(listing, client, at: dt.datetime, *, agent=None, feedback: dict[str, Any] | None = None) -> Stop:
    """One showing of one home to ``client`` at ``at``; ``feedback`` records it (``None``: not yet)."""
    agent = agent or client.owner
    showing = Showing.objects.create(
        company_id=listing.company_id,
        agent=agent,
        client=client,
        status=ShowingStatus.DONE if feedback is not None else ShowingStatus.PLANNED,
        starts_at=at - dt.timedelta(minutes=15),
        ends_at=at + dt.timedelta(minutes=20),
        start_latitude=Decimal("30.540000"),
        start_longitude=Decimal("114.290000"),
        speed_kmh=Decimal("20.0"),
        detour_factor=Decimal("1.40"),
        minutes_per_stop=20,
    )
    stop = Stop.objects.create(
        showing=showing,
        listing=listing,
        order=1,
        arrive_at=at,
        leave_at=at + dt.timedelta(minutes=20),
        travel_minutes=15,
        distance_m=3000,
    )
    if feedback is not None:
        StopFeedback.objects.create(stop=stop, recorded_by=agent, **{"outcome": "shown", **feedback})
    return stop
