"""A flat for sale with its seller, a buyer, and the agents who work on them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import ClientFactory, ListingFactory


@pytest.fixture
def seller(agent):
    return ClientFactory(owner=agent, name="业主周先生")


@pytest.fixture
def listing(agent, seller):
    return ListingFactory(agent=agent, seller=seller, price=Decimal("1980000.00"))


@pytest.fixture
def buyer(colleague):
    return ClientFactory(owner=colleague, name="买方陈女士")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Contract templates, documents and scans of each test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
