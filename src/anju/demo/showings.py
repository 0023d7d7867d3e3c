"""The demo's showings (带看): past ones with feedback and a signed confirmation each, so the seller
reports and calendars have something to show, and upcoming ones, some not yet confirmed. They
leave the clients and their follow-ups as the demo's clients phase wrote them.

Rows are written directly, like the rest of the demo (the services refuse a time in the past for
feedback and would write follow-ups one by one), with explicit ids and fixed file names so that the
same seed gives the same rows; the route and the confirmation's hash come from the same code the
services use.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from anju.core.bulk import next_id
from anju.core.formats import to_fen
from anju.demo.clock import DemoClock
from anju.listings.models import Listing, ListingStatus
from anju.needs.models import Need
from anju.org.models import Agent, Company, Role, Store
from anju.showings import route
from anju.showings.models import (
    ASPECTS,
    Access,
    AgreedBy,
    Outcome,
    PriceOpinion,
    Showing,
    ShowingConfirmation,
    ShowingStatus,
    Stop,
    StopFeedback,
    Verdict,
)
from anju.showings.services import confirmation_content, confirmation_digest

PAST_PER_AGENT = 6
UPCOMING_PER_AGENT = 3
# Start times an agent uses (local hours).
SLOTS = (10, 14, 16)
NEARBY_HOMES = 24
OWNER_NAMES = ("陈", "林", "黄", "周", "吴", "郑", "孙", "马", "朱", "胡")


@dataclass
class DemoShowings:
    showings: int = 0
    stops: int = 0
    feedback: int = 0
    signed: int = 0


def signature_png(rng: random.Random) -> bytes:
    """A scribble that looks like a handwritten name: a few joined strokes on a transparent canvas."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    x = 60
    for _stroke in range(rng.randint(2, 4)):
        points = []
        for _ in range(rng.randint(5, 9)):
            x += rng.randint(12, 30)
            points.append((x, rng.randint(70, 180)))
        draw.line(points, fill=(20, 20, 20, 255), width=5, joint="curve")
        x += rng.randint(15, 40)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def generate_showings(
    rng: random.Random, clock: DemoClock, company: Company, written: list[str]
) -> DemoShowings:
    """Past and upcoming showings for every field agent with buyers; ``written`` collects the
    signature files, removed by the caller if the demo fails."""
    counts = DemoShowings()
    agents = list(
        Agent.objects.filter(company=company, role__in=(Role.AGENT, Role.MANAGER), store__isnull=False)
        .select_related("store")
        .order_by("id")
    )
    for agent in agents:
        store = agent.store
        if store is None or store.latitude is None or store.longitude is None:
            continue
        needs = list(
            Need.objects.filter(client__owner=agent, kind="buy", status="active")
            .select_related("client")
            .order_by("id")[:40]
        )
        homes = list(
            Listing.objects.filter(company=company, store=store, status=ListingStatus.ACTIVE, kind="sale")
            .exclude(verified_at__isnull=True)
            .exclude(community__latitude__isnull=True)
            .select_related("community", "property")
            .order_by("-verified_at", "id")[:120]
        )
        if not needs or len(homes) < 4:
            continue
        # A showing covers one neighbourhood: the homes nearest the store.
        origin = route.Point(float(store.latitude), float(store.longitude))
        homes.sort(key=lambda h: route.distance_m(origin, _place(h)))
        homes = homes[:NEARBY_HOMES]
        # One showing a day keeps an agent's calendar free of clashes.
        past = [(days, rng.choice(SLOTS)) for days in rng.sample(range(1, 45), PAST_PER_AGENT)]
        ahead = [(-days, rng.choice(SLOTS)) for days in range(1, UPCOMING_PER_AGENT + 1)]
        for n, (days_ago, hour) in enumerate(past + ahead):
            need = needs[n % len(needs)]
            chosen = rng.sample(homes, rng.randint(2, 4))
            _one(rng, clock, agent, store, need, chosen, days_ago, hour, counts, written)
    return counts


