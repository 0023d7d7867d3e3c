from __future__ import annotations

import pytest
import time_machine

from tests.demo.demo_runs import FROZEN_NOW


@pytest.fixture
def frozen_day():
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield
