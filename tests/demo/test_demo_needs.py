"""``anju demo --needs``: buy and rent needs that fit the generated listings, and their follow-ups."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management.base import CommandError

from anju.clients.models import Client, Interaction
from anju.listings.models import Listing
from anju.needs.models import Need
from anju.org.models import Company
from tests.demo.demo_runs import FROZEN_NOW, run_demo


def listings_and_clients() -> tuple[list[tuple], list[tuple]]:
    """What the generator wrote. The demo's deals, a later phase, reserve a few flats through the
    listings' service (status and updated_at), and its referrals record a 介绍人 for a few of the
    deals' buyers (referred_by); which ones depends on the needs: left out. So are the columns client
    care writes from the needs and deals (the tier and its reasons, the stage, the next contact), and
    what the reports' phase does to clients without showings, which follow from the needs: a next
    follow-up made overdue, a client returned to the pool (owner and store)."""
    generated = [
        f.attname for f in Listing._meta.concrete_fields if f.attname not in {"status", "updated_at"}
    ]
    later = {"referred_by_id", "tier", "tier_reasons", "stage", "next_contact_on", "next_follow_up_on"}
    later |= {"owner_id", "store_id"}
    written = [f.attname for f in Client._meta.concrete_fields if f.attname not in later]
    return (
        list(Listing.objects.order_by("pk").values_list(*generated)),
        list(Client.objects.order_by("pk").values_list(*written)),
    )


def test_adding_needs_changes_no_listing_or_client(db, frozen_day):
    # given
    run_demo("--listings", "300", "--clients", "200", "--needs", "0")
    without_needs = listings_and_clients()
    assert not Need.objects.exists()
    # when
    run_demo("--listings", "300", "--clients", "200", "--needs", "400", "--reset")
    # then
    assert listings_and_clients() == without_needs
    assert Need.objects.count() == 400


def test_more_needs_than_clients_gives_some_clients_a_second_need_and_never_a_third(db, frozen_day):
    # when
    run_demo("--listings", "50", "--clients", "100", "--needs", "150")
    # then
    per_client = Counter(Need.objects.values_list("client_id", flat=True))
    assert sorted(Counter(per_client.values()).items()) == [(1, 50), (2, 50)]


def test_too_many_needs_are_refused_in_chinese_and_nothing_is_written(db, frozen_day):
    # when
    with pytest.raises(CommandError, match="需求数最多为客户数的 2 倍"):
        run_demo("--listings", "50", "--clients", "10", "--needs", "21")
    # then
    assert not Company.objects.exists()


def test_needs_are_mostly_active_buy_needs_owned_by_the_clients_agent(db, frozen_day):
    # when
    run_demo("--listings", "200", "--clients", "1500", "--needs", "1000")
    # then
    needs = list(Need.objects.select_related("client"))
    kinds = Counter(n.kind for n in needs)
    assert set(kinds) == {"buy", "rent"}
    assert 0.72 < kinds["buy"] / len(needs) < 0.88
    statuses = Counter(n.status for n in needs)
    assert statuses["active"] / len(needs) > 0.85
    assert statuses["paused"] > 0 and statuses["fulfilled"] > 0
    for need in needs:
        if need.client.owner_id is not None:
            assert need.agent_id == need.client.owner_id
        assert need.created_at >= need.client.created_at
        assert need.created_at < FROZEN_NOW
        assert need.budget_max is not None and need.budget_max > 0
        assert need.budget_min is None or need.budget_min <= need.budget_max
        assert need.area_min is None or need.area_max is None or need.area_min <= need.area_max
        assert need.rooms_min is None or need.rooms_max is None or need.rooms_min <= need.rooms_max
        if need.kind == "rent":
            assert need.budget_max < 30_000  # a monthly rent, not a price
            assert not need.school_required and need.purpose == ""
        else:
            assert need.budget_max >= 100_000
    without_budget_min = sum(n.budget_min is None for n in needs) / len(needs)
    assert 0.1 < without_budget_min < 0.5
    assert any(n.elevator_required for n in needs)
    assert any(n.build_year_min for n in needs)
    assert any(n.orientations for n in needs)
    assert any(n.floor_min or n.floor_max for n in needs)
    assert any(n.school_required and n.school_level for n in needs)
    assert any(n.must_haves for n in needs)


def test_needs_ask_for_one_to_three_districts_near_the_agents_store(db, frozen_day):
    # when
    run_demo("--listings", "200", "--clients", "1500", "--needs", "1000")
    # then
    needs = list(Need.objects.prefetch_related("districts", "business_areas", "communities"))
    district_counts = Counter(len(n.districts.all()) for n in needs)
    assert set(district_counts) <= {0, 1, 2, 3}
    assert 0.02 < district_counts[0] / len(needs) < 0.09  # anywhere in the city
    assert district_counts[1] > district_counts[2] > district_counts[3] > 0
    assert sum(bool(n.business_areas.all()) for n in needs) > 0.08 * len(needs)
    assert sum(bool(n.communities.all()) for n in needs) > 0.03 * len(needs)
    guanggu = [n for n in needs if n.agent.store.name == "光谷店" and n.districts.all()]
    asks_for_hongshan = sum(any(d.name == "洪山区" for d in n.districts.all()) for n in guanggu)
    assert asks_for_hongshan / len(guanggu) > 0.5  # the store stands in 洪山区 (光谷)


def test_most_needs_have_an_active_listing_in_their_districts_within_budget(db, frozen_day):
    # given
    run_demo("--listings", "3000", "--clients", "400", "--needs", "300")
    active = list(Listing.objects.filter(status="active").values_list("kind", "district_id", "price"))
    # when
    fitting = 0
    needs = list(Need.objects.prefetch_related("districts"))
    for need in needs:
        kind = "sale" if need.kind == "buy" else "rent"
        districts = {d.pk for d in need.districts.all()}
        fitting += any(
            listing_kind == kind
            and (not districts or district in districts)
            and (need.budget_min is None or price >= need.budget_min)
            and price <= need.budget_max
            for listing_kind, district, price in active
        )
    # then
    assert fitting / len(needs) > 0.85


def test_follow_ups_belong_to_the_needs_client_and_fall_between_entry_and_last_contact(db, frozen_day):
    # when
    output = run_demo("--listings", "100", "--clients", "600", "--needs", "400")
    # then
    interactions = list(Interaction.objects.select_related("need", "client"))
    assert len(interactions) > 200
    assert f"跟进 {len(interactions)}" in output
    for interaction in interactions:
        need = interaction.need
        assert need is not None and interaction.client_id == need.client_id
        assert need.created_at <= interaction.happened_at <= interaction.client.last_contact_at
        assert interaction.summary
    assert len({i.kind for i in interactions}) >= 4


def test_reset_removes_needs_and_follow_ups_with_the_demo_company(db, frozen_day):
    # given
    run_demo("--listings", "50", "--clients", "60", "--needs", "60")
    first_ids = set(Need.objects.values_list("pk", flat=True))
    # when
    run_demo("--listings", "50", "--clients", "60", "--needs", "30", "--reset")
    # then
    assert Need.objects.count() == 30
    assert set(Need.objects.values_list("pk", flat=True)) <= first_ids  # ids start afresh
    assert not Interaction.objects.exclude(client__company=Company.objects.get()).exists()
    place_needs = set(Need.districts.through.objects.values_list("need_id", flat=True))
    assert place_needs and place_needs <= set(Need.objects.values_list("pk", flat=True))


def test_some_buyers_told_their_cash_and_income_and_renters_did_not(db, frozen_day):
    # when
    run_demo("--listings", "200", "--clients", "200", "--needs", "300")
    # then
    buy = Need.objects.filter(kind="buy")
    with_means = buy.filter(down_payment_cash__isnull=False, monthly_income__gt=0)
    assert 0.3 < with_means.count() / buy.count() < 0.5
    assert all(n.down_payment_cash < n.budget_max for n in with_means)
    assert not Need.objects.filter(kind="rent", down_payment_cash__isnull=False).exists()
