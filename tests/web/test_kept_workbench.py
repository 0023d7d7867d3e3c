"""The workbench kept until the database changes (decision 0027): a second visit is answered from the
kept copy, and a write, a deadline passing or a new day shows at the very next visit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anju.clients.models import Client
from anju.clients.services import interaction_create
from anju.core import changes, workcalendar
from anju.core.workbench import ContributorResult, Urgency, Workbench, WorkItem
from anju.listings.models import Listing
from anju.org.models import Notification
from anju.web import kept
from tests.core.test_workbench import registered  # noqa: F401 - fixture
from tests.factories import ClientFactory, ListingFactory
from tests.web.test_workbench import QUERIES_FOR_WORKBENCH

pytestmark = pytest.mark.django_db

# A kept visit asks for the session, the user, the agent, the database's generation and the agent's
# store (the page's header); nothing more.
QUERIES_WHEN_KEPT = 5


def visit(web) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = web.get("/")
    assert page.status_code == 200
    return page.content.decode(), len(queries)


def due_section(page: str) -> str:
    return page.split("待跟进的私客")[1].split("<h2")[0]


@pytest.fixture
def overdue(agent):
    return ClientFactory(
        owner=agent, name="早就该跟进", next_follow_up_on=timezone.localdate() - dt.timedelta(days=1)
    )


def test_a_second_visit_is_answered_from_the_kept_copy(web, overdue):
    # given the workbench computed once
    first, computed = visit(web)
    # when the agent comes back to it with nothing written meanwhile
    again, kept = visit(web)
    # then the same day is shown, without asking any app again
    assert "早就该跟进" in due_section(first)
    assert "早就该跟进" in due_section(again)
    assert computed >= QUERIES_FOR_WORKBENCH
    assert kept == QUERIES_WHEN_KEPT


def test_a_follow_up_recorded_shows_at_the_next_visit(web, agent, overdue):
    # given the kept workbench listing the client as due
    visit(web)
    assert "应跟进" in due_section(visit(web)[0])
    # when the follow-up is recorded (in this test's own unfinished transaction)
    interaction_create(
        agent=agent,
        client=overdue,
        kind="call",
        summary="约了周六看房",
        next_follow_up_on=timezone.localdate() + dt.timedelta(days=5),
    )
    # then the next visit computes the day again: the client is no longer due, last contacted today
    page, queries = visit(web)
    assert "应跟进" not in due_section(page)
    assert "上次" in due_section(page)
    assert queries > QUERIES_WHEN_KEPT


def test_a_write_taken_back_by_a_savepoint_rollback_shows_at_the_next_visit(web, overdue):
    # given a write inside an unfinished transaction, seen (and kept) by a visit
    visit(web)
    with pytest.raises(RuntimeError), transaction.atomic():
        Client.objects.filter(pk=overdue.pk).update(next_follow_up_on=None)
        assert "应跟进" not in due_section(visit(web)[0])
        # when it is taken back
        raise RuntimeError("作废")
    # then the next visit shows the data as it is again
    assert "应跟进" in due_section(visit(web)[0])


@pytest.mark.django_db(transaction=True)
def test_an_update_that_matches_no_row_keeps_the_copy(web, overdue):
    # given the kept workbench
    visit(web)
    before = changes.snapshot().generation
    # when a job's sweep finds nothing to change (an UPDATE of no row), or changes a row
    Listing.objects.filter(pk=-1).update(price=1)
    assert changes.snapshot().generation == before
    assert visit(web)[1] == QUERIES_WHEN_KEPT
    Client.objects.filter(pk=overdue.pk).update(name="改了名")
    # then only the change moves the generation
    assert changes.snapshot().generation != before
    assert "改了名" in visit(web)[0]


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_moves_the_generation_and_a_rolled_back_one_does_not(web, overdue):
    # given the kept workbench
    visit(web)
    before = changes.snapshot().generation
    # when a write is rolled back
    with pytest.raises(RuntimeError), transaction.atomic():
        Client.objects.filter(pk=overdue.pk).update(next_follow_up_on=None)
        raise RuntimeError("作废")
    # then nothing changed: the kept copy is still shown, the client still due
    page, queries = visit(web)
    assert changes.snapshot().generation == before
    assert queries == QUERIES_WHEN_KEPT
    assert "应跟进" in due_section(page)
    # when the same write commits (as another process's would: the generation is a row of the database)
    with transaction.atomic():
        Client.objects.filter(pk=overdue.pk).update(next_follow_up_on=None)
    # then the generation has moved and the next visit shows the change
    assert changes.snapshot().generation != before
    page, _ = visit(web)
    assert "应跟进" not in due_section(page)
    assert "从未跟进" in due_section(page)


def test_a_deadline_passing_shows_without_any_write(web, registered):  # noqa: F811
    # given an item due in two minutes (well within how long a page is kept): an app shows it overdue
    # once its deadline has passed
    due = timezone.now() + dt.timedelta(minutes=2)

    def deadline(agent, day):
        late = timezone.now() >= due
        return ContributorResult(
            items=[
                WorkItem(
                    source="open_days",
                    kind="reply",
                    key="reply:1",
                    title="回复业主" + ("（已逾期）" if late else "（今天）"),
                    url="/",
                    urgency=Urgency.OVERDUE if late else Urgency.TODAY,
                    at=due,
                )
            ]
        )

    registered("open_days", deadline)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        visit(web)
        assert "回复业主（今天）" in visit(web)[0]
        # when the clock passes the deadline, nothing written
        clock.shift(dt.timedelta(minutes=3))
        # then the next visit shows it overdue
        assert "回复业主（已逾期）" in visit(web)[0]


def test_a_new_day_is_computed_afresh(web, registered):  # noqa: F811
    # given an app whose items are the day's
    registered("open_days", lambda agent, day: ContributorResult(items=[_item_of(day)]))
    with time_machine.travel(timezone.localtime().replace(hour=23, minute=50), tick=False) as clock:
        today = timezone.localdate()
        assert f"开放日 {today:%m-%d}" in visit(web)[0]
        assert visit(web)[1] == QUERIES_WHEN_KEPT
        # when midnight passes
        clock.shift(dt.timedelta(minutes=20))
        # then the next visit is the new day's
        assert f"开放日 {today + dt.timedelta(days=1):%m-%d}" in visit(web)[0]


def test_a_failed_section_is_not_kept(web, registered, settings):  # noqa: F811
    # given an app whose section fails once (a lock timeout), in production
    settings.WORKBENCH_RAISE_ERRORS = False
    calls = []

    def flaky(agent, day):
        calls.append(day)
        if len(calls) == 1:
            raise TimeoutError("lock timeout")
        return ContributorResult(items=[_item_of(day)])

    registered("open_days", flaky)
    assert "该部分暂时无法加载" in visit(web)[0]
    # when the agent loads the page again, nothing written meanwhile
    page, _ = visit(web)
    # then the section is asked again, and shows
    assert "该部分暂时无法加载" not in page
    assert "开放日" in page


def test_a_listing_turning_unverified_shows_without_any_write(web, agent):
    # given a listing verified just inside the company's freshness period
    days = agent.company.listing_fresh_days
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ListingFactory(
            agent=agent,
            property__community__name="万科城市花园",
            verified_at=timezone.now() - dt.timedelta(days=days) + dt.timedelta(minutes=1),
        )
        listings = visit(web)[0].split("最新挂牌")[1]
        assert "万科城市花园" in listings and "待核实" not in listings
        # when its verification grows too old, nothing written
        clock.shift(dt.timedelta(minutes=2))
        # then the next visit marks it 待核实
        assert "待核实" in visit(web)[0].split("最新挂牌")[1]


def _item_of(day: dt.date) -> WorkItem:
    return WorkItem(
        source="open_days",
        kind="day",
        key="day:1",
        title=f"开放日 {day:%m-%d}",
        url="/",
        urgency=Urgency.INFO,
        at=day,
    )


def test_a_kept_page_carries_this_visit_s_own_form_token(agent):
    # given a notice to tick off, and a browser whose forms are checked for their token
    notice = Notification.objects.create(agent=agent, text="周六店会", key="meeting")
    browser = HttpClient(enforce_csrf_checks=True)
    browser.force_login(agent.user)
    first = browser.get("/").content.decode()
    # when the page comes from the kept copy
    with CaptureQueriesContext(connection) as queries:
        page = browser.get("/").content.decode()
    assert len(queries) == QUERIES_WHEN_KEPT
    # then its forms carry a real token, which the form's answer accepts
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert tokens
    assert kept.CSRF_PLACEHOLDER not in page + first
    action = re.search(r'<form method="post" action="([^"]*notifications[^"]*)"', page).group(1)
    answer = browser.post(action, {"csrfmiddlewaretoken": tokens[0]})
    assert answer.status_code in (200, 302)
    notice.refresh_from_db()
    assert notice.read_at is not None


@pytest.mark.parametrize(
    ("sql", "counted"),
    [
        ('SELECT "clients_client"."id" FROM "clients_client"', False),
        ("(SELECT 1) UNION (SELECT 2)", False),
        ('SAVEPOINT "s1"', False),
        ('ROLLBACK TO SAVEPOINT "s1"', True),
        ('INSERT INTO "clients_client" ("name") VALUES (%s)', True),
        ('UPDATE "listings_listing" SET "price" = %s', True),
        ('DELETE FROM "showings_stop" WHERE id = %s', True),
        ('WITH moved AS (UPDATE "clients_client" SET x = 1 RETURNING id) SELECT * FROM moved', True),
        ('WITH recent AS (SELECT "updated_at" FROM "clients_client") SELECT * FROM recent', False),
        ('CREATE INDEX "x" ON "clients_client" ("name")', False),
        ('TRUNCATE "clients_client", "listings_listing"', True),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "anju_cache" (cache_key) VALUES (%s)', False),
    ],
)
def test_which_statements_count_as_writes(sql, counted):
    assert changes.writes(sql) is counted


def test_a_kept_workbench_ends_when_the_process_reads_the_calendar_table_again(agent):
    # given the working-time calendar's table as this process holds it (read again within a minute)
    workcalendar.forget_table()
    workcalendar.current_calendar()
    now = timezone.now()
    # then a workbench computed now is kept no longer than that copy
    until = Workbench(day=timezone.localdate(), items=[], figures=[], contributions=[]).valid_until(now)
    assert until is not None
    assert now < until <= now + dt.timedelta(seconds=61)