def _one(
    rng: random.Random,
    clock: DemoClock,
    agent: Agent,
    store: Store,
    need: Need,
    homes: list[Listing],
    days_ago: int,
    hour: int,
    counts: DemoShowings,
    written: list[str],
) -> None:
    if store.latitude is None or store.longitude is None:
        return
    company = agent.company
    starts_at = clock.at(days_ago, hour * 3600)
    assumptions = route.Assumptions(
        company.showing_speed_kmh, company.showing_detour_factor, company.showing_minutes_per_stop
    )
    plan = route.plan(
        route.Point(float(store.latitude), float(store.longitude)),
        [_place(h) for h in homes],
        starts_at,
        assumptions,
    )
    past = days_ago > 0
    planned_at = starts_at - dt.timedelta(days=rng.randint(1, 3))
    showing = Showing.objects.create(
        pk=next_id(Showing),
        company=company,
        agent=agent,
        client=need.client,
        need=need,
        status=ShowingStatus.DONE if past else ShowingStatus.PLANNED,
        starts_at=starts_at,
        ends_at=plan.ends_at or starts_at,
        start_label=store.name,
        start_latitude=store.latitude,
        start_longitude=store.longitude,
        speed_kmh=assumptions.speed_kmh,
        detour_factor=assumptions.detour_factor,
        minutes_per_stop=assumptions.minutes_per_stop,
        total_travel_minutes=plan.total_travel_minutes,
        total_distance_m=plan.total_distance_m,
        created_at=planned_at,
        updated_at=planned_at,
    )
    counts.showings += 1
    stops = []
    first_stop = next_id(Stop)
    for order, leg in enumerate(plan.legs, start=1):
        listing = homes[leg.stop]
        # The evening before, the agent has confirmed most stops; one in three ahead is still open.
        confirmed = past or rng.random() < 0.6
        keys = listing.keys_store_id is not None
        stops.append(
            Stop(
                pk=first_stop + order - 1,
                showing=showing,
                listing=listing,
                order=order,
                arrive_at=leg.arrive_at,
                leave_at=leg.leave_at,
                travel_minutes=leg.travel_minutes,
                distance_m=leg.distance_m,
                confirmed_at=planned_at + dt.timedelta(hours=2) if confirmed else None,
                confirmed_by=agent if confirmed else None,
                agreed_by=AgreedBy.OWNER if confirmed else "",
                agreed_name=f"{rng.choice(OWNER_NAMES)}先生" if confirmed else "",
                agreed_at=planned_at + dt.timedelta(hours=1) if confirmed else None,
                access=(Access.KEYS if keys else Access.OWNER) if confirmed else "",
                keys_store_id=listing.keys_store_id if confirmed and keys else None,
                created_at=planned_at,
                updated_at=planned_at,
            )
        )
    Stop.objects.bulk_create(stops)
    counts.stops += len(stops)
    if not past:
        return
    feedback: list[StopFeedback] = []
    first_feedback = next_id(StopFeedback)
    for stop in stops:
        shown = rng.random() < 0.9
        interest = rng.choice((1, 2, 3, 3, 4, 4, 5)) if shown else None
        aspects = rng.sample(ASPECTS, 4)
        feedback.append(
            StopFeedback(
                pk=first_feedback + len(feedback),
                stop=stop,
                outcome=Outcome.SHOWN if shown else Outcome.NO_SHOW,
                interest=interest,
                liked=aspects[:2] if shown else [],
                disliked=aspects[2:3] if shown else [],
                verdict=(
                    Verdict.LIKED if interest and interest >= 5 else Verdict.REJECTED if interest == 1 else ""
                )
                if shown
                else "",
                price_opinion=rng.choice(PriceOpinion.values) if shown else "",
                price_offer=to_fen(stop.listing.price * Decimal(rng.choice(("0.92", "0.95", "0.97"))))
                if shown and rng.random() < 0.4
                else None,
                recorded_by=agent,
                recorded_at=stop.leave_at,
                created_at=stop.leave_at,
                updated_at=stop.leave_at,
            )
        )
    StopFeedback.objects.bulk_create(feedback)
    counts.feedback += len(feedback)
    _sign(rng, showing, stops, need.client.name, agent, written)
    counts.signed += 1


def _sign(
    rng: random.Random, showing: Showing, stops: list[Stop], name: str, agent: Agent, written: list[str]
) -> None:
    png = signature_png(rng)
    listings = [stop.listing for stop in stops]
    shown_on = timezone.localtime(showing.starts_at).date()
    content = confirmation_content(
        showing=showing, client_name=name, shown_on=shown_on, listings=listings, supersedes_id=None
    )
    confirmation = ShowingConfirmation(
        pk=next_id(ShowingConfirmation),
        company_id=showing.company_id,
        showing=showing,
        client_name=name,
        shown_on=shown_on,
        content=content,
        sha256=confirmation_digest(content, png),
        agent=agent,
        signed_at=stops[0].arrive_at,
    )
    # Named like an upload (the showing's folder); a fixed name keeps runs identical.
    storage = ShowingConfirmation._meta.get_field("signature").storage
    name = f"showings/signatures/{showing.pk}/demo.png"
    if storage.exists(name):  # left by a reset in this transaction, deleted at commit
        storage.delete(name)
    name = storage.save(name, ContentFile(png))
    written.append(name)
    confirmation.signature.name = name
    confirmation.save(force_insert=True)
    through = ShowingConfirmation.listings.through
    first = next_id(through)
    through.objects.bulk_create(
        through(pk=first + n, showingconfirmation_id=confirmation.pk, listing_id=listing.pk)
        for n, listing in enumerate(listings)
    )


def _place(home: Listing) -> route.Point:
    """Where the home's community is (the demo shows only homes whose community has coordinates)."""
    latitude, longitude = home.community.latitude, home.community.longitude
    assert latitude is not None and longitude is not None  # noqa: S101 - filtered above
    return route.Point(float(latitude), float(longitude))
