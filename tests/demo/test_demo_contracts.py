"""The demo's contracts: generated and signed through the services, one with an amendment, one lease,
one waiting for its title re-check; and wiped again before the deals they protect."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from anju.deals.contracts.models import Contract, TitleCheck
from anju.deals.models import Deal, DealStage, Offer
from anju.demo.contracts import CONTRACT_PLANS, demo_contracts, wipe_contracts
from tests.factories import ClientFactory, ListingFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_demo_has_signed_contracts_an_amendment_and_one_waiting_for_its_recheck(agent, colleague):
    # given an agency with flats for sale and to let, and clients
    for _ in range(8):
        ListingFactory(agent=agent, seller=ClientFactory(owner=agent))
    for _ in range(6):
        ListingFactory(agent=agent, kind="rent", price=4500, seller=ClientFactory(owner=agent))
    for _ in range(5):
        ClientFactory(owner=colleague)
    # when the demo's contracts are made
    made = demo_contracts(company=agent.company, today=timezone.localdate(), rng=random.Random(7))
    # then each plan has its contract; signed ones moved their deals to 已签合同 with a scan
    assert made == len(CONTRACT_PLANS)
    contracts = list(Contract.objects.select_related("deal"))
    signed = [c for c in contracts if c.is_signed]
    assert len(signed) == sum(plan.sign for plan in CONTRACT_PLANS)
    assert all(
        c.deal.stage == DealStage.CONTRACT and c.signed_scan.read().startswith(b"%PDF") for c in signed
    )
    assert {c.kind for c in signed} == {"resale", "lease"}
    assert sum(c.amendments.count() for c in contracts) == 1
    waiting = [c for c in contracts if not c.is_signed]
    assert [c.deal.stage for c in waiting] == [DealStage.INTENT]
    # and when they are wiped, the deals can go too
    wipe_contracts(agent.company)
    assert not Contract.objects.exists() and not TitleCheck.objects.exists()
    Deal.objects.filter(company=agent.company).update(accepted_offer=None)
    Offer.objects.update(answers=None)
    assert Deal.objects.filter(company=agent.company).delete()[0] > 0
