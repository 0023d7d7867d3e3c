"""The main pages show real, scoped data; sections still to come say so plainly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ClientFactory, ListingFactory


def test_workbench_shows_navigation_and_my_figures(web, agent, colleague):
    # given
    ClientFactory.create_batch(2, owner=agent)
    ClientFactory(owner=colleague)
    ClientFactory(owner=None, store=None, company=agent.company)
    ListingFactory(agent=agent)
    # when
    page = web.get("/").content.decode()
    # then
    for label in ["工作台", "客户", "房源", "带看", "交易", "计算器", "客户服务", "报表", "设置"]:
        assert f"</span>{label}</a>" in page
    figures = page.split('data-testid="figures"')[1].split("</div>\n<div")[0]
    assert '我的私客</div><div class="figure-value">2<' in figures
    assert '公客池</div><div class="figure-value">1<' in figures


def test_client_list_masks_numbers_the_viewer_does_not_own(web, agent, manager):
    # given
    ClientFactory(owner=agent, name="自己的", mobile="13800001111")
    ClientFactory(owner=None, store=None, company=agent.company, name="池子里的", mobile="13900002222")
    # when
    mine = web.get("/clients/").content.decode()
    pool = web.get("/clients/?scope=pool").content.decode()
    # then
    assert "13800001111" in mine
    assert "139****2222" in pool
    assert "13900002222" not in pool


def test_client_list_hides_colleagues_private_clients(web, agent, colleague):
    ClientFactory(owner=agent, name="自己的客户")
    ClientFactory(owner=colleague, name="同事的客户")
    response = web.get("/clients/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "自己的客户" in page
    assert "同事的客户" not in page


def test_another_companys_records_never_show(web, agent, stranger):
    ClientFactory(owner=None, store=None, company=agent.company, name="自家公客")
    ListingFactory(agent=agent, property__community__name="自家小区")
    ClientFactory(owner=None, store=None, company=stranger.company, name="别家公客")
    ListingFactory(agent=stranger, property__community__name="别家小区")
    pool = web.get("/clients/?scope=pool")
    listings = web.get("/listings/")
    assert (pool.status_code, listings.status_code) == (200, 200)
    assert "自家公客" in pool.content.decode() and "别家公客" not in pool.content.decode()
    assert "自家小区" in listings.content.decode() and "别家小区" not in listings.content.decode()


def test_listing_list_shows_prices_and_areas_as_people_read_them(web, agent):
    ListingFactory(
        agent=agent,
        price=Decimal("3250000"),
        property__area=Decimal("89.50"),
        property__community__name="万科城市花园",
    )
    page = web.get("/listings/").content.decode()
    assert "万科城市花园" in page
    assert "325万" in page
    assert "89.50㎡" in page
    assert "36,313元/㎡" in page  # unit prices to the yuan


def test_list_pages_load_more_rows_with_htmx(web, agent):
    # given more rows than one page holds
    ListingFactory.create_batch(25, agent=agent)
    first = web.get("/listings/").content.decode()
    cursor = first.split('hx-get="?cursor=')[1].split('"')[0]
    # when
    more = web.get(f"/listings/?cursor={cursor}", headers={"HX-Request": "true"}).content.decode()
    # then
    assert first.count("<tr data-listing=") == 20
    assert more.count("<tr data-listing=") == 5
    assert "<html" not in more


@pytest.mark.parametrize("path", ["/", "/clients/", "/clients/?scope=pool", "/listings/"])
def test_list_pages_query_count_does_not_grow_with_rows(web, agent, path):
    ClientFactory.create_batch(3, owner=agent)
    ListingFactory.create_batch(3, agent=agent)
    with CaptureQueriesContext(connection) as few:
        web.get(path)
    ClientFactory.create_batch(10, owner=agent)
    ListingFactory.create_batch(10, agent=agent)
    with CaptureQueriesContext(connection) as many:
        web.get(path)
    assert len(many) == len(few)


def test_unknown_page_is_a_chinese_404(web):
    response = web.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_english_is_available_as_second_language(web):
    web.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = web.get("/").content.decode()
    assert "Workbench" in page
    assert 'lang="en"' in page


def test_server_error_page_is_in_chinese_without_needing_the_database(rf):
    from anju.web.views.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(db):
    from django.test import Client as HttpClient

    browser = HttpClient(headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "登录安居" in browser.get("/login/").content.decode()
    browser.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Sign in to Anju" in browser.get("/login/").content.decode()


def test_workbench_shows_my_notices_and_dismissing_one_hides_only_mine(web, agent, colleague):
    from anju.org.models import Notification

    mine = Notification.objects.create(
        agent=agent, text="私客“王芳”将于 12月1日 回到公客池", url="/clients/1/", key="a"
    )
    Notification.objects.create(agent=agent, text="明天上午带看万科城市花园", key="c")
    theirs = Notification.objects.create(agent=colleague, text="同事的提醒", key="b")
    page = web.get("/").content.decode()
    assert "私客“王芳”将于 12月1日 回到公客池" in page
    assert "同事的提醒" not in page
    assert web.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    web.post(f"/notifications/{mine.pk}/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    after = web.get("/")
    assert after.status_code == 200
    assert "明天上午带看万科城市花园" in after.content.decode()  # the notice not dismissed stays
    assert "回到公客池" not in after.content.decode()


def test_workbench_lists_due_follow_ups_first(web, agent):
    import datetime as dt

    from django.utils import timezone

    ClientFactory(
        owner=agent, name="早就该跟进", next_follow_up_on=timezone.localdate() - dt.timedelta(days=2)
    )
    ClientFactory(owner=agent, name="还没到", next_follow_up_on=timezone.localdate() + dt.timedelta(days=5))
    page = web.get("/").content.decode()
    assert page.index("早就该跟进") < page.index("还没到")
    assert '今日待跟进</div><div class="figure-value">1<' in page
