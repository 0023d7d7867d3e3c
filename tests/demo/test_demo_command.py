"""``anju demo``: the demo agency ``make run`` loads, reproducible from a seed and the day."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO
from statistics import mean
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count

from anju.clients.models import Client, Consent, Interaction
from anju.core.health import readiness
from anju.deals.models import Deal
from anju.demo.agency import DEMO_PASSWORD, STAFF
from anju.demo.people import MOBILE_PREFIXES
from anju.geo.models import (
    Building,
    BusinessArea,
    City,
    Community,
    CommunityStation,
    District,
    School,
    SchoolAssignment,
    SubwayStation,
)
from anju.listings.models import Listing, ListingMedia, Property
from anju.listings.services import listing_reprice
from anju.needs.models import Need
from anju.org.models import Agent, Company, Store
from anju.showings.models import Showing, ShowingConfirmation, Stop, StopFeedback
from tests.demo.demo_runs import FROZEN_NOW, run_demo
from tests.factories import CompanyFactory

TODAY = FROZEN_NOW.date()
SMALL = ["--listings", "200", "--clients", "150"]


def canonical_dump() -> dict[str, list[tuple]]:
    """Every row the demo writes, ordered by id; password hashes are salted and left out. So are the
    deals and, on the clients, the columns client care derives from them (stage, tier, next contact)."""
    user_fields = [f.attname for f in get_user_model()._meta.concrete_fields if f.attname != "password"]
    dump = {"user": list(get_user_model().objects.order_by("pk").values_list(*user_fields))}
    for model in (City, District, BusinessArea, Company, Store, Agent, Community, Property, Listing):
        dump[model.__name__] = list(model.objects.order_by("pk").values_list())
    care = {"tier", "tier_reasons", "stage", "next_contact_on"}
    written = [f.attname for f in Client._meta.concrete_fields if f.attname not in care]
    dump["Client"] = list(Client.objects.order_by("pk").values_list(*written))
    for model in (
        Building,
        School,
        SchoolAssignment,
        SchoolAssignment.buildings.through,
        SubwayStation,
        CommunityStation,
        ListingMedia,
        Consent,
    ):
        dump[model.__name__] = list(model.objects.order_by("pk").values_list())
    for model in (
        Need,
        Need.districts.through,
        Need.business_areas.through,
        Need.communities.through,
        Interaction,
        Showing,
        Stop,
        StopFeedback,
        ShowingConfirmation,
        ShowingConfirmation.listings.through,
    ):
        dump[model.__name__] = list(model.objects.order_by("pk").values_list())
    return dump


@pytest.fixture
def planner_statistics_forgotten():
    """The demo gathers the planner's statistics (decision 0030); committed, they would outlive the
    flush and steer the plans of the next tests on this database by the demo's tables."""
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("planner_statistics_forgotten")
def test_same_seed_on_an_empty_database_gives_identical_rows(frozen_day):
    # given
    run_demo("--seed", "7", *SMALL)
    first = canonical_dump()
    call_command("flush", interactive=False, verbosity=0)
    assert not Company.objects.exists()
    # when
    run_demo("--seed", "7", *SMALL)
    # then
    second = canonical_dump()
    assert first == second
    assert len(second["Listing"]) == 200
    assert len(second["Need"]) == 100  # two for every three clients by default
    assert second["Need_districts"] and second["Interaction"]
    # and the planner knows the size of what was loaded (SQLite gathers no statistics by itself);
    # PostgreSQL's tables are vacuumed, so that index-only scans need not visit the rows
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'client_owner_recent'")
            assert cursor.fetchone()[0].split()[0] == "150"
        else:
            cursor.execute(
                "SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = 'clients_client'"
            )
            assert None not in cursor.fetchone()


def test_reset_then_same_seed_gives_identical_rows(db, frozen_day):
    # given
    run_demo("--seed", "7", *SMALL)
    first = canonical_dump()
    # when
    run_demo("--seed", "7", "--reset", *SMALL)
    # then
    assert canonical_dump() == first


