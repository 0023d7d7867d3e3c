"""The matching pages: a need's ranked listings with the analysis, a listing's 匹配客户, the workbench's 新匹配."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from anju.listings.models import Listing
from anju.matching.models import Match, MatchStatus, NeedMatchSettings
from tests.conftest import login
from tests.factories import ClientFactory, CommunityFactory
from tests.matching.match_world import afforded, buy_need, buyer_with_means, sale
from tests.web.test_workbench import QUERIES_FOR_WORKBENCH  # the workbench's count, kept in one place

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(company):
    return CommunityFactory(company=company, name="万科城市花园")


@pytest.fixture
def need(agent, community):
    return buy_need(agent, ClientFactory(owner=agent, name="王先生"), districts=[community.district_id])


@pytest.fixture
def listings(agent, community, need, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        fitting = [sale(agent, community, price=Decimal(p)) for p in ("2000000", "2100000")]
        sale(agent, community, price=Decimal("2400000"))  # only with a 10% higher budget
        sale(agent, community, verified=False)  # not 真房源: excluded
    return fitting


def test_the_need_page_ranks_listings_explains_and_analyses(web, need, listings):
    # when
    page = web.get(f"/needs/{need.pk}/matches/").content.decode()
    # then
    assert page.count('data-testid="ranked-listing"') == 2
    assert "匹配度" in page and "✓" in page
    assert "已排除：未核实（要求真房源） 1 套" in page
    assert "现在有 <strong>2</strong> 套在售房源符合" in page
    assert "总价上限提高10%" in page and "+1 套" in page
    for label in ("喜欢", "不考虑", "新匹配"):  # recorded when they were entered
        assert label in page


def test_the_analysis_tells_a_buyer_what_their_money_affords(web, agent, community):
    # given
    need = buyer_with_means(agent, community, budget_max=Decimal("9000000"))
    affordable = f"{afforded(as_of=timezone.localdate()).max_price // 10000}万"
    # when
    page = web.get(f"/needs/{need.pk}/matches/").content.decode()
    # then
    assert f"按您的首付和月供，可承受总价约{affordable}" in page
    assert f"预算上限900万高于可承受的约{affordable}" in page
    assert f'按约<span class="num">{affordable}</span>的上限，有 0 套在售房源符合' in page
    assert 'data-testid="affordability"' in page


def test_rejecting_on_the_need_page_takes_the_listing_off_and_records_it(web, agent, need, listings):
    # when
    response = web.post(
        f"/needs/{need.pk}/matches/{listings[0].pk}/mark/",
        {"action": "rejected"},
        headers={"HX-Request": "true"},
    )
    # then: the row gives way to a line that says what was done
    assert response.status_code == 200
    note = response.content.decode()
    assert 'data-testid="mark-done"' in note and "已标记为不考虑" in note
    assert 'data-testid="ranked-listing"' not in note
    assert Match.objects.get(need=need, listing=listings[0]).status == MatchStatus.REJECTED
    page = web.get(f"/needs/{need.pk}/matches/").content.decode()
    assert page.count('data-testid="ranked-listing"') == 1
    assert "已拒绝过 1 套" in page


def test_widening_the_tolerance_brings_in_the_listing_just_over_budget(web, need, listings):
    # when
    response = web.post(f"/needs/{need.pk}/matches/settings/", {"tolerance": "0.15", "verified_only": "on"})
    # then
    assert response.status_code == 302
    assert NeedMatchSettings.objects.get(need=need).tolerance == Decimal("0.150")
    page = web.get(f"/needs/{need.pk}/matches/").content.decode()
    assert page.count('data-testid="ranked-listing"') == 3
    assert page.count("加入推荐") == 1  # the one no job recorded: it did not fit when entered


def test_recommending_a_ranked_listing_puts_it_among_my_new_matches(web, agent, need, listings):
    # given: the flat just over budget fits once the tolerance is 15%
    web.post(f"/needs/{need.pk}/matches/settings/", {"tolerance": "0.15", "verified_only": "on"})
    listing = Listing.objects.get(price=Decimal("2400000"))
    # when
    response = web.post(
        f"/needs/{need.pk}/matches/{listing.pk}/mark/",
        {"action": "recommend"},
        headers={"HX-Request": "true"},
    )
    # then
    assert 'data-testid="match-status"' in response.content.decode()
    assert "已加入推荐" in response.content.decode()
    match = Match.objects.get(need=need, listing=listing)
    assert (match.status, match.agent) == (MatchStatus.NEW, agent)


def test_a_bad_tolerance_changes_nothing_and_says_why(web, need, listings):
    # when
    response = web.post(f"/needs/{need.pk}/matches/settings/", {"tolerance": "abc"}, follow=True)
    # then
    assert "预算浮动必须在 0% 到 50% 之间" in response.content.decode()
    assert not NeedMatchSettings.objects.filter(need=need).exists()


def test_the_listing_page_shows_its_matched_clients_without_phone_numbers(
    web, agent, colleague, need, community, listings
):
    # given: a colleague's private client also fits
    private = ClientFactory(owner=colleague, name="赵女士", mobile="13912345678")
    buy_need(colleague, private, districts=[community.district_id])
    # when
    part = web.get(f"/listings/{listings[0].pk}/matches/").content.decode()
    page = web.get(f"/listings/{listings[0].pk}/").content.decode()
    # then
    assert f'hx-get="/listings/{listings[0].pk}/matches/"' in page
    assert "匹配客户" in part and "王先生" in part
    assert "赵女士" not in part and f"{colleague.name}的私客" in part
    assert "13912345678" not in part and need.client.mobile not in part


def test_the_workbench_shows_only_my_new_matches_grouped_by_client(
    agent, colleague, community, django_capture_on_commit_callbacks
):
    # given
    mine = buy_need(agent, ClientFactory(owner=agent, name="王先生"), districts=[community.district_id])
    buy_need(colleague, ClientFactory(owner=colleague, name="赵女士"), districts=[community.district_id])
    with django_capture_on_commit_callbacks(execute=True):
        sale(agent, community)
        sale(agent, community, price=Decimal("2100000"))
    # when
    page = login(agent).get("/").content.decode()
    # then
    section = page.split('data-testid="new-matches"')[1].split("</section>")[0]
    assert "王先生" in section and "赵女士" not in section
    assert section.count("data-match=") == 2 == Match.objects.filter(need=mine).count()
    assert section.count('data-client="') == 1
    assert "2套新房源匹配您的客户" in page


def test_the_workbench_shows_a_screenful_of_new_matches_and_says_how_many_more(
    agent, community, django_capture_on_commit_callbacks
):
    # given 14 new matches, more than the workbench shows
    buy_need(agent, ClientFactory(owner=agent, name="王先生"), districts=[community.district_id])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(14):
            sale(agent, community, price=Decimal(2000000 + n * 10000))
    assert Match.objects.count() == 14
    # when
    page = login(agent).get("/").content.decode()
    # then
    section = page.split('data-testid="new-matches"')[1].split("</section>")[0]
    assert section.count("data-match=") == 12
    assert "另有 2 条新匹配在各需求的匹配页" in section


def test_the_workbench_reads_its_new_matches_in_a_fixed_number_of_queries(
    agent, community, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    # given new matches for several clients
    for name in ("王先生", "李女士", "陈先生", "赵女士", "周先生"):
        buy_need(agent, ClientFactory(owner=agent, name=name), districts=[community.district_id])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            sale(agent, community, price=Decimal(2000000 + n * 10000))
    web = login(agent)
    web.get("/")  # the session and its caches settle on the first visit
    # then the home page does not read one row per match or per client
    with django_assert_max_num_queries(QUERIES_FOR_WORKBENCH):
        page = web.get("/").content.decode()
    assert page.count("data-match=") == 12


def test_approving_on_the_workbench_skips_a_client_without_consent(
    agent, community, need, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        sale(agent, community)
    match = Match.objects.get()
    # when
    response = login(agent).post(
        "/matches/approve/", {"ids": [match.pk], "channel": "wechat"}, headers={"HX-Request": "true"}
    )
    # then
    body = response.content.decode()
    assert "王先生 未同意通过该渠道接收推荐，已跳过" in body
    assert Match.objects.get().approved_at is None


def test_a_colleague_cannot_open_my_clients_need_page(colleague, need):
    assert login(colleague).get(f"/needs/{need.pk}/matches/").status_code == 403


@pytest.fixture
def many_listings(agent, community, need):
    """Forty-three flats that all fit the need: three pages of twenty."""
    return [sale(agent, community, price=Decimal(2_000_000 + 1_000 * i)) for i in range(43)]


def _ranked_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-listing="(\d+)" data-testid="ranked-listing"', page)]


def test_the_need_page_pages_through_every_fitting_listing(web, need, many_listings):
    # when each page is read
    pages = [web.get(f"/needs/{need.pk}/matches/?page={n}").content.decode() for n in (1, 2, 3)]
    # then the count is of all of them, each page says which it is and links the others
    assert "符合条件 43 套" in pages[0]
    assert "第 1/3 页" in pages[0] and "第 3/3 页" in pages[2]
    assert 'href="?page=2"' in pages[0] and 'aria-label="第2页"' in pages[0]
    assert 'href="?page=1"' in pages[1] and 'href="?page=3"' in pages[1]
    # and every fitting listing is on exactly one page: 20, 20 and 3
    shown = [_ranked_ids(page) for page in pages]
    assert [len(ids) for ids in shown] == [20, 20, 3]
    assert sorted(i for ids in shown for i in ids) == sorted(listing.pk for listing in many_listings)


def test_a_page_past_the_last_shows_the_last(web, need, many_listings):
    # when
    page = web.get(f"/needs/{need.pk}/matches/?page=99").content.decode()
    # then
    assert "第 3/3 页" in page
    assert len(_ranked_ids(page)) == 3


def test_a_need_with_one_page_shows_no_pager(web, need, listings):
    # when
    page = web.get(f"/needs/{need.pk}/matches/").content.decode()
    # then the list is there, without pages
    assert page.count('data-testid="ranked-listing"') == 2
    assert 'data-testid="pager"' not in page and "第 1/1 页" not in page


def test_liking_a_listing_on_page_two_keeps_its_row(web, need, many_listings):
    # given a listing shown on the second page
    second_page = _ranked_ids(web.get(f"/needs/{need.pk}/matches/?page=2").content.decode())
    listing_id = second_page[0]
    # when it is liked from there
    response = web.post(
        f"/needs/{need.pk}/matches/{listing_id}/mark/",
        {"action": "liked", "page": "2"},
        headers={"HX-Request": "true"},
    )
    # then its row comes back, marked
    assert response.status_code == 200
    assert f'data-listing="{listing_id}"' in response.content.decode()
    assert Match.objects.get(need=need, listing_id=listing_id).status == MatchStatus.LIKED


def test_liking_on_the_need_page_says_so_in_the_row(web, need, listings):
    # when
    response = web.post(
        f"/needs/{need.pk}/matches/{listings[0].pk}/mark/",
        {"action": "liked"},
        headers={"HX-Request": "true"},
    )
    # then: the row comes back marked, with a line that says what the mark does
    row = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="ranked-listing"' in row
    assert "已标记为喜欢：相似的房源会排得更靠前。" in row
    assert Match.objects.get(need=need, listing=listings[0]).status == MatchStatus.LIKED
