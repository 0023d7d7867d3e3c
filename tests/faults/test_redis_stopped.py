"""Fault: Redis stopped while Anju serves (issue 17, decision 0025).

Pages keep working; a write whose job cannot be queued keeps it in the pending-jobs table, and it
is queued once Redis is back (``anju jobs flush-pending``) and run by the worker.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from anju.core.models import PendingJob
from anju.matching.models import Match
from anju.org.services import token_create
from tests.faults.processes import (
    STARTUP_SECONDS,
    anju,
    anju_environment,
    private_redis,
    request,
    require_postgres,
    served,
    shared_database_url,
    start_worker,
    stop_worker,
    wait_until,
)
from tests.matching.test_engine import _make_listing, _make_need, world  # noqa: F401 - fixture
from tests.matching.test_resident import BUYER, SALE

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_with_redis_stopped_pages_work_and_the_write_s_job_runs_once_redis_is_back(world, tmp_path):  # noqa: F811
    require_postgres()
    # given a listing, a buyer it suits (no match recorded yet), and an agent's API token
    listing = _make_listing(world, SALE)
    need = _make_need(world, BUYER)
    _, token = token_create(user=world["agent"].user, name="故障演练")
    with private_redis(tmp_path) as redis_server:
        env = anju_environment(
            tmp_path / "data", database_url=shared_database_url(), redis_url=redis_server.url
        )
        with served(env) as site:
            # when Redis stops
            redis_server.stop()
            # then pages still answer
            assert request(f"{site}/api/v1/listings/{listing.pk}", token=token).status == 200
            # and a re-price (whose job records the new matches) succeeds
            repriced = request(
                f"{site}/api/v1/listings/{listing.pk}/price",
                token=token,
                method="POST",
                data={"price": "2400000"},
            )
            assert repriced.status == 200, repriced.body
            assert Decimal(repriced.json()["price"]) == Decimal(2400000)
            assert request(f"{site}/readyz").status == 503  # and readiness says the queue is gone
        # and its job waits in the pending-jobs table
        [pending] = PendingJob.objects.all()
        assert pending.name.endswith("record_listings_matches")
        assert not Match.objects.filter(need=need, listing=listing).exists()
        # when Redis is back and the pending jobs are flushed
        redis_server.start()
        flushed = anju(env, "jobs", "flush-pending")
        assert flushed.returncode == 0, flushed.stderr
        assert json.loads(flushed.stdout.strip().splitlines()[-1])["sent"] == 1
        # then the worker runs it: the match is recorded and nothing is pending any more
        worker = start_worker(env)
        try:
            wait_until(
                lambda: not PendingJob.objects.exists(),
                seconds=STARTUP_SECONDS,
                what="the job",
                watching=worker,
            )
        finally:
            stop_worker(worker)
        assert Match.objects.filter(need=need, listing=listing).count() == 1
