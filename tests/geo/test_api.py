"""/api/v1/communities and /api/v1/geo: read by everyone in the company, written by managers."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from anju.geo import services
from anju.geo.models import Community
from anju.org.services import token_create
from tests.factories import CommunityFactory
from tests.geo.conftest import GUANGGU
from tests.geo.factories import AliasFactory, BuildingFactory, SchoolFactory, StationFactory


def api(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


def new_community(area, **extra) -> dict:
    return {
        "name": "万科城市之光",
        "business_area_id": area.pk,
        "latitude": float(GUANGGU[0]),
        "longitude": float(GUANGGU[1]),
        **extra,
    }


class TestRead:
    def test_search_by_pinyin_initials(self, agent, vanke):
        body = api(agent).get("/api/v1/communities?q=wkcshy").json()
        assert [c["name"] for c in body["items"]] == ["万科城市花园"]
        item = body["items"][0]
        assert item["district"] == {"id": vanke.district_id, "name": "洪山区"}
        assert item["business_area"]["name"] == "光谷"
        assert item["pinyin_initials"] == "wkcshy"
        assert item["property_fee"] == "2.50"

    def test_list_pages_with_a_cursor(self, agent, company, guanggu):
        for i in range(5):
            CommunityFactory(company=company, business_area=guanggu, name=f"花园{i}号")
        client = api(agent)
        first = client.get("/api/v1/communities?limit=3").json()
        second = client.get(f"/api/v1/communities?limit=3&cursor={first['next_cursor']}").json()
        assert len(first["items"]) == 3
        assert len(second["items"]) == 2
        assert second["next_cursor"] is None

    def test_detail_has_buildings_aliases_schools_stations_and_amenities(self, agent, vanke, hongshan, wuhan):
        # given
        one = BuildingFactory(community=vanke, name="1栋")
        BuildingFactory(community=vanke, name="10栋")
        BuildingFactory(community=vanke, name="2栋")
        AliasFactory(community=vanke, name="城市花园")
        school = SchoolFactory(district=hongshan, name="光谷第一小学", is_key=True)
        services.school_assign(community=vanke, school=school, building_ids=[one.pk], year=2024)
        StationFactory(city=wuhan, line="2号线", name="光谷广场", latitude=GUANGGU[0], longitude=GUANGGU[1])
        services.community_refresh_stations(community=vanke)
        services.amenity_add(community=vanke, kind="mall", name="光谷步行街", distance_m=400)
        # when
        body = api(agent).get(f"/api/v1/communities/{vanke.pk}").json()
        # then
        assert [b["name"] for b in body["buildings"]] == ["1栋", "2栋", "10栋"]
        assert body["aliases"] == ["城市花园"]
        assert body["schools"] == [
            {
                "id": body["schools"][0]["id"],
                "school": {
                    "id": school.pk,
                    "name": "光谷第一小学",
                    "level": "primary",
                    "level_label": "小学",
                    "is_key": True,
                    "district": {"id": hongshan.pk, "name": "洪山区"},
                },
                "whole_community": False,
                "buildings": [{"id": one.pk, "name": "1栋"}],
                "year": 2024,
                "note": "",
            }
        ]
        assert body["stations"] == [
            {
                "station_id": body["stations"][0]["station_id"],
                "line": "2号线",
                "name": "光谷广场",
                "distance_m": 0,
            }
        ]
        assert body["amenities"][0]["kind_label"] == "商场"
        assert body["city"]["name"] == "武汉"

    def test_another_companys_community_is_404(self, stranger, vanke):
        response = api(stranger).get(f"/api/v1/communities/{vanke.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_districts_tree_for_pickers(self, agent, guanggu, jiedaokou, zhongbeilu):
        body = api(agent).get("/api/v1/geo/districts").json()
        wuhan = next(c for c in body if c["name"] == "武汉")
        assert [(d["name"], [a["name"] for a in d["business_areas"]]) for d in wuhan["districts"]] == [
            ("武昌区", ["中北路"]),
            ("洪山区", ["光谷", "街道口"]),
        ]


class TestCreate:
    def test_a_manager_creates_a_community(self, manager, guanggu):
        response = api(manager).post(
            "/api/v1/communities",
            new_community(guanggu, aliases=["城市之光"], build_year=2018, property_fee="2.80"),
            content_type="application/json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["name"] == "万科城市之光"
        assert body["aliases"] == ["城市之光"]
        assert body["property_fee"] == "2.80"
        assert Community.objects.get(pk=body["id"]).company_id == manager.company_id

    def test_a_likely_duplicate_is_409_with_candidates_until_confirmed(self, manager, guanggu, vanke):
        client = api(manager)
        payload = new_community(guanggu, name="万科城市花园小区")
        # when
        response = client.post("/api/v1/communities", payload, content_type="application/json")
        # then
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "possible_duplicate"
        assert body["candidates"] == [
            {
                "id": vanke.pk,
                "name": "万科城市花园",
                "district": "洪山区",
                "business_area": "光谷",
                "reason": "same_name",
                "reason_label": "名称相同（不计“小区”“花园”、期数和标点）",
                "matched": "万科城市花园",
            }
        ]
        assert Community.objects.count() == 1
        # and when confirmed
        confirmed = client.post(
            "/api/v1/communities", {**payload, "confirm_duplicate": True}, content_type="application/json"
        )
        assert confirmed.status_code == 201

    def test_the_same_name_in_the_district_is_409_community_exists(self, manager, guanggu, vanke):
        response = api(manager).post(
            "/api/v1/communities",
            new_community(guanggu, name="万科城市花园", confirm_duplicate=True),
            content_type="application/json",
        )
        assert response.status_code == 409
        assert response.json()["code"] == "community_exists"

    def test_agents_read_but_do_not_write(self, agent, guanggu, vanke):
        client = api(agent)
        created = client.post("/api/v1/communities", new_community(guanggu), content_type="application/json")
        patched = client.patch(
            f"/api/v1/communities/{vanke.pk}", {"build_year": 2000}, content_type="application/json"
        )
        building = client.post(
            f"/api/v1/communities/{vanke.pk}/buildings", {"name": "1栋"}, content_type="application/json"
        )
        assert [created.status_code, patched.status_code, building.status_code] == [403, 403, 403]
        assert created.json()["message"] == "只有店长和管理员可以修改楼盘字典。"
        assert Community.objects.count() == 1

    def test_an_unknown_business_area_is_a_400(self, manager, guanggu):
        response = api(manager).post(
            "/api/v1/communities",
            {**new_community(guanggu), "business_area_id": 999999},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["code"] == "unknown_business_area"

    def test_coordinates_out_of_range_are_422(self, manager, guanggu):
        response = api(manager).post(
            "/api/v1/communities", new_community(guanggu, latitude=95), content_type="application/json"
        )
        assert response.status_code == 422


class TestUpdate:
    def test_patch_changes_only_what_is_sent(self, manager, vanke):
        response = api(manager).patch(
            f"/api/v1/communities/{vanke.pk}", {"build_year": 2013}, content_type="application/json"
        )
        assert response.status_code == 200
        vanke.refresh_from_db()
        assert (vanke.build_year, vanke.name, vanke.property_fee) == (
            2013,
            "万科城市花园",
            vanke.property_fee,
        )

    def test_moving_to_another_business_area_moves_the_district(self, manager, vanke, zhongbeilu):
        response = api(manager).patch(
            f"/api/v1/communities/{vanke.pk}",
            {"business_area_id": zhongbeilu.pk},
            content_type="application/json",
        )
        assert response.json()["district"]["name"] == "武昌区"

    def test_a_rename_to_a_look_alike_is_409(self, manager, company, guanggu, vanke):
        other = CommunityFactory(company=company, business_area=guanggu, name="保利花园")
        response = api(manager).patch(
            f"/api/v1/communities/{other.pk}", {"name": "万科城市花园小区"}, content_type="application/json"
        )
        assert response.status_code == 409
        assert response.json()["candidates"][0]["id"] == vanke.pk

    def test_another_companys_manager_gets_404(self, stranger, vanke):
        stranger.role = "manager"
        stranger.save()
        response = api(stranger).patch(
            f"/api/v1/communities/{vanke.pk}", {"build_year": 1990}, content_type="application/json"
        )
        assert response.status_code == 404


class TestParts:
    def test_buildings_aliases_schools_and_amenities(self, manager, vanke, hongshan):
        client = api(manager)
        base = f"/api/v1/communities/{vanke.pk}"
        building = client.post(
            f"{base}/buildings", {"name": "3栋", "total_floors": 33}, content_type="application/json"
        ).json()
        assert building["total_floors"] == 33
        assert (
            client.patch(
                f"{base}/buildings/{building['id']}", {"has_elevator": True}, content_type="application/json"
            ).json()["has_elevator"]
            is True
        )
        alias = client.post(f"{base}/aliases", {"name": "城市花园"}, content_type="application/json")
        assert alias.status_code == 201
        school = SchoolFactory(district=hongshan)
        assignment = client.post(
            f"{base}/schools",
            {"school_id": school.pk, "building_ids": [building["id"]], "year": 2024},
            content_type="application/json",
        )
        assert assignment.status_code == 201
        assert assignment.json()["buildings"] == [{"id": building["id"], "name": "3栋"}]
        whole = client.patch(
            f"{base}/schools/{assignment.json()['id']}", {"building_ids": []}, content_type="application/json"
        )
        assert whole.json()["whole_community"] is True
        amenity = client.post(
            f"{base}/amenities",
            {"kind": "park", "name": "南湖公园", "distance_m": 800},
            content_type="application/json",
        )
        assert amenity.status_code == 201
        # and they go again
        assert client.delete(f"{base}/amenities/{amenity.json()['id']}").status_code == 204
        assert client.delete(f"{base}/schools/{assignment.json()['id']}").status_code == 204
        assert client.delete(f"{base}/aliases/{alias.json()['id']}").status_code == 204
        assert client.delete(f"{base}/buildings/{building['id']}").status_code == 204
        detail = client.get(base).json()
        assert (detail["buildings"], detail["aliases"], detail["schools"], detail["amenities"]) == (
            [],
            [],
            [],
            [],
        )

    def test_a_building_of_another_community_is_404(self, manager, company, guanggu, vanke):
        elsewhere = BuildingFactory(community=CommunityFactory(company=company, business_area=guanggu))
        response = api(manager).delete(f"/api/v1/communities/{vanke.pk}/buildings/{elsewhere.pk}")
        assert response.status_code == 404

    def test_an_unknown_school_is_a_400(self, manager, vanke):
        response = api(manager).post(
            f"/api/v1/communities/{vanke.pk}/schools", {"school_id": 999999}, content_type="application/json"
        )
        assert response.status_code == 400


class TestSharedReferenceData:
    @pytest.mark.parametrize("role", ["agent", "manager"])
    def test_only_administrators_add_schools_and_stations(self, role, agent, hongshan, wuhan):
        agent.role = role
        agent.save()
        client = api(agent)
        school = client.post(
            "/api/v1/geo/schools",
            {"district_id": hongshan.pk, "name": "光谷第二小学", "level": "primary"},
            content_type="application/json",
        )
        station = client.post(
            "/api/v1/geo/stations",
            {"city_id": wuhan.pk, "line": "2号线", "name": "光谷广场", "latitude": 30.5, "longitude": 114.4},
            content_type="application/json",
        )
        assert (school.status_code, station.status_code) == (403, 403)

    def test_an_administrator_adds_a_station_and_nearby_communities_get_it(self, admin_agent, wuhan, vanke):
        response = api(admin_agent).post(
            "/api/v1/geo/stations",
            {
                "city_id": wuhan.pk,
                "line": "2号线",
                "name": "光谷广场",
                "latitude": float(GUANGGU[0]),
                "longitude": float(GUANGGU[1]),
            },
            content_type="application/json",
        )
        assert response.status_code == 201
        assert vanke.stations.get().station_id == response.json()["id"]
        listed = api(admin_agent).get(f"/api/v1/geo/stations?city_id={wuhan.pk}").json()
        assert [s["name"] for s in listed["items"]] == ["光谷广场"]

    def test_an_administrator_adds_a_school(self, admin_agent, hongshan):
        response = api(admin_agent).post(
            "/api/v1/geo/schools",
            {"district_id": hongshan.pk, "name": "光谷第二小学", "level": "primary", "is_key": True},
            content_type="application/json",
        )
        assert response.status_code == 201
        schools = api(admin_agent).get("/api/v1/geo/schools?q=光谷").json()
        assert [s["name"] for s in schools["items"]] == ["光谷第二小学"]
