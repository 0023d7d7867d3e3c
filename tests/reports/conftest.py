from __future__ import annotations

import pytest

from tests.reports.world import build_world
from tests.showings.conftest import located_store  # noqa: F401  (a store with coordinates)


@pytest.fixture
def world(agent, colleague, manager, other_store, located_store, time_machine):  # noqa: F811
    return build_world(
        agent=agent, colleague=colleague, manager=manager, other_store=other_store, time_machine=time_machine
    )
