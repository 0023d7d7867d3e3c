"""Two requests approve, or pay, one reward at the same moment: it is approved once and paid once.

Each runs in its own thread with its own PostgreSQL connection; the reward's row lock
(``select_for_update``) makes the second wait for the first and then see what it did."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from anju.core.errors import ApplicationError
from anju.referrals.models import Reward, RewardStatus
from anju.referrals.services import reward_approve, reward_pay
from tests.referrals.conftest import deal_for, rule, sign

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)")


def at_once(step, reward, people) -> list[object]:
    """``step(reward=…, by=person)`` for each person, all released at the same moment."""
    start = threading.Barrier(len(people), timeout=30)
    outcomes: list[object] = []

    def run(person) -> None:
        try:
            start.wait()
            outcomes.append(step(reward=reward, by=person).status)
        except ApplicationError as exc:
            outcomes.append(exc.code)
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return sorted(outcomes)


@pytest.fixture
def reward(company, friend, agent):
    rule(company, kind="fixed", amount="800.00", earned_at="signing")
    sign(deal_for(friend, agent), agent)
    return Reward.objects.get()


def test_two_approvals_at_once_approve_once(reward, manager, admin_agent):
    # when a manager and an administrator approve at the same moment
    outcomes = at_once(reward_approve, reward, [manager, admin_agent])
    # then one approved and the other was told it already was
    assert outcomes == ["approved", "reward_already_approved"]
    reward.refresh_from_db()
    assert reward.status == RewardStatus.APPROVED


def test_two_payments_at_once_pay_once(reward, manager, admin_agent):
    # given an approved reward
    reward_approve(reward=reward, by=manager)
    # when two people pay it at the same moment
    outcomes = at_once(reward_pay, reward, [manager, admin_agent])
    # then it was paid once; the other was refused saying it was paid
    assert outcomes == ["paid", "reward_already_paid"]
    reward.refresh_from_db()
    assert reward.status == RewardStatus.PAID
    assert Reward.history.filter(id=reward.pk, status="paid").count() == 1
