"""The demo lets every feature be tried: consents, schools, stations, buildings, photos, the pool."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from PIL import Image

from anju.clients.models import Client, Consent
from anju.clients.services import clients_return_to_pool
from anju.geo.distance import NEARBY_STATION_RADIUS_M, Point, haversine_m
from anju.geo.models import Building, Community, CommunityStation, SchoolAssignment
from anju.listings.models import Listing, ListingMedia
from anju.matching.models import ListingRow
from anju.matching.records.services import consenting_client_ids
from anju.matching.search import layout
from anju.org.models import Agent, Company
from tests.demo.demo_runs import FROZEN_NOW, run_demo

SMALL = ["--listings", "600", "--clients", "400"]


def test_a_good_share_of_clients_consent_to_messages_with_channel_way_and_date(db, frozen_day):
    # when
    run_demo(*SMALL)
    # then
    consenting = consenting_client_ids(Client.objects.values_list("pk", flat=True), "wechat")
    assert 0.25 < len(consenting) / 400 < 0.6
    for consent in Consent.objects.select_related("client"):
        assert consent.how
        assert consent.client.created_at <= consent.at < timezone.now()
    assert Consent.objects.filter(granted=False).exists()  # some withdrew later


def test_communities_have_their_buildings_schools_and_nearby_stations(db, frozen_day):
    # when
    run_demo(*SMALL)
    # then every community's buildings are on file, named as its flats name them
    for community in Community.objects.annotate(n=Count("buildings")):
        assert community.n == community.building_count
    # (those whose address is to be completed have no building yet)
    named = Listing.objects.filter(property__building__isnull=False)
    assert set(named.values_list("property__building", flat=True)) <= set(
        Building.objects.values_list("name", flat=True)
    )
    # primary and middle schools take communities, some only some buildings, some schools are 重点
    assignments = SchoolAssignment.objects.select_related("school")
    assert {a.school.level for a in assignments} == {"primary", "middle"}
    assert any(a.school.is_key for a in assignments)
    assert assignments.filter(buildings__isnull=False).exists()
    # stations within the walking radius, at the distance the coordinates give
    near = CommunityStation.objects.select_related("community", "station")
    assert near.values("community").distinct().count() > Community.objects.count() / 2
    for row in near:
        metres = haversine_m(
            Point.of(row.community.latitude, row.community.longitude),
            Point.of(row.station.latitude, row.station.longitude),
        )
        assert row.distance_m <= NEARBY_STATION_RADIUS_M
        assert abs(row.distance_m - metres) <= 1


def test_listings_facts_include_schools_and_stations_and_the_layout_is_exact(db, frozen_day):
    # given
    run_demo(*SMALL)
    facts = [
        f
        for f, _status, _fresh in layout.facts_for_listings(
            Listing.objects.values_list("pk", flat=True)
        ).values()
    ]
    # then 学区 can be tried: some listings have a primary school, some a middle school, some a station
    levels = {school.level for f in facts for school in f.schools}
    assert levels == {"primary", "middle"}
    assert 0.2 < sum(1 for f in facts if any(s.level == "primary" for s in f.schools)) / len(facts) < 0.9
    assert sum(1 for f in facts if f.station) > len(facts) / 2
    # and the layout the demo wrote is what a rebuild writes
    written = sorted(ListingRow.objects.values_list(), key=lambda row: row[1:])
    layout.rebuild(Company.objects.get())
    rebuilt = sorted(ListingRow.objects.values_list(), key=lambda row: row[1:])
    assert [row[1:] for row in written] == [row[1:] for row in rebuilt]


def test_a_share_of_listings_have_photos_stored_as_uploads(db, frozen_day):
    # when
    run_demo(*SMALL)
    # then
    media = ListingMedia.objects.select_related("listing")
    with_photos = media.values("listing").distinct().count()
    assert 0.1 < with_photos / 600 < 0.3
    assert media.filter(kind="floor_plan").exists() and media.filter(kind="photo").exists()
    for item in media[:20]:
        assert item.image.name.startswith(f"listings/{item.listing_id}/")
        with item.image.open("rb") as file, Image.open(file) as picture:
            assert picture.format == "JPEG"
            assert picture.size == (item.width, item.height)


def test_agents_have_drawn_photos_but_one_and_a_reset_keeps_the_files_it_wrote_again(
    db, frozen_day, django_capture_on_commit_callbacks
):
    # given a demo, made again with --reset (the old files are deleted once that commits)
    run_demo("--listings", "100", "--clients", "50")
    with django_capture_on_commit_callbacks(execute=True):
        run_demo("--reset", "--listings", "100", "--clients", "50")
    # then every agent but one has a square JPEG photo stored as an upload is, its file there
    agents = list(Agent.objects.order_by("pk"))
    assert [a.name for a in agents if not a.photo] == ["孙浩"]
    for agent in agents:
        if agent.photo:
            assert agent.photo.name.startswith(f"agents/{agent.pk}/")
            with agent.photo.open("rb") as file, Image.open(file) as picture:
                assert picture.format == "JPEG" and picture.width == picture.height
    # and so are the listings' photos
    media = ListingMedia.objects.first()
    assert media is not None and media.image.storage.exists(media.image.name)


def test_the_first_night_returns_only_a_few_private_clients_to_the_pool(db, frozen_day):
    # given
    run_demo(*SMALL)
    private = Client.objects.filter(owner__isnull=False).count()
    # when the nightly job runs that night
    returned = clients_return_to_pool(now=FROZEN_NOW + dt.timedelta(hours=16))
    # then
    assert 0 < returned / private < 0.1
