"""楼盘字典 pages: search, detail, the create form's duplicate check, and keeping the parts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anju.geo import services
from anju.geo.models import Building, Community, SchoolAssignment
from tests.conftest import login
from tests.factories import CommunityFactory
from tests.geo.conftest import GUANGGU
from tests.geo.factories import AliasFactory, AmenityFactory, BuildingFactory, SchoolFactory, StationFactory


def form_data(area, **extra) -> dict:
    return {
        "name": "万科城市之光",
        "business_area": str(area.pk),
        "latitude": str(GUANGGU[0]),
        "longitude": str(GUANGGU[1]),
        "address": "",
        "build_year": "2018",
        "property_fee": "",
        "reference_price": "",
        "building_count": "",
        "aliases": "",
        **extra,
    }


class TestSearchPage:
    def test_the_listings_page_links_to_the_dictionary(self, web):
        page = web.get("/listings/").content.decode()
        assert 'href="/communities/"' in page
        assert "楼盘字典" in page

    def test_search_by_initials(self, web, vanke, company, guanggu):
        CommunityFactory(company=company, business_area=guanggu, name="保利花园")
        page = web.get("/communities/?q=wkcshy").content.decode()
        assert f'data-community="{vanke.pk}"' in page
        assert "保利花园" not in page

    def test_typing_updates_only_the_rows(self, web, vanke):
        rows = web.get("/communities/?q=万科", headers={"HX-Request": "true"}).content.decode()
        assert "万科城市花园" in rows
        assert "<html" not in rows

    def test_nothing_found_says_how_to_search(self, web, vanke):
        page = web.get("/communities/?q=不存在").content.decode()
        assert "没有找到“不存在”" in page

    def test_load_more_keeps_the_query(self, web, company, guanggu):
        for i in range(35):
            CommunityFactory(company=company, business_area=guanggu, name=f"测试花园{i:02d}号")
        first = web.get("/communities/?q=测试").content.decode()
        more_url = (
            first.split('class="load-more"')[1].split('hx-get="')[1].split('"')[0].replace("&amp;", "&")
        )
        more = web.get(more_url, headers={"HX-Request": "true"}).content.decode()
        assert first.count("<tr data-community=") == 30
        assert more.count("<tr data-community=") == 5

    def test_agents_see_no_create_button(self, web, manager, vanke):
        response = web.get("/communities/")
        assert response.status_code == 200
        assert f'data-community="{vanke.pk}"' in response.content.decode()  # the dictionary, read-only
        assert "新建小区" not in response.content.decode()
        assert "新建小区" in login(manager).get("/communities/").content.decode()

    def test_the_search_page_query_count_does_not_grow(self, web, company, guanggu):
        for i in range(3):
            AliasFactory(community=CommunityFactory(company=company, business_area=guanggu, name=f"甲{i}"))
        with CaptureQueriesContext(connection) as few:
            web.get("/communities/?q=甲")
        for i in range(20):
            AliasFactory(community=CommunityFactory(company=company, business_area=guanggu, name=f"甲乙{i}"))
        with CaptureQueriesContext(connection) as many:
            web.get("/communities/?q=甲")
        assert len(many) == len(few)


class TestDetailPage:
    def test_shows_basics_buildings_schools_stations_and_amenities(self, web, vanke, hongshan, wuhan):
        one = BuildingFactory(community=vanke, name="1栋")
        BuildingFactory(community=vanke, name="2栋")
        services.school_assign(
            community=vanke,
            school=SchoolFactory(district=hongshan, name="光谷第一小学"),
            building_ids=[one.pk],
        )
        services.school_assign(
            community=vanke, school=SchoolFactory(district=hongshan, name="光谷实验中学", level="middle")
        )
        StationFactory(city=wuhan, line="2号线", name="光谷广场", latitude=GUANGGU[0], longitude=GUANGGU[1])
        services.community_refresh_stations(community=vanke)
        AmenityFactory(community=vanke, kind="mall", name="光谷步行街", distance_m=400)
        # when
        page = web.get(f"/communities/{vanke.pk}/").content.decode()
        # then
        assert "万科城市花园" in page
        assert "2.50 元/㎡·月" in page
        assert "光谷第一小学" in page and "对口：1栋" in page
        assert "光谷实验中学" in page and "对口：整个小区" in page
        assert "光谷广场站" in page and "步行约 1 分钟" in page
        assert "光谷步行街" in page
        # an agent reads, but has nothing to change
        assert "添加楼栋" not in page
        assert "修改基本信息" not in page

    def test_another_companys_community_is_404(self, stranger, vanke):
        assert login(stranger).get(f"/communities/{vanke.pk}/").status_code == 404

    def test_detail_query_count_does_not_grow_with_its_parts(self, manager, vanke, hongshan):
        # given one of each part
        web = login(manager)
        first = BuildingFactory(community=vanke)
        services.school_assign(
            community=vanke, school=SchoolFactory(district=hongshan), building_ids=[first.pk]
        )
        AmenityFactory(community=vanke)
        AliasFactory(community=vanke)
        with CaptureQueriesContext(connection) as few:
            web.get(f"/communities/{vanke.pk}/")
        buildings = BuildingFactory.create_batch(10, community=vanke)
        for i in range(4):
            services.school_assign(
                community=vanke, school=SchoolFactory(district=hongshan), building_ids=[buildings[i].pk]
            )
            AmenityFactory(community=vanke)
            AliasFactory(community=vanke)
        with CaptureQueriesContext(connection) as many:
            web.get(f"/communities/{vanke.pk}/")
        assert len(many) == len(few)


class TestCreateForm:
    def test_agents_may_not_open_it(self, web):
        assert web.get("/communities/new/").status_code == 403

    def test_a_manager_creates_a_community(self, manager, guanggu):
        response = login(manager).post("/communities/new/", form_data(guanggu, aliases="城市之光，万科之光"))
        community = Community.objects.get(name="万科城市之光")
        assert response.status_code == 302
        assert response["Location"] == f"/communities/{community.pk}/"
        assert sorted(a.name for a in community.aliases.all()) == ["万科之光", "城市之光"]

    def test_a_look_alike_needs_an_explicit_confirmation(self, manager, guanggu, vanke):
        web = login(manager)
        # when
        warned = web.post("/communities/new/", form_data(guanggu, name="万科城市花园小区"))
        # then
        page = warned.content.decode()
        assert warned.status_code == 200
        assert 'data-testid="duplicate-warning"' in page
        assert f'href="/communities/{vanke.pk}/"' in page
        assert "仍然创建" in page
        assert not Community.objects.filter(name="万科城市花园小区").exists()
        # and when confirmed
        confirmed = web.post(
            "/communities/new/", form_data(guanggu, name="万科城市花园小区", confirm_duplicate="1")
        )
        assert confirmed.status_code == 302
        assert Community.objects.filter(name="万科城市花园小区").exists()

    def test_the_warning_offers_to_record_the_name_as_an_alias_instead(self, manager, guanggu, vanke):
        web = login(manager)
        page = web.post("/communities/new/", form_data(guanggu, name="万科城市花园小区")).content.decode()
        assert f'action="/communities/{vanke.pk}/aliases/"' in page
        assert "是同一个，把“万科城市花园小区”加为它的别名" in page
        # when the button's form is sent
        response = web.post(f"/communities/{vanke.pk}/aliases/", {"name": "万科城市花园小区"})
        # then
        assert response["Location"] == f"/communities/{vanke.pk}/"
        assert [a.name for a in vanke.aliases.all()] == ["万科城市花园小区"]
        assert Community.objects.count() == 1

    def test_the_name_being_typed_shows_its_look_alikes(self, manager, guanggu, vanke):
        hint = (
            login(manager)
            .get(
                "/communities/similar/",
                {"name": "万科城市花园小区", "business_area": guanggu.pk},
                headers={"HX-Request": "true"},
            )
            .content.decode()
        )
        assert 'data-testid="similar-hint"' in hint
        assert "万科城市花园" in hint
        assert (
            login(manager).get("/communities/similar/", {"name": "全新的名字"}).content.decode().strip() == ""
        )

    def test_bad_input_is_explained_and_nothing_is_saved(self, manager, guanggu):
        page = login(manager).post("/communities/new/", form_data(guanggu, latitude="95")).content.decode()
        assert "is-invalid" in page
        assert not Community.objects.exists()

    def test_editing_saves_and_a_look_alike_rename_warns(self, manager, company, guanggu, vanke):
        web = login(manager)
        other = CommunityFactory(company=company, business_area=guanggu, name="保利花园")
        saved = web.post(
            f"/communities/{vanke.pk}/edit/", form_data(guanggu, name="万科城市花园", build_year="2011")
        )
        assert saved.status_code == 302
        vanke.refresh_from_db()
        assert vanke.build_year == 2011
        warned = web.post(f"/communities/{other.pk}/edit/", form_data(guanggu, name="万科城市花园小区"))
        assert "仍然保存" in warned.content.decode()


class TestKeepingTheParts:
    def test_a_manager_adds_a_building_with_htmx(self, manager, vanke):
        response = login(manager).post(
            f"/communities/{vanke.pk}/buildings/",
            {"name": "5栋", "total_floors": "33", "units": "2", "has_elevator": "1", "build_year": ""},
            headers={"HX-Request": "true"},
        )
        part = response.content.decode()
        assert 'id="community-buildings"' in part
        assert "已添加楼栋“5栋”" in part
        assert "<html" not in part
        assert Building.objects.get(community=vanke).has_elevator is True

    def test_a_duplicate_building_is_explained_in_place(self, manager, vanke):
        BuildingFactory(community=vanke, name="5栋")
        part = (
            login(manager)
            .post(f"/communities/{vanke.pk}/buildings/", {"name": "5栋"}, headers={"HX-Request": "true"})
            .content.decode()
        )
        assert "已有楼栋“5栋”" in part

    def test_without_htmx_the_page_is_shown_again(self, manager, vanke):
        response = login(manager).post(f"/communities/{vanke.pk}/aliases/", {"name": "城市花园"})
        assert response.status_code == 302
        assert vanke.aliases.get().name == "城市花园"

    def test_a_school_assignment_names_its_buildings(self, manager, vanke, hongshan):
        one = BuildingFactory(community=vanke, name="1栋")
        BuildingFactory(community=vanke, name="2栋")
        school = SchoolFactory(district=hongshan, name="光谷第一小学")
        part = (
            login(manager)
            .post(
                f"/communities/{vanke.pk}/schools/",
                {"school": str(school.pk), "buildings": [str(one.pk)], "year": "2024", "note": ""},
                headers={"HX-Request": "true"},
            )
            .content.decode()
        )
        assert "已划入“光谷第一小学”学区" in part
        assert list(SchoolAssignment.objects.get().buildings.all()) == [one]

    def test_editing_an_assignment_changes_its_buildings(self, manager, vanke, hongshan):
        one = BuildingFactory(community=vanke, name="1栋")
        assignment = services.school_assign(community=vanke, school=SchoolFactory(district=hongshan))
        web = login(manager)
        assert "对口楼栋" in web.get(f"/communities/{vanke.pk}/schools/{assignment.pk}/").content.decode()
        web.post(
            f"/communities/{vanke.pk}/schools/{assignment.pk}/",
            {"buildings": [str(one.pk)], "year": "", "note": "按 2024 年划片"},
        )
        assignment.refresh_from_db()
        assert list(assignment.buildings.all()) == [one]
        assert assignment.note == "按 2024 年划片"

    def test_an_amenity_is_added_and_removed(self, manager, vanke):
        web = login(manager)
        web.post(
            f"/communities/{vanke.pk}/amenities/", {"kind": "park", "name": "南湖公园", "distance_m": "600"}
        )
        amenity = vanke.amenities.get()
        web.post(f"/communities/{vanke.pk}/amenities/{amenity.pk}/delete/")
        assert not vanke.amenities.exists()

    def test_only_an_administrator_adds_a_school(self, manager, admin_agent, vanke, hongshan):
        data = {"name": "光谷第三小学", "level": "primary", "district": str(hongshan.pk)}
        assert login(manager).post(f"/communities/{vanke.pk}/schools/new/", data).status_code == 403
        login(admin_agent).post(f"/communities/{vanke.pk}/schools/new/", data)
        assert hongshan.schools.get().name == "光谷第三小学"

    @pytest.mark.parametrize(
        "path",
        [
            "/communities/{id}/edit/",
            "/communities/{id}/aliases/",
            "/communities/{id}/buildings/",
            "/communities/{id}/amenities/",
        ],
    )
    def test_agents_cannot_change_anything(self, web, vanke, path):
        response = web.post(path.format(id=vanke.pk), {"name": "x", "kind": "park"})
        assert response.status_code == 403

    def test_a_building_is_edited_and_deleted(self, manager, vanke):
        building = BuildingFactory(community=vanke, name="1栋", total_floors=18)
        web = login(manager)
        web.post(
            f"/communities/{vanke.pk}/buildings/{building.pk}/",
            {"name": "1栋", "total_floors": "33", "units": "", "has_elevator": "", "build_year": ""},
        )
        building.refresh_from_db()
        assert (building.total_floors, building.has_elevator) == (33, None)
        web.post(f"/communities/{vanke.pk}/buildings/{building.pk}/delete/")
        assert not Building.objects.exists()
