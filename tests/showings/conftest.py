"""A small world for showings: a store with coordinates, a client with a buy need, verified homes."""

from __future__ import annotations

import base64
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from anju.org.services import token_create
from tests.factories import ClientFactory, CommunityFactory, ListingFactory, NeedFactory, PropertyFactory


def as_token(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


def home(agent, *, latitude: str, longitude: str, name: str, **listing):
    """A verified sale listing of ``agent`` in a community of its own at the given coordinates."""
    community = CommunityFactory(
        company=agent.company, name=name, latitude=Decimal(latitude), longitude=Decimal(longitude)
    )
    prop = PropertyFactory(company=agent.company, community=community)
    fields = {"verified_at": timezone.now(), **listing}
    return ListingFactory(agent=agent, property=prop, **fields)


def signature_png(stroke: bool = True) -> bytes:
    """A 120×60 PNG: white with a black stroke (a drawn signature), or blank."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (120, 60), (255, 255, 255, 0))
    if stroke:
        ImageDraw.Draw(image).line([(10, 40), (40, 10), (70, 45), (110, 15)], fill=(0, 0, 0, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def signature_b64(stroke: bool = True) -> str:
    return base64.b64encode(signature_png(stroke)).decode()


@pytest.fixture
def located_store(store):
    store.latitude, store.longitude = Decimal("30.550000"), Decimal("114.300000")
    store.save()
    return store


@pytest.fixture
def buyer(agent, located_store):
    return ClientFactory(owner=agent, name="王先生")


@pytest.fixture
def need(buyer):
    return NeedFactory(client=buyer, budget_min=None, budget_max=Decimal("3000000"), rooms_min=None)


@pytest.fixture
def homes(agent, located_store):
    """Three homes east of the store, listed far, near, middle."""
    return [
        home(agent, latitude="30.550000", longitude="114.360000", name="远景花园"),
        home(agent, latitude="30.550000", longitude="114.310000", name="近邻小区"),
        home(agent, latitude="30.550000", longitude="114.330000", name="中段家园"),
    ]


@pytest.fixture
def api(agent):
    return as_token(agent)


def tomorrow_at(hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def today_at(hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(hour, minute)))
