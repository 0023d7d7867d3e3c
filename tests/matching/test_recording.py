"""Recording the needs a listing newly matches: on entry, re-pricing and re-confirmation, once each."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anju.listings.services import listing_reprice, listing_verify
from anju.matching.models import Match, MatchStatus
from anju.matching.records.recording import matches_record
from anju.matching.search import layout
from anju.org.models import Notification
from tests.factories import ClientFactory, CommunityFactory
from tests.matching.match_world import buy_need, sale

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(company):
    return CommunityFactory(company=company)


@pytest.fixture
def need(agent, community):
    client = ClientFactory(owner=agent, name="王先生")
    return buy_need(agent, client, districts=[community.district_id])


def test_a_new_listing_that_fits_is_recorded_for_the_clients_agent(
    need, colleague, community, django_capture_on_commit_callbacks
):
    # when: a colleague enters a flat that fits the need
    with django_capture_on_commit_callbacks(execute=True):
        listing = sale(colleague, community, price=Decimal("2100000"))
    # then
    match = Match.objects.get()
    assert (match.need, match.listing, match.agent) == (need, listing, need.client.owner)
    assert match.status == MatchStatus.NEW
    assert 0 < match.score <= 100 and match.fits
    notice = Notification.objects.get(agent=need.client.owner)
    assert notice.text.startswith("1套新房源匹配您的客户")
    assert notice.url.endswith("#new-matches")


def test_a_listing_that_does_not_fit_records_nothing(
    need, colleague, community, django_capture_on_commit_callbacks
):
    # when: far above the budget
    with django_capture_on_commit_callbacks(execute=True):
        dear = sale(colleague, community, price=Decimal("5000000"))
    # then
    assert not Match.objects.filter(listing=dear).exists()
    assert not Notification.objects.exists()
    # and the same flat within the budget is recorded and announced
    with django_capture_on_commit_callbacks(execute=True):
        fitting = sale(colleague, community, price=Decimal("2100000"))
    assert Match.objects.get().listing == fitting
    assert Notification.objects.get(agent=need.client.owner).text.startswith("1套新房源匹配您的客户")


def test_a_pool_clients_need_is_recorded_for_the_agent_who_entered_it(
    agent, colleague, community, django_capture_on_commit_callbacks
):
    # given: the need was entered while the client was the agent's, then the client went to the pool
    client = ClientFactory(owner=agent)
    need = buy_need(agent, client, districts=[community.district_id])
    client.owner, client.store = None, None
    client.save()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        sale(colleague, community)
    # then
    assert Match.objects.get().agent == need.agent == agent


def test_repricing_into_the_budget_records_the_match(
    need, colleague, community, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        listing = sale(colleague, community, price=Decimal("3000000"))
    assert not Match.objects.exists()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        listing_reprice(listing=listing, price=Decimal("2150000"), by=colleague)
    # then
    assert Match.objects.get().listing == listing


def test_reconfirming_an_unverified_listing_records_the_match(
    need, colleague, community, django_capture_on_commit_callbacks
):
    # given: not verified, so not recommended to a need that asks for 真房源
    with django_capture_on_commit_callbacks(execute=True):
        listing = sale(colleague, community, verified=False)
    assert not Match.objects.exists()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        listing_verify(listing=listing, by=colleague, method="phone")
    # then
    assert Match.objects.get().listing == listing


def test_recording_twice_records_nothing_twice(
    need, colleague, community, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        listing = sale(colleague, community)
    # when
    again = matches_record(listing_id=listing.pk)
    # then
    assert again.created == 0
    assert Match.objects.count() == 1
    assert Notification.objects.filter(agent=need.client.owner).count() == 1


def test_a_marked_match_is_not_recorded_again_after_a_reprice(
    need, colleague, community, django_capture_on_commit_callbacks
):
    # given: the client rejected the flat
    with django_capture_on_commit_callbacks(execute=True):
        listing = sale(colleague, community)
    Match.objects.update(status=MatchStatus.REJECTED)
    layout.need_refresh(need_id=need.pk)  # as marking it through the service does
    # when
    with django_capture_on_commit_callbacks(execute=True):
        listing_reprice(listing=listing, price=Decimal("1990000"), by=colleague)
    # then
    assert list(Match.objects.values_list("status", flat=True)) == [MatchStatus.REJECTED]


def test_the_days_notice_counts_every_new_listing_for_the_agent(
    need, colleague, community, django_capture_on_commit_callbacks
):
    # when: three fitting listings on the same day
    with django_capture_on_commit_callbacks(execute=True):
        for price in ("2000000", "2050000", "2100000"):
            sale(colleague, community, price=Decimal(price))
    # then: one notice, saying three
    notice = Notification.objects.get(agent=need.client.owner)
    assert notice.text.startswith("3套新房源匹配您的客户")
    assert Match.objects.count() == 3


def test_a_job_queued_under_the_old_single_listing_name_still_runs(need, colleague, community):
    """A worker upgraded while jobs wait in the queue: ``record_listing_matches`` (one listing) was
    the job's name before listings announced in batches."""
    from huey.contrib.djhuey import HUEY

    from anju.matching.tasks import record_listing_matches

    # given a fitting listing whose recording job was queued by the older version (not run)
    listing = sale(colleague, community, price=Decimal("2100000"))
    stored = HUEY.serializer.serialize(HUEY._registry.create_message(record_listing_matches.s(listing.pk)))
    message = HUEY.serializer.deserialize(stored)
    # when a worker runs it
    HUEY.execute(HUEY._registry.create_task(message))
    # then it records the match under the old name
    assert message.name == "anju.matching.tasks.record_listing_matches"
    assert Match.objects.get().listing == listing