def test_a_different_seed_gives_different_data(db, frozen_day):
    # given
    run_demo("--seed", "1", *SMALL)
    first = canonical_dump()
    # when
    run_demo("--seed", "2", "--reset", *SMALL)
    # then
    second = canonical_dump()
    for table in ("Community", "Property", "Listing", "Client", "Need", "Interaction"):
        assert first[table] != second[table], table
    assert first["District"] == second["District"]  # the real geography does not depend on the seed


def test_the_next_day_moves_every_date_along(db):
    # given
    with time_machine.travel(FROZEN_NOW, tick=False):
        run_demo(*SMALL)
        before = list(Listing.objects.order_by("pk").values_list("listed_on", "price"))
    # when
    with time_machine.travel(FROZEN_NOW + dt.timedelta(days=1), tick=False):
        run_demo("--reset", *SMALL)
        after = list(Listing.objects.order_by("pk").values_list("listed_on", "price"))
    # then
    assert [(day + dt.timedelta(days=1), price) for day, price in before] == after


def test_counts_match_the_options(db, frozen_day):
    # when
    output = run_demo("--listings", "321", "--clients", "123", "--needs", "77")
    # then
    assert Company.objects.get().name == "安居地产"
    assert sorted(Store.objects.values_list("name", flat=True)) == sorted(["光谷店", "后湖店", "中北路店"])
    assert Listing.objects.count() == 321
    assert Property.objects.count() == 321
    assert Client.objects.count() == 123
    assert Need.objects.count() == 77
    assert Agent.objects.count() == len(STAFF) == 14
    assert 200 <= Community.objects.count() <= 500
    assert "房源 321" in output
    assert "客户 123" in output
    assert "需求 77" in output


def test_each_store_has_a_manager_and_three_agents_plus_a_specialist_and_an_admin(db, frozen_day):
    # when
    run_demo(*SMALL)
    # then
    per_store = {
        (row["store__name"], row["role"]): row["n"]
        for row in Agent.objects.values("store__name", "role").annotate(n=Count("id"))
    }
    for store in ("光谷店", "后湖店", "中北路店"):
        assert per_store[(store, "manager")] == 1
        assert per_store[(store, "agent")] == 3
    assert sum(n for (_, role), n in per_store.items() if role == "specialist") == 1
    assert per_store[(None, "admin")] == 1


def test_if_empty_does_nothing_when_a_company_exists(db, frozen_day):
    # given
    CompanyFactory(name="真实地产")
    # when
    output = run_demo("--if-empty", *SMALL)
    # then
    assert "跳过" in output
    assert list(Company.objects.values_list("name", flat=True)) == ["真实地产"]
    assert not Listing.objects.exists()
    assert not Client.objects.exists()
    assert not Community.objects.exists()
    assert not get_user_model().objects.exists()


def test_a_second_if_empty_run_prints_the_demo_logins_again(db, frozen_day):
    # given the demo made by a first ``make run``
    first = run_demo("--if-empty", *SMALL)
    # when
    second = run_demo("--if-empty", *SMALL)
    # then the second run says it skipped, and shows the same logins table
    assert "跳过" in second
    table = first[first.index("演示账号") :]
    assert table in second
    assert all(person.username in second for person in STAFF)
    assert DEMO_PASSWORD in second


def test_if_empty_shows_no_logins_for_another_agency(db, frozen_day):
    # given
    CompanyFactory(name="真实地产")
    # when
    output = run_demo("--if-empty", *SMALL)
    # then
    assert "跳过" in output
    assert DEMO_PASSWORD not in output


def test_if_empty_fills_an_empty_database(db, frozen_day):
    # when
    run_demo("--if-empty", *SMALL)
    # then
    assert Listing.objects.count() == 200


