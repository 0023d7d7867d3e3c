"""The 导入 page imports what the command line does: communities (with its look-alike choice),
listings that create the communities they name, and follow-up history — through the same job."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from anju.clients.models import Interaction
from anju.geo.models import Community, CommunityAlias
from anju.imports.models import ImportJob
from anju.listings.models import Listing
from tests.conftest import login
from tests.factories import ClientFactory

COMMUNITIES = "小区名称,别名,区域,地址,建成年代,纬度,经度"
PORTAL = "小区,区域,户型,建筑面积,朝向,装修,楼层,总价"
FOLLOW_UPS = "手机,跟进时间,跟进人,跟进方式,跟进内容"


def upload(name: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode())


def post_import(session, capture, *, kind, file, action="import", **fields):
    with capture(execute=True):
        return session.post("/imports/", {"kind": kind, "file": file, "action": action, **fields})


def test_a_manager_imports_communities_a_look_alike_reported_then_added_as_an_alias(
    manager, community, django_capture_on_commit_callbacks
):
    # given: 万科城市花园 is on file; the file names it 万科城市花园小区
    session = login(manager)
    lines = [COMMUNITIES, "万科城市花园小区,,洪山-光谷,,,,", "南湖山庄,,洪山-南湖,,2008年建,,"]
    page = session.get("/imports/").content.decode()
    assert 'value="communities"' in page and 'value="followups"' in page
    assert "加为别名" in page and "仍然新建" in page
    # when: imported with the look-alike reported (the default)
    response = post_import(
        session, django_capture_on_commit_callbacks, kind="communities", file=upload("小区.csv", lines)
    )
    # then: the row is reported, nothing written
    reported = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{reported.pk}/"
    assert (reported.kind, reported.options, reported.status) == (
        "communities",
        {"similar": "report"},
        "done",
    )
    assert (reported.bad_count, reported.written) == (1, 0)
    job_page = session.get(f"/imports/{reported.pk}/").content.decode()
    assert "与已有小区“万科城市花园”（洪山区·光谷）相似" in job_page
    assert not Community.objects.filter(name="南湖山庄").exists()
    # when: the same file again, with look-alikes added as aliases
    post_import(
        session,
        django_capture_on_commit_callbacks,
        kind="communities",
        file=upload("小区.csv", lines),
        similar="alias",
    )
    # then
    added = ImportJob.objects.exclude(pk=reported.pk).get()
    assert (added.options, added.bad_count, added.written) == ({"similar": "alias"}, 0, 2)
    assert "新建小区 1 个；新建板块 1 个；添加别名 1 个。" in added.message
    assert CommunityAlias.objects.filter(community=community, name="万科城市花园小区").exists()
    assert Community.objects.get(name="南湖山庄").build_year == 2008
    added_page = session.get(f"/imports/{added.pk}/").content.decode()
    assert "与已有小区相似时：加为别名" in added_page and "添加别名 1 个" in added_page
    assert "与已有小区相似时：" not in job_page


def test_an_agent_is_refused_the_communities_kind(web, agent, community, django_capture_on_commit_callbacks):
    # given: an agent's page offers clients, listings and follow-ups, not communities
    page = web.get("/imports/").content.decode()
    assert 'value="listings"' in page and 'value="followups"' in page
    assert 'value="communities"' not in page
    # when: the agent posts the communities kind all the same
    response = post_import(
        web,
        django_capture_on_commit_callbacks,
        kind="communities",
        file=upload("小区.csv", [COMMUNITIES, "南湖山庄,,洪山-南湖,,,,"]),
    )
    # then
    assert response.status_code == 200
    assert "只有店长和管理员可以修改楼盘字典。" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not Community.objects.filter(name="南湖山庄").exists()


def test_a_listing_file_creates_the_community_it_names_when_ticked(
    web, agent, community, django_capture_on_commit_callbacks
):
    # given: a portal-style file naming a community the dictionary lacks
    lines = [PORTAL, "光谷天地,洪山-光谷,2室1厅1卫,89,南,精装,中楼层(共18层),198"]
    assert "导入时新建楼盘字典中没有的小区" in web.get("/imports/").content.decode()
    # when: first without the option, then with it
    post_import(web, django_capture_on_commit_callbacks, kind="listings", file=upload("房源.csv", lines))
    refused = ImportJob.objects.get()
    post_import(
        web,
        django_capture_on_commit_callbacks,
        kind="listings",
        file=upload("房源.csv", lines),
        create_communities="on",
    )
    # then
    assert (refused.options, refused.bad_count, refused.written) == ({"create_communities": False}, 1, 0)
    created_job = ImportJob.objects.exclude(pk=refused.pk).get()
    assert (created_job.options, created_job.bad_count, created_job.written) == (
        {"create_communities": True},
        0,
        1,
    )
    assert "新建小区 1 个" in web.get(f"/imports/{created_job.pk}/").content.decode()
    created = Community.objects.get(name="光谷天地")
    assert created.business_area == community.business_area
    assert Listing.objects.get().community == created


def test_a_follow_up_file_joins_the_clients_timeline(manager, agent, django_capture_on_commit_callbacks):
    # given: a client already in Anju, and the old system's history of them
    client = ClientFactory(owner=agent, name="刘洋", mobile="13812345678")
    session = login(manager)
    lines = [
        FOLLOW_UPS,
        "13812345678,2023-03-02 09:30,张伟,电话,首次来电，看光谷两房",
        "13900000009,2023-04-01,张伟,电话,不是客户的号码",
    ]
    # when
    post_import(
        session,
        django_capture_on_commit_callbacks,
        kind="followups",
        file=upload("跟进.csv", lines),
        skip_bad="on",
    )
    # then
    job = ImportJob.objects.get()
    assert (job.kind, job.status, job.written, job.bad_count) == ("followups", "done", 1, 1)
    assert "手机号 139****0009 不是本公司的客户" in session.get(f"/imports/{job.pk}/").content.decode()
    assert [(i.agent, i.kind, i.summary) for i in Interaction.objects.filter(client=client)] == [
        (agent, "call", "首次来电，看光谷两房")
    ]


def test_importing_a_checked_file_keeps_its_options(
    web, agent, community, django_capture_on_commit_callbacks
):
    # given: a check (只检查) of a listing file, with communities to be created
    lines = [PORTAL, "光谷天地,洪山-光谷,2室1厅1卫,89,南,精装,中楼层(共18层),198"]
    post_import(
        web,
        django_capture_on_commit_callbacks,
        kind="listings",
        file=upload("房源.csv", lines),
        action="check",
        create_communities="on",
    )
    checked = ImportJob.objects.get()
    assert "将新建小区 1 个" in checked.message
    assert not Community.objects.filter(name="光谷天地").exists()
    # when: 确认导入
    with django_capture_on_commit_callbacks(execute=True):
        web.post(f"/imports/{checked.pk}/again/")
    # then
    again = ImportJob.objects.exclude(pk=checked.pk).get()
    assert (again.options, again.written) == ({"create_communities": True}, 1)
    assert Listing.objects.get().community == Community.objects.get(name="光谷天地")
