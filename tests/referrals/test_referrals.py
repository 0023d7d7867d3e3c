"""Who referred whom is one record: intake's 介绍人, a referral recorded later and a merge all keep
the referral row and ``Client.referred_by`` equal; a partner or another person is named instead."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from anju.clients.models import Client
from anju.clients.services import client_create, client_merge
from anju.core.errors import ConflictError
from anju.referrals.models import Channel, Referral, ReferrerKind
from anju.referrals.services import referral_record
from tests.factories import ClientFactory


def test_intake_with_a_referrer_records_the_referral(friend, referrer, agent):
    # given a client recorded at intake as referred by an old client (the fixture)
    # then one referral links the referrer, the new client and the agent
    referral = Referral.objects.get(referred=friend)
    assert (referral.referrer_kind, referral.referrer_client, referral.agent, referral.channel) == (
        ReferrerKind.CLIENT,
        referrer,
        agent,
        Channel.INTAKE,
    )
    assert friend.referred_by == referrer


def test_a_referral_recorded_later_sets_the_clients_referrer(agent, referrer):
    # given a client recorded without a referrer
    friend = client_create(agent=agent, name="周女士", mobile="13900002222")
    assert not Referral.objects.filter(referred=friend).exists()
    # when the referral is recorded afterwards
    referral = referral_record(by=agent, referred=friend, referrer_client=referrer, note="同事介绍")
    # then the client's 介绍人 says the same
    friend.refresh_from_db()
    assert friend.referred_by == referrer
    assert (referral.referrer_client, referral.channel, referral.note) == (
        referrer,
        Channel.MANUAL,
        "同事介绍",
    )


def test_a_second_referral_of_one_client_is_refused_naming_the_first(friend, agent):
    other = ClientFactory(owner=agent, name="另一位老客户")
    with pytest.raises(ConflictError) as refused:
        referral_record(by=agent, referred=friend, referrer_client=other)
    assert "老客户刘女士" in refused.value.message
    assert Referral.objects.get(referred=friend).referrer_client.name == "老客户刘女士"


def test_a_partner_referrer_is_named_and_leaves_referred_by_empty(agent):
    friend = client_create(agent=agent, name="吴先生", mobile="13900003333")
    referral = referral_record(
        by=agent, referred=friend, referrer_kind=ReferrerKind.PARTNER, referrer_name="顺心装修 陈师傅"
    )
    friend.refresh_from_db()
    assert (referral.referrer_display, referral.referrer_client, friend.referred_by) == (
        "顺心装修 陈师傅",
        None,
        None,
    )


def test_merging_the_referrer_moves_the_referral_with_referred_by(friend, referrer, agent, manager):
    # given the referrer entered twice; the friend's referral names the duplicate
    keep = ClientFactory(owner=agent, name="刘女士（新号码）")
    # when the duplicate is merged into the kept client
    client_merge(keep=keep, merge=referrer, by=manager)
    # then the referral and referred_by both name the kept client
    friend.refresh_from_db()
    assert friend.referred_by == keep
    assert Referral.objects.get(referred=friend).referrer_client == keep


@pytest.mark.django_db
def test_every_referred_by_has_exactly_its_referral(friend, agent, referrer):
    # given referrals made at intake, later, and by a partner
    later = client_create(agent=agent, name="郑女士", mobile="13900004444")
    referral_record(by=agent, referred=later, referrer_client=referrer)
    # then every client's referred_by equals its referral row's referrer, and no client row disagrees
    pairs = set(Client.objects.filter(referred_by__isnull=False).values_list("pk", "referred_by_id"))
    rows = set(
        Referral.objects.filter(referrer_kind="client").values_list("referred_id", "referrer_client_id")
    )
    assert pairs == rows == {(friend.pk, referrer.pk), (later.pk, referrer.pk)}


def test_the_migration_turns_existing_referred_by_into_referrals(agent, referrer, friend):
    # given a client whose 介绍人 was recorded before referrals existed (no row of its own)
    earlier = ClientFactory(owner=agent, name="早年介绍的客户", referred_by=referrer)
    assert not Referral.objects.filter(referred=earlier).exists()
    # when the data migration runs
    migration = importlib.import_module("anju.referrals.migrations.0002_referred_by_rows")
    migration.referrals_from_referred_by(django_apps, None)
    # then it has its referral, and the one that existed is left as it was
    row = Referral.objects.get(referred=earlier)
    assert (row.referrer_client, row.agent, row.channel) == (referrer, agent, Channel.MIGRATED)
    assert Referral.objects.get(referred=friend).channel == Channel.INTAKE
