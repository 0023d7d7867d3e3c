"""The workbench's contributions: each app's items for the agent's day, and the page built from them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anju.care.services import tiers_recompute
from anju.clients import selectors as clients_selectors
from anju.clients import workbench as clients_workbench
from anju.clients.services import consent_record
from anju.complaints.services import complaint_alarms_raise, complaint_move
from anju.core import workbench
from anju.core.workbench import ContributorResult, Urgency, WorkItem
from anju.listings import workbench as listings_workbench
from anju.matching import workbench as matching_workbench
from anju.messaging.services import message_queue
from anju.org import workbench as org_workbench
from anju.org.models import Notification
from anju.processing.models import Visit
from tests.complaints.conftest import record as record_complaint
from tests.deals.deal_world import intent_signed
from tests.factories import ClientFactory, CommunityFactory, ListingFactory
from tests.matching.match_world import buy_need, sale

pytestmark = pytest.mark.django_db

# The session, user and agent (3), the agent's company and store (2), then the contributors'
# counts and lists: notices 1, new matches 2, showings 2, clients 5 (the agent's clients counted, those
# due counted, the pool counted, the due and the quiet), listings 2, deals 2, processing 2 (milestones due, visits due), messages to
# approve 2, complaints 1, referrals 2 (the visits and the complaint closures to ask about, each with
# the company's threshold), care 2 (the cadence's counts and first due; a manager's who is behind is
# one more, pinned in tests/care/test_care_workbench.py), occasions 4 (solar and lunar birthdays, the
# deals closed on the day as buyer and as seller).
QUERIES_FOR_WORKBENCH = 32


def keys(result: ContributorResult) -> list[str]:
    return [item.key for item in result.items]


def test_my_due_follow_ups_are_mine_only_and_say_how_urgent(agent, colleague):
    # given
    today = timezone.localdate()
    late = ClientFactory(owner=agent, next_follow_up_on=today - dt.timedelta(days=2))
    due = ClientFactory(owner=agent, next_follow_up_on=today)
    theirs = ClientFactory(owner=colleague, next_follow_up_on=today - dt.timedelta(days=2))
    # when
    result = clients_workbench.contribute(agent, today)
    # then
    by_key = {item.key: item for item in result.items}
    assert keys(result) == [f"client:{late.pk}", f"client:{due.pk}"]
    assert by_key[f"client:{late.pk}"].urgency == Urgency.OVERDUE
    assert by_key[f"client:{due.pk}"].urgency == Urgency.TODAY
    assert f"client:{theirs.pk}" not in by_key
    assert {f.key: f.value for f in result.figures}["due"] == 2


def test_quiet_clients_fill_the_list_after_the_due_ones_the_longest_quiet_first(agent):
    # given
    today = timezone.localdate()
    now = timezone.now()
    due = ClientFactory(owner=agent, next_follow_up_on=today)
    recent = ClientFactory(owner=agent, last_contact_at=now - dt.timedelta(days=1))
    quiet = ClientFactory(owner=agent, last_contact_at=now - dt.timedelta(days=30))
    # when
    result = clients_workbench.contribute(agent, today)
    # then
    assert keys(result) == [f"client:{due.pk}", f"client:{quiet.pk}", f"client:{recent.pk}"]
    assert [item.urgency for item in result.items] == [Urgency.TODAY, Urgency.SOON, Urgency.SOON]
    assert result.items[1].note.startswith("上次 ")


def test_recent_listings_are_the_companys_newest_active_ones(agent, colleague, stranger):
    # given
    today = timezone.localdate()
    older = ListingFactory(agent=colleague, listed_on=today - dt.timedelta(days=3))
    newer = ListingFactory(agent=agent, listed_on=today)
    elsewhere = ListingFactory(agent=stranger, listed_on=today)
    # when
    result = listings_workbench.contribute(agent, today)
    # then
    assert keys(result) == [f"listing:{newer.pk}", f"listing:{older.pk}"]
    assert f"listing:{elsewhere.pk}" not in keys(result)
    assert {f.key: f.value for f in result.figures} == {"my_listings": 1}


def test_my_unread_notices_can_be_ticked_off_and_a_colleagues_are_not_mine(agent, colleague, web):
    # given
    mine = Notification.objects.create(agent=agent, text="我的提醒", key="mine")
    theirs = Notification.objects.create(agent=colleague, text="同事的提醒", key="theirs")
    today = timezone.localdate()
    # when
    before = org_workbench.contribute(agent, today)
    web.post(before.items[0].done_url)
    after = org_workbench.contribute(agent, today)
    # then
    assert keys(before) == [f"notice:{mine.pk}"]
    assert f"notice:{theirs.pk}" not in keys(before)
    assert keys(after) == []


def test_new_matches_are_mine_grouped_by_client(
    agent, colleague, company, django_capture_on_commit_callbacks
):
    # given
    community = CommunityFactory(company=company)
    mine = buy_need(agent, ClientFactory(owner=agent, name="王先生"), districts=[community.district_id])
    buy_need(colleague, ClientFactory(owner=colleague, name="赵女士"), districts=[community.district_id])
    with django_capture_on_commit_callbacks(execute=True):
        sale(agent, community)
    # when
    result = matching_workbench.contribute(agent, timezone.localdate())
    # then
    assert [item.group_title for item in result.items] == ["王先生"]
    assert result.items[0].obj.need == mine
    assert result.total == 1


@pytest.fixture
def new_contributor():
    """A contributor no view names, registered for one test (as a new app's ready() would)."""

    def contribute(agent, day):
        return ContributorResult(
            items=[
                WorkItem(
                    source="open_days",
                    kind="showing",
                    key="showing:1",
                    title="带王先生看万科城市花园",
                    url="/showings/",
                    urgency=Urgency.TODAY,
                    at=day,
                    note="14:00",
                    done_url="/showings/",
                )
            ]
        )

    workbench.register("open_days", contribute, order=55, heading="今日开放日")
    yield
    workbench.unregister("open_days")


def test_a_new_apps_items_show_on_the_page_without_touching_the_view(web, new_contributor):
    # when
    page = web.get("/").content.decode()
    # then
    section = page.split('data-section="open_days"')[1].split("</section>")[0]
    assert "今日开放日" in section
    assert "带王先生看万科城市花园" in section
    assert 'data-item="open_days:showing:1"' in section
    assert "完成" in section  # it may be ticked off


def test_the_page_keeps_its_sections_in_place(web, agent):
    # given
    ClientFactory(
        owner=agent, name="早就该跟进", next_follow_up_on=timezone.localdate() - dt.timedelta(days=1)
    )
    ListingFactory(agent=agent, property__community__name="万科城市花园")
    # when
    page = web.get("/").content.decode()
    # then the notices and new matches above the figures, follow-ups and listings below them
    assert page.index('data-testid="new-matches"') < page.index('data-testid="figures"')
    assert page.index('data-testid="figures"') < page.index("待跟进的私客") < page.index("最新挂牌")
    assert "早就该跟进" in page.split("待跟进的私客")[1]
    assert "万科城市花园" in page.split("最新挂牌")[1]


def figure(page: str, href: str) -> str:
    card = page.split(f'figure-card text-decoration-none" href="{href}"')[1].split("</a>")[0]
    return card.split('class="figure-value">')[1].split("<")[0]


def test_the_clients_are_counted_up_to_a_bound_and_then_say_more(web, agent, company, monkeypatch, settings):
    # given three clients in the pool and two of the agent's, both due, and the workbench computed
    # on every visit
    settings.ANJU_KEPT_SECONDS = 0
    for _ in range(3):
        ClientFactory(owner=None, store=None, company=company)
    for _ in range(2):
        ClientFactory(owner=agent, next_follow_up_on=timezone.localdate())
    # when the counts stop at three, every figure is exact
    monkeypatch.setattr(clients_selectors, "COUNTED_MOST", 3)
    page = web.get("/").content.decode()
    assert figure(page, "/clients/?scope=pool") == "3"
    assert figure(page, "/clients/") == "2"
    assert figure(page, "/clients/?due=1&amp;scope=mine") == "2"
    # and when they stop at two, the pool has more than was counted, the agent's clients do not
    monkeypatch.setattr(clients_selectors, "COUNTED_MOST", 2)
    page = web.get("/").content.decode()
    assert figure(page, "/clients/?scope=pool") == "2+"
    assert figure(page, "/clients/") == "2"
    # and at one, every count stopped
    monkeypatch.setattr(clients_selectors, "COUNTED_MOST", 1)
    page = web.get("/").content.decode()
    assert figure(page, "/clients/") == "1+"
    assert figure(page, "/clients/?due=1&amp;scope=mine") == "1+"


def page_queries(web) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert web.get("/").status_code == 200
    return len(queries)


def test_the_workbench_reads_as_many_queries_empty_as_full(
    web, agent, colleague, company, django_capture_on_commit_callbacks, settings
):
    # given the workbench computed on every visit (not kept: tests/web/test_kept_workbench.py)
    settings.ANJU_KEPT_SECONDS = 0
    # and an agent with nothing on the workbench
    web.get("/")  # the session settles on the first visit
    empty = page_queries(web)
    # and then with many items of every kind
    today = timezone.localdate()
    community = CommunityFactory(company=company)
    for n in range(10):
        ClientFactory(owner=agent, next_follow_up_on=today - dt.timedelta(days=n % 3))
        ClientFactory(owner=agent)
        ClientFactory(owner=None, store=None, company=company)
        Notification.objects.create(agent=agent, text=f"提醒{n}", key=f"n{n}")
        ListingFactory(agent=agent)
        buy_need(agent, ClientFactory(owner=agent), districts=[community.district_id])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            sale(agent, community, price=Decimal(2000000 + n * 10000))
    for n in range(3):
        deal = intent_signed(
            agent, ListingFactory(agent=agent), ClientFactory(owner=agent), sign_in_days=n - 1
        )
        # a visit rated highly: its client is suggested for a referral ask (鼓励分享)
        Visit.objects.create(
            deal=deal, agent=agent, days=7, due_on=today, done_at=timezone.now(), satisfaction=5
        )
    for n in range(12):
        greeted = ClientFactory(owner=agent)
        consent_record(client=greeted, by=agent, channel="wechat", granted=True, how="微信回复同意")
        message_queue(
            client=greeted, channel="wechat", kind="greeting", text="生日快乐", key=f"b:{n}", approval=True
        )
    for severity in ("urgent", "normal", "urgent"):
        record_complaint(
            agent,
            ClientFactory(owner=agent),
            severity=severity,
            received_at=timezone.now() - dt.timedelta(days=3),
        )
    complaint_alarms_raise()
    for _n in range(2):  # complaints closed with the client satisfied: asked for a referral too
        closed = record_complaint(agent, ClientFactory(owner=agent))
        closed = complaint_move(complaint=closed, to="resolved", by=agent, resolution="已道歉并重新安排带看")
        complaint_move(complaint=closed, to="closed", by=agent, satisfaction=5)
    for n in range(10):
        ClientFactory(owner=agent, last_contact_at=timezone.now() - dt.timedelta(days=20 + n))
    tiers_recompute(company_id=company.pk)
    # when
    full = page_queries(web)
    page = web.get("/").content.decode()
    # then
    assert page.count('data-item="care:') == 8
    assert page.count("data-match=") == 12
    assert page.count("data-notice=") == 10
    assert page.count('data-item="deals:') == 3
    assert page.count("data-draft=") == 10
    assert page.count('data-item="complaints:') == 3
    assert page.count('data-item="referrals:') == 5
    assert empty == full == QUERIES_FOR_WORKBENCH
