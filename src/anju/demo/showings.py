"""The demo's showings (带看): past ones with feedback and a signed confirmation each, so the seller
reports and calendars have something to show, and upcoming ones, some not yet confirmed.

Rows are written directly, like the rest of the demo (the services refuse a time in the past for
feedback and would write follow-ups one by one); the route and the confirmation's hash come from
the same code the services use.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from anju.clients.models import Client, Interaction, InteractionKind
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
            .select_related("community", "property")
            .order_by("-verified_at", "id")[:120]
        )
        if not needs or len(homes) < 4:
            continue
        # A showing covers one neighbourhood: the homes nearest the store.
        origin = route.Point(float(store.latitude), float(store.longitude))
        homes.sort(
            key=lambda h: route.distance_m(
                origin, route.Point(float(h.community.latitude), float(h.community.longitude))
            )
        )
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
        [route.Point(float(h.community.latitude), float(h.community.longitude)) for h in homes],
        starts_at,
        assumptions,
    )
    past = days_ago > 0
    planned_at = starts_at - dt.timedelta(days=rng.randint(1, 3))
    showing = Showing.objects.create(
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
    for order, leg in enumerate(plan.legs, start=1):
        listing = homes[leg.stop]
        # The evening before, the agent has confirmed most stops; one in three ahead is still open.
        confirmed = past or rng.random() < 0.6
        keys = listing.keys_store_id is not None
        stops.append(
            Stop(
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
    feedback = []
    summaries = []
    for stop in stops:
        shown = rng.random() < 0.9
        interest = rng.choice((1, 2, 3, 3, 4, 4, 5)) if shown else None
        aspects = rng.sample(ASPECTS, 4)
        feedback.append(
            StopFeedback(
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
        if shown:
            summaries.append(f"带看 {stop.listing.community.name}：意向 {interest}/5")
    StopFeedback.objects.bulk_create(feedback)
    counts.feedback += len(feedback)
    if summaries:
        Interaction.objects.create(
            client=need.client,
            agent=agent,
            need=need,
            kind=InteractionKind.SHOWING,
            summary="；".join(summaries),
            happened_at=stops[0].arrive_at,
        )
        client = need.client
        if client.last_contact_at is None or client.last_contact_at < stops[0].arrive_at:
            Client.objects.filter(pk=client.pk).update(last_contact_at=stops[0].arrive_at)
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
        company_id=showing.company_id,
        showing=showing,
        client_name=name,
        shown_on=shown_on,
        content=content,
        sha256=confirmation_digest(content, png),
        agent=agent,
        signed_at=stops[0].arrive_at,
    )
    confirmation.signature.save("signature.png", ContentFile(png), save=False)
    written.append(str(confirmation.signature.name))
    confirmation.save()
    confirmation.listings.set(listings)
