"""The nightly care jobs run by hand (``anju jobs run NAME``), report what they did, and change
nothing twice."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from anju.care.models import TierChange
from anju.clients.models import Client
from tests.factories import ClientFactory


def run(*args: str) -> str:
    out = StringIO()
    call_command("jobs", *args, stdout=out)
    return out.getvalue()


def test_the_tier_job_runs_by_hand_and_a_second_run_records_nothing_again(agent):
    # given three clients never scored
    ClientFactory.create_batch(3, owner=agent)
    # when the job runs twice
    first = json.loads(run("run", "nightly_care_tiers"))
    second = json.loads(run("run", "nightly_care_tiers"))
    # then each client got its first tier, and the next contact it gives, once
    assert first == {"clients": 3, "changed": 3, "rewritten": 3, "contacts_moved": 0}
    assert second == {"clients": 3, "changed": 0, "rewritten": 0, "contacts_moved": 0}
    assert Client.objects.filter(next_contact_on__isnull=True).count() == 0
    assert TierChange.objects.count() == 3
    assert json.loads(run("run", "nightly_care_cadence")) == {"contacts_moved": 0}


def test_the_jobs_are_listed_and_an_unknown_one_is_named(db):
    listed = run("list")
    assert re.search(r"^nightly_care_tiers +anju\.care\.tasks\.nightly_care_tiers +\(定时\)$", listed, re.M)
    assert re.search(r"^nightly_pool_upkeep +\S+ +\(定时\)$", listed, re.M)
    with pytest.raises(CommandError, match="没有名为 no_such_job 的后台任务"):
        run("run", "no_such_job")
