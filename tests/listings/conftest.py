"""What the listing tests share: a community of the agent's company, images, and uploaded files kept apart."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anju.geo.models import School
from anju.geo.services import school_assign
from tests.factories import CommunityFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads of each test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def community(company):
    return CommunityFactory(company=company, name="万科城市花园")


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, fmt)
    return buffer.getvalue()


def upload(
    name: str = "客厅.png", data: bytes | None = None, content_type: str = "image/png"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes() if data is None else data, content_type=content_type)


def flat(**overrides: Any) -> dict[str, Any]:
    """The arguments of ``listing_create`` for an ordinary flat for sale, minus agent and community."""
    return {
        "building": "3",
        "unit": "1",
        "room_number": "1201",
        "floor": 12,
        "total_floors": 32,
        "area": Decimal("89.50"),
        "rooms": 3,
        "halls": 2,
        "baths": 1,
        "orientation": "SN",
        "decoration": "fine",
        "kind": "sale",
        "price": Decimal("3250000"),
        **overrides,
    }


def assign_school(community, *, name: str = "水果湖第一小学", level: str = "primary") -> School:
    school = School.objects.create(
        city=community.district.city, district=community.district, name=name, level=level, is_key=True
    )
    school_assign(community=community, school=school)  # its listings' matching rows follow
    return school
