"""Fault: PostgreSQL restarted while Anju serves pages (issue 17).

A private cluster of the test's own is restarted (never the shared server other tests use) while a
client keeps asking a page that reads the database. Requests fail at most while it is down; after,
the web workers answer again by themselves: each checks its kept connection before using it
(``CONN_HEALTH_CHECKS``) and opens a new one, without Anju being restarted.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest

from anju.org.services import token_create
from tests.faults.processes import (
    STARTUP_SECONDS,
    anju_environment,
    private_postgres,
    request,
    require_postgres,
    served,
    wait_until,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Asked:
    started: float
    ended: float
    status: int  # 0: no answer at all


def _keep_asking(url: str, token: str, stop: threading.Event, log: list[Asked]) -> None:
    while not stop.is_set():
        started = time.monotonic()
        try:
            status = request(url, token=token, timeout=STARTUP_SECONDS).status  # a cold worker loads slowly
        except OSError:
            status = 0
        log.append(Asked(started, time.monotonic(), status))
        time.sleep(0.05)


def test_requests_fail_only_while_postgresql_is_down_and_the_site_answers_again_by_itself(agent, tmp_path):
    require_postgres()
    # given an agent's token, in a private PostgreSQL holding a copy of this test's database
    _, token = token_create(user=agent.user, name="故障演练")
    with private_postgres() as database:
        env = anju_environment(tmp_path, database_url=database.url, CONN_MAX_AGE="600")
        # and Anju served from it by two gunicorn workers, asked a database page without pause
        with served(env, workers=2) as site:
            url = f"{site}/api/v1/listings"
            assert request(url, token=token).status == 200
            log: list[Asked] = []
            stop = threading.Event()
            client = threading.Thread(target=_keep_asking, args=(url, token, stop, log), daemon=True)
            client.start()
            try:
                wait_until(
                    lambda: sum(1 for asked in log if asked.status == 200) >= 10, seconds=STARTUP_SECONDS
                )
                # when PostgreSQL restarts (fast shutdown: every session is cut)
                down = time.monotonic()
                database.pg_ctl("restart", "-m", "fast")
                up = time.monotonic()
                wait_until(
                    lambda: sum(1 for asked in log if asked.started > up) >= 20, seconds=STARTUP_SECONDS
                )
            finally:
                stop.set()
                client.join(timeout=30)
    # then every request that failed was under way while the server was down
    failed = [asked for asked in log if asked.status != 200]
    assert all(asked.ended >= down and asked.started <= up for asked in failed), (down, up, failed)
    # and every request asked after it was up again was answered, Anju unrestarted
    after = [asked for asked in log if asked.started > up]
    assert len(after) >= 20
    assert {asked.status for asked in after} == {200}