def test_refuses_in_chinese_when_data_exists(db, frozen_day):
    # given
    CompanyFactory(name="真实地产")
    # when
    with pytest.raises(CommandError) as error:
        run_demo(*SMALL)
    # then
    assert "已有公司数据" in str(error.value)
    assert "--if-empty" in str(error.value)
    assert Company.objects.count() == 1
    assert not Listing.objects.exists()


def test_a_second_run_without_reset_is_refused_and_changes_nothing(db, frozen_day):
    # given
    run_demo(*SMALL)
    before = canonical_dump()
    # when
    with pytest.raises(CommandError, match="已有公司数据"):
        run_demo(*SMALL)
    # then
    assert canonical_dump() == before


def test_reset_leaves_other_agencies_alone(db, frozen_day):
    # given
    run_demo(*SMALL)
    CompanyFactory(name="真实地产")
    # when
    with pytest.raises(CommandError, match="--reset 只删除演示公司"):
        run_demo("--reset", *SMALL)
    # then
    assert Company.objects.count() == 2
    assert Listing.objects.count() == 200


def test_every_listing_is_a_plausible_flat(db, frozen_day):
    # when
    run_demo("--listings", "1500", "--clients", "10")
    # then
    listings = list(Listing.objects.select_related("property", "community"))
    rents = [x for x in listings if x.kind == "rent"]
    assert 0.08 < len(rents) / len(listings) < 0.25
    for listing in listings:
        flat = listing.property
        if flat.address_complete:
            assert 1 <= flat.floor <= flat.total_floors
        else:  # 地址待补全, as a portal's list gives it: unverified, the floor only as a band
            assert (flat.unit, flat.room_number, flat.floor) == (None, None, None)
            assert flat.floor_band in ("low", "middle", "high")
            assert listing.verified_at is None and listing.status in ("active", "reserved")
        assert listing.price > 0
        assert Decimal(30) <= listing.area <= Decimal(300)
        assert listing.area == flat.area and listing.rooms == flat.rooms
        assert listing.community_id == flat.community_id
        assert listing.district_id == listing.community.district_id
        expected_unit_price = (listing.price / listing.area).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert listing.unit_price == expected_unit_price
        assert listing.store_id == Agent.objects.get(pk=listing.agent_id).store_id
        if listing.kind == "sale":
            assert listing.price % 1000 == 0
            assert listing.status != "rented"
        if flat.total_floors > 7:
            assert flat.has_elevator
    to_complete = sum(not x.property.address_complete for x in listings)
    assert 0 < to_complete < len(listings) * 0.05  # a few to try the feature with
    areas = sorted(x.area for x in listings)
    median = areas[len(areas) // 2]
    assert Decimal(70) <= median <= Decimal(110)
    share_between_60_and_140 = sum(Decimal(60) <= a <= Decimal(140) for a in areas) / len(areas)
    assert share_between_60_and_140 > 0.7


def test_dates_are_in_the_past_and_recent_where_it_matters(db, frozen_day):
    # when
    run_demo(*SMALL)
    # then
    now = FROZEN_NOW
    for listing in Listing.objects.all():
        assert TODAY - dt.timedelta(days=550) <= listing.listed_on < TODAY
        # (the demo's deals reserve a few flats through the listings' service, at this moment)
        assert listing.created_at <= listing.updated_at <= now
        if listing.verified_at is not None:
            assert now - dt.timedelta(days=31) < listing.verified_at < now
    for client in Client.objects.all():
        assert client.created_at < now
        if client.last_contact_at is not None:
            assert now - dt.timedelta(days=61) < client.last_contact_at < now
            assert client.created_at <= client.last_contact_at
    active = Listing.objects.filter(status="active")
    assert active.filter(verified_at__isnull=False).count() / active.count() > 0.7


def test_client_mobiles_are_unique_valid_mainland_numbers(db, frozen_day):
    # when
    run_demo("--listings", "10", "--clients", "3000")
    # then
    # but for the client the demo erased at their request, who has no number any more
    erased = list(Client.objects.filter(erased_at__isnull=False).values_list("mobile", flat=True))
    assert all(mobile.startswith("erased-") for mobile in erased)
    mobiles = list(Client.objects.filter(erased_at__isnull=True).values_list("mobile", flat=True))
    assert len(set(mobiles)) == len(mobiles) == 3000 - len(erased)
    for mobile in mobiles:
        assert re.fullmatch(r"1[3-9]\d{9}", mobile), mobile
        assert mobile[:3] in MOBILE_PREFIXES


def test_about_a_third_of_clients_are_in_the_public_pool(db, frozen_day):
    # when
    run_demo("--listings", "10", "--clients", "1000")
    # then
    pool = Client.objects.filter(owner__isnull=True)
    assert 0.2 < pool.count() / 1000 < 0.4
    assert not pool.exclude(store__isnull=True).exists()
    for client in Client.objects.filter(owner__isnull=False).select_related("owner"):
        assert client.store_id == client.owner.store_id
        assert client.owner.role in {"agent", "manager"}


def test_wuchang_costs_more_per_square_metre_than_xinzhou(db, frozen_day):
    # when
    run_demo("--listings", "3000", "--clients", "10")

    # then
    def average_unit_price(district: str) -> float:
        prices = Listing.objects.filter(kind="sale", district__name=district).values_list(
            "unit_price", flat=True
        )
        assert len(prices) >= 20, district
        return mean(float(p) for p in prices)

    assert average_unit_price("武昌区") > 2 * average_unit_price("新洲区")


def test_real_district_codes_and_business_areas(db, frozen_day):
    # when
    run_demo(*SMALL)
    # then
    wuhan = City.objects.get(name="武汉")
    assert wuhan.code == "420100"
    codes = dict(District.objects.filter(city=wuhan).values_list("name", "code"))
    assert codes["江岸区"] == "420102"
    assert codes["武昌区"] == "420106"
    assert codes["洪山区"] == "420111"
    assert codes["新洲区"] == "420117"
    assert len(codes) == 13
    assert BusinessArea.objects.get(name="光谷").district.name == "洪山区"
    assert BusinessArea.objects.get(name="四新").district.name == "汉阳区"


def test_existing_geography_is_reused_not_duplicated(db, frozen_day):
    # given
    wuhan = City.objects.create(
        name="武汉", code="420100", latitude=Decimal("30.59"), longitude=Decimal("114.3")
    )
    jiangan = District.objects.create(city=wuhan, name="江岸区", code="420102")
    houhu = BusinessArea.objects.create(district=jiangan, name="后湖")
    # when
    run_demo(*SMALL)
    # then
    assert City.objects.get() == wuhan
    assert District.objects.get(name="江岸区") == jiangan
    assert BusinessArea.objects.get(district=jiangan, name="后湖") == houhu
    assert Community.objects.filter(business_area=houhu).exists()


def test_community_names_are_unique_within_a_district_and_searchable(db, frozen_day):
    # when
    run_demo(*SMALL)
    # then
    names = list(Community.objects.values_list("district_id", "name"))
    assert len(set(names)) == len(names)
    assert not Community.objects.filter(pinyin_initials="").exists()


def test_printed_logins_work(db, frozen_day):
    # when
    output = run_demo(*SMALL)
    # then
    table = output.split("演示账号")[1].splitlines()[2:]
    logins = [line.split() for line in table if line.strip()]
    assert len(logins) == 14
    for username, name, role, store, password in logins:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(password)
        assert user.agent.name == name
        assert user.agent.get_role_display() == role
        assert (user.agent.store.name if user.agent.store else "—") == store
    assert {password for *_, password in logins} == {DEMO_PASSWORD}


def test_bulk_demo_data_writes_no_history(db, frozen_day):
    # when
    run_demo(*SMALL)
    # then
    # but for the flats the demo's deals reserved, through the listings' service
    reserved = set(Deal.objects.exclude(accepted_offer=None).values_list("listing_id", flat=True))
    assert reserved
    assert set(Listing.history.values_list("id", flat=True)) == reserved
    # and for the client the demo erased at their request: the erasure is recorded, their open
    # needs given up
    erased = set(Client.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert len(erased) == 1
    assert set(Client.history.values_list("id", flat=True)) == erased
    assert not Agent.history.exists()
    assert Need.objects.exists()
    assert set(Need.history.values_list("client_id", flat=True)) <= erased
    # while a write through a service afterwards is recorded as usual
    listing = Listing.objects.filter(status="active").first()
    listing_reprice(listing=listing, price=listing.price - 10000, by=listing.agent)
    assert Listing.history.filter(id=listing.pk).count() == 1


def test_negative_counts_are_rejected(db):
    # when / then
    with pytest.raises(CommandError):
        run_demo("--listings", "-5")
    assert not Company.objects.exists()


def test_ordinary_inserts_after_the_demo_get_fresh_ids(db, frozen_day):
    # given
    run_demo(*SMALL)
    company = Company.objects.get()
    highest = Client.objects.order_by("-pk").values_list("pk", flat=True).first()
    # when
    client = Client.objects.create(company=company, name="新客户", mobile="13800000000")
    store = Store.objects.create(company=company, name="新门店")
    # then
    assert client.pk > highest
    assert store.pk > 3


@time_machine.travel(dt.datetime(2026, 11, 29, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_every_verified_demo_listing_has_the_record_of_its_verification(db):
    from anju.listings.models import Listing, Verification

    # when
    call_command("demo", "--listings", "300", "--clients", "50", "--no-progress", stdout=StringIO())
    # then
    verified = Listing.objects.filter(verified_at__isnull=False)
    assert verified.count() == Verification.objects.count() > 0
    for listing in verified[:20]:
        check = listing.verifications.get()
        assert (check.at, check.by_id) == (listing.verified_at, listing.agent_id)


def test_companies_builds_competing_agencies_apart_and_reset_removes_them_all(db, frozen_day):
    # when three companies are asked for
    output = run_demo("--companies", "3", *SMALL)
    # then each is there with its own logins, prefixed after the first, and data of its own size
    companies = list(Company.objects.order_by("pk"))
    assert [c.name for c in companies] == ["安居地产", "乐家房产", "鸿运置业"]
    users = get_user_model().objects
    assert users.get(username="wanglei").agent.company == companies[0]
    assert users.get(username="lejia_wanglei").agent.company == companies[1]
    assert users.get(username="hongyun_hujianguo").agent.company == companies[2]
    assert "lejia_wanglei" in output and "乐家·光谷店" in output
    for company in companies:
        assert Listing.objects.filter(company=company).count() == 200
        assert Deal.objects.filter(company=company).exists()
    # seeded apart: the clients of two companies are not the same people
    first, second = (
        set(Client.objects.filter(company=c).values_list("mobile", flat=True)) for c in companies[:2]
    )
    assert len(first & second) < len(first) / 10
    # and a reset removes every demo company before building one again
    run_demo("--reset", *SMALL)
    assert list(Company.objects.values_list("name", flat=True)) == ["安居地产"]


def test_a_database_not_yet_migrated_is_told_to_run_migrate_and_nothing_is_written(db):
    # given a database that has not had the newest migration (the recorder forgets it)
    assert "migrations" not in readiness()  # the control: a migrated database is ready
    newest = MigrationRecorder.Migration.objects.filter(app="clients").order_by("-name").first()
    assert newest is not None
    newest.delete()
    # when the demo is asked for
    with pytest.raises(CommandError, match="anju migrate"):
        call_command("demo", "--listings", "5", "--clients", "5", "--needs", "5", "--no-progress")
    # then it says what to run, as /readyz does, and wrote nothing
    assert newest.name in readiness()["migrations"]
    assert not Company.objects.exists()
