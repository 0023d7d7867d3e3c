from __future__ import annotations

import pytest

from anju.clients.models import Client
from anju.clients.services import consent_record
from tests.factories import ClientFactory


@pytest.fixture
def consenting(agent):
    """A client of ``agent`` who consented to the given channels."""

    def make(*channels: str, **fields: object) -> Client:
        client = ClientFactory(owner=agent, **fields)
        for channel in channels:
            consent_record(client=client, by=agent, channel=channel, granted=True, how="门店书面签字")
        return client

    return make
