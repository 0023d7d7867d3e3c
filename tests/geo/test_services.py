"""Writes to the building dictionary: one record per community, clean parts, stations that follow."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anju.core.errors import ApplicationError, ConflictError
from anju.geo import services
from anju.geo.models import Community, CommunityStation, SchoolAssignment
from anju.geo.services import CommunityFields, PossibleDuplicate
from tests.factories import CommunityFactory, CompanyFactory
from tests.geo.conftest import GUANGGU, at, north_of
from tests.geo.factories import AliasFactory, BuildingFactory, SchoolFactory, StationFactory


def fields(area, name="万科城市之光", point=GUANGGU, **extra) -> CommunityFields:
    return CommunityFields(name=name, business_area=area, latitude=point[0], longitude=point[1], **extra)


class TestOneCommunityOneRecord:
    def test_a_name_like_one_on_file_is_refused_with_the_candidates(self, company, guanggu, vanke):
        # when
        with pytest.raises(PossibleDuplicate) as raised:
            services.community_create(company=company, fields=fields(guanggu, "万科城市花园小区"))
        # then
        assert [(c.id, c.reason) for c in raised.value.candidates] == [(vanke.pk, "same_name")]
        assert raised.value.code == "possible_duplicate"
        assert "万科城市花园（洪山区·光谷）" in raised.value.message
        assert Community.objects.count() == 1

    def test_confirming_creates_it_anyway(self, company, guanggu, vanke):
        created = services.community_create(
            company=company, fields=fields(guanggu, "万科城市花园小区"), confirm_duplicate=True
        )
        assert created.name == "万科城市花园小区"
        assert created.pinyin_initials == "wkcshyxq"

    def test_a_different_name_is_created_without_a_question(self, company, guanggu, vanke):
        created = services.community_create(company=company, fields=fields(guanggu, "万科城市之光"))
        assert created.district == guanggu.district

    def test_same_initials_warn(self, company, guanggu, vanke):
        with pytest.raises(PossibleDuplicate) as raised:
            services.community_create(company=company, fields=fields(guanggu, "万客城市花园"))
        assert raised.value.candidates[0].reason == "same_initials"

    def test_an_alias_on_file_warns(self, company, guanggu, vanke):
        AliasFactory(community=vanke, name="城市花园")
        with pytest.raises(PossibleDuplicate) as raised:
            services.community_create(company=company, fields=fields(guanggu, "城市花园小区"))
        assert raised.value.candidates[0].reason == "alias"

    def test_the_same_name_in_the_same_district_is_refused_even_when_confirmed(self, company, guanggu, vanke):
        with pytest.raises(ConflictError) as raised:
            services.community_create(
                company=company, fields=fields(guanggu, "万科城市花园"), confirm_duplicate=True
            )
        assert raised.value.code == "community_exists"

    def test_another_companys_dictionary_is_not_compared(self, guanggu, vanke):
        other = CompanyFactory(name="别家地产")
        created = services.community_create(company=other, fields=fields(guanggu, "万科城市花园"))
        assert created.company == other

    def test_a_rename_is_checked_like_a_new_name(self, company, guanggu, vanke):
        other = CommunityFactory(company=company, business_area=guanggu, name="保利花园")
        with pytest.raises(PossibleDuplicate):
            services.community_update(community=other, name="万科城市花园小区")
        services.community_update(community=other, name="万科城市花园小区", confirm_duplicate=True)
        other.refresh_from_db()
        assert other.name == "万科城市花园小区"

    def test_saving_a_community_does_not_warn_about_itself(self, vanke):
        services.community_update(community=vanke, name="万科城市花园小区")
        vanke.refresh_from_db()
        assert vanke.name == "万科城市花园小区"


class TestCleanInput:
    def test_names_lose_stray_spaces_and_aliases_are_created(self, company, guanggu):
        created = services.community_create(
            company=company,
            fields=fields(guanggu, "  融创  御央首府 "),
            aliases=["御央首府", " 御央首府 ", "融创  御央首府"],
        )
        assert created.name == "融创 御央首府"
        assert [a.name for a in created.aliases.all()] == ["御央首府"]

    @pytest.mark.parametrize(
        ("extra", "code"),
        [
            ({"name": "  "}, "name_required"),
            ({"name": "坏\x00名字"}, "text_control_character"),
            ({"name": "\u200b\ufeff "}, "name_required"),
            ({"name": "御\u202e府首央"}, "name_direction_character"),
            ({"point": (Decimal("0"), Decimal("0"))}, "coordinates_invalid"),
            ({"point": (Decimal("114.3"), Decimal("30.5"))}, "coordinates_invalid"),
            ({"name": "长" * 61}, "name_too_long"),
            ({"point": (Decimal("91"), Decimal("114"))}, "coordinates_invalid"),
            ({"build_year": 1800}, "out_of_range"),
            ({"property_fee": Decimal("-1")}, "out_of_range"),
        ],
    )
    def test_bad_values_are_refused_and_nothing_is_written(self, company, guanggu, extra, code):
        with pytest.raises(ApplicationError) as raised:
            services.community_create(company=company, fields=fields(guanggu, **extra))
        assert raised.value.code == code
        assert not Community.objects.exists()


class TestStations:
    def test_stations_within_1500_m_are_recorded_on_create(self, company, guanggu, wuhan):
        # given
        near = StationFactory(city=wuhan, name="光谷广场", latitude=GUANGGU[0], longitude=GUANGGU[1])
        middle = StationFactory(
            city=wuhan,
            name="珞雄路",
            **at(north_of(GUANGGU, 900)),
        )
        StationFactory(
            city=wuhan,
            name="远处",
            **at(north_of(GUANGGU, 1600)),
        )
        # when
        created = services.community_create(
            company=company, fields=fields(guanggu, point=north_of(GUANGGU, 100))
        )
        # then
        rows = list(created.stations.order_by("distance_m").values_list("station_id", "distance_m"))
        assert rows == [(near.pk, 100), (middle.pk, 800)]

    def test_new_coordinates_recompute_the_stations(self, vanke, wuhan):
        far = StationFactory(city=wuhan, **at(north_of(GUANGGU, 3000)))
        services.community_refresh_stations(community=vanke)
        assert not vanke.stations.exists()
        # when the community is moved next to the station
        lat, lng = north_of(GUANGGU, 2800)
        services.community_update(community=vanke, latitude=lat, longitude=lng)
        # then
        assert list(vanke.stations.values_list("station_id", "distance_m")) == [(far.pk, 200)]

    def test_other_changes_leave_the_stations_alone(self, vanke, wuhan):
        StationFactory(city=wuhan, latitude=GUANGGU[0], longitude=GUANGGU[1])
        services.community_refresh_stations(community=vanke)
        before = list(CommunityStation.objects.values_list("pk", flat=True))
        services.community_update(
            community=vanke, build_year=2013, latitude=vanke.latitude, longitude=vanke.longitude
        )
        assert list(CommunityStation.objects.values_list("pk", flat=True)) == before

    def test_stations_of_another_city_are_not_near(self, company, guanggu, wuhan):
        StationFactory(city__name="鄂州", city__code="420700", latitude=GUANGGU[0], longitude=GUANGGU[1])
        ours = StationFactory(city=wuhan, **at(north_of(GUANGGU, 300)))
        created = services.community_create(company=company, fields=fields(guanggu))
        assert list(created.stations.values_list("station_id", flat=True)) == [ours.pk]

    def test_a_new_station_is_recorded_for_every_company_nearby(self, wuhan, guanggu, vanke):
        theirs = CommunityFactory(
            company=CompanyFactory(), business_area=guanggu, latitude=GUANGGU[0], longitude=GUANGGU[1]
        )
        station = services.station_create(
            city=wuhan, line="2号线", name="光谷广场", latitude=GUANGGU[0], longitude=GUANGGU[1]
        )
        assert set(
            CommunityStation.objects.filter(station=station).values_list("community_id", flat=True)
        ) == {
            vanke.pk,
            theirs.pk,
        }

    def test_loading_the_same_stations_twice_changes_nothing(self, wuhan, vanke):
        rows = [services.StationRow(line="2号线", name="光谷广场", latitude=GUANGGU[0], longitude=GUANGGU[1])]
        assert services.stations_load(city=wuhan, rows=rows) == (1, 0)
        assert services.stations_load(city=wuhan, rows=rows) == (0, 0)
        assert vanke.stations.count() == 1


class TestParts:
    def test_an_alias_is_not_the_name_nor_another_communitys_name(self, company, guanggu, vanke):
        CommunityFactory(company=company, business_area=guanggu, name="保利花园")
        with pytest.raises(ApplicationError, match="别名与小区名称相同"):
            services.alias_add(community=vanke, name="万科城市花园")
        with pytest.raises(ConflictError, match="另一个小区的名称"):
            services.alias_add(community=vanke, name="保利花园")
        services.alias_add(community=vanke, name="城市花园")
        with pytest.raises(ConflictError, match="已有别名"):
            services.alias_add(community=vanke, name="城市花园")

    def test_buildings_are_unique_in_their_community(self, vanke):
        services.building_create(community=vanke, name="1栋", total_floors=33, has_elevator=True)
        with pytest.raises(ConflictError, match="已有楼栋"):
            services.building_create(community=vanke, name="1栋")
        with pytest.raises(ApplicationError, match="总楼层"):
            services.building_create(community=vanke, name="2栋", total_floors=0)

    def test_a_school_assignment_names_only_the_communitys_buildings(self, vanke, hongshan):
        school = SchoolFactory(district=hongshan, name="光谷第一小学")
        mine = BuildingFactory(community=vanke, name="1栋")
        foreign = BuildingFactory(name="9栋")
        with pytest.raises(ApplicationError, match="不属于该小区"):
            services.school_assign(community=vanke, school=school, building_ids=[mine.pk, foreign.pk])
        assignment = services.school_assign(community=vanke, school=school, building_ids=[mine.pk], year=2024)
        assert list(assignment.buildings.all()) == [mine]
        with pytest.raises(ConflictError):
            services.school_assign(community=vanke, school=school)

    def test_a_school_of_another_city_is_refused(self, vanke):
        school = SchoolFactory(district__city__name="鄂州", district__city__code="420700")
        with pytest.raises(ApplicationError, match="不在同一城市"):
            services.school_assign(community=vanke, school=school)
        assert not SchoolAssignment.objects.exists()

    def test_deleting_a_building_takes_it_out_of_the_catchment(self, vanke, hongshan):
        one, two = BuildingFactory(community=vanke, name="1栋"), BuildingFactory(community=vanke, name="2栋")
        assignment = services.school_assign(
            community=vanke, school=SchoolFactory(district=hongshan), building_ids=[one.pk, two.pk]
        )
        services.building_delete(building=one)
        assert list(assignment.buildings.all()) == [two]

    def test_amenities_need_a_known_kind(self, vanke):
        with pytest.raises(ApplicationError):
            services.amenity_add(community=vanke, kind="casino", name="赌场")
        amenity = services.amenity_add(community=vanke, kind="market", name="中百超市", distance_m=300)
        assert amenity.get_kind_display() == "菜场/超市"

    def test_schools_are_unique_per_city(self, hongshan):
        services.school_create(district=hongshan, name="武汉市光谷第一小学", level="primary")
        with pytest.raises(ConflictError):
            services.school_create(district=hongshan, name="武汉市光谷第一小学", level="middle")
