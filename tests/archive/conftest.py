"""A deal for a flat, its agents, and the people around it who may or may not read its papers."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from anju.archive.services import document_upload
from anju.deals.services import deal_create
from anju.demo.documents import tiny_jpeg, tiny_pdf
from tests.factories import AgentFactory, ClientFactory, ListingFactory


@pytest.fixture
def seller(agent):
    return ClientFactory(owner=agent, name="业主周先生")


@pytest.fixture
def buyer(agent):
    return ClientFactory(owner=agent, name="买方陈女士")


@pytest.fixture
def deal(agent, seller, buyer):
    listing = ListingFactory(agent=agent, seller=seller, price=Decimal("1980000.00"))
    return deal_create(listing=listing, buyer=buyer, by=agent)


@pytest.fixture
def outsider(store):
    """An agent of the same store with no part in the deal."""
    return AgentFactory(store=store, company=store.company, name="孙磊", user__username="sunlei")


@pytest.fixture
def specialist(store):
    """The store's transaction specialist: sees the store's deals, but is not one of this deal's agents."""
    return AgentFactory(
        store=store, company=store.company, name="钱专员", role="specialist", user__username="qian"
    )


@pytest.fixture
def pdf() -> bytes:
    return tiny_pdf("Contract JY-TEST")


@pytest.fixture
def jpeg() -> bytes:
    return tiny_jpeg()


def upload(deal, by, data: bytes, name: str, kind: str):
    return document_upload(deal=deal, by=by, file=io.BytesIO(data), name=name, kind=kind)
