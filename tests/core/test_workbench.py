"""The workbench protocol: one list ordered by urgency and time, filled by whatever is registered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from anju.core import workbench
from anju.core.workbench import ContributorResult, Urgency, WorkItem, collect, grouped, merge

DAY = dt.date(2026, 12, 1)


def item(
    key: str, urgency: Urgency, at: dt.datetime | dt.date | None, source: str = "test", group: str = ""
) -> WorkItem:
    return WorkItem(source=source, kind="k", key=key, title=key, url="", urgency=urgency, at=at, group=group)


def at(hour: int, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def test_items_come_most_urgent_first_then_earliest_deadline_first():
    # given
    items = [
        item("later-today", Urgency.TODAY, at(17)),
        item("news", Urgency.INFO, at(9)),
        item("soon", Urgency.SOON, DAY + dt.timedelta(days=2)),
        item("overdue-yesterday", Urgency.OVERDUE, DAY - dt.timedelta(days=1)),
        item("overdue-last-week", Urgency.OVERDUE, DAY - dt.timedelta(days=7)),
        item("early-today", Urgency.TODAY, at(9)),
        item("today-all-day", Urgency.TODAY, DAY),  # a date reads as the start of that day
    ]
    # when
    ordered = [i.key for i in merge(items)]
    # then
    assert ordered == [
        "overdue-last-week",
        "overdue-yesterday",
        "today-all-day",
        "early-today",
        "later-today",
        "soon",
        "news",
    ]


def test_news_comes_newest_first_and_ties_fall_back_to_the_newer_key():
    # given
    items = [
        item("notice:9", Urgency.INFO, at(9)),
        item("notice:10", Urgency.INFO, at(9)),
        item("notice:2", Urgency.INFO, at(11)),
        item("undated", Urgency.INFO, None),
    ]
    # when
    ordered = [i.key for i in merge(items)]
    # then
    assert ordered == ["notice:2", "notice:10", "notice:9", "undated"]


def test_due_items_with_the_same_deadline_keep_a_stable_order_by_key():
    items = [item("client:10", Urgency.TODAY, DAY), item("client:9", Urgency.TODAY, DAY)]
    assert [i.key for i in merge(items)] == ["client:9", "client:10"]
    assert [i.key for i in merge(reversed(items))] == ["client:9", "client:10"]


def test_grouping_keeps_each_group_where_its_first_item_is():
    # given
    items = [
        item("a", Urgency.INFO, None, group="x"),
        item("b", Urgency.INFO, None, group="y"),
        item("c", Urgency.INFO, None, group="x"),
    ]
    # when
    groups = grouped(items)
    # then
    assert [(g.key, [i.key for i in g.items]) for g in groups] == [("x", ["a", "c"]), ("y", ["b"])]


@pytest.fixture
def registered():
    """Registers test contributors, and afterwards puts the registry back as it was, whatever the
    test did: the apps' own sections serve the rest of the process's tests (a browser test's live
    server included), so one this test replaced or removed must come back."""
    before = workbench.sections()

    def add(name: str, contributor, **options):
        options.setdefault("order", 99)
        options.setdefault("heading", name)
        return workbench.register(name, contributor, **options)

    yield add
    for section in workbench.sections():
        workbench.unregister(section.name)
    for section in before:
        workbench.register(
            section.name,
            section.contributor,
            order=section.order,
            heading=section.heading,
            empty_text=section.empty_text,
            template=section.template,
            band=section.band,
        )


def test_a_registered_contributor_is_merged_into_the_one_list(registered, agent):
    # given a contributor no view knows about, with something overdue
    overdue = item("open_day:1", Urgency.OVERDUE, DAY - dt.timedelta(days=1), source="open_days")
    registered("open_days", lambda agent, day: ContributorResult(items=[overdue]))
    # when
    bench = collect(agent, DAY)
    # then it heads the merged list, and has its own section
    assert bench.items[0] == overdue
    assert [part.items for part in bench.contributions if part.section.name == "open_days"] == [[overdue]]


def test_an_unregistered_contributor_is_gone(registered, agent):
    # given
    registered("open_days", lambda agent, day: ContributorResult(items=[item("x", Urgency.INFO, None)]))
    assert "open_days" in [part.section.name for part in collect(agent, DAY).contributions]
    # when
    workbench.unregister("open_days")
    # then
    assert "open_days" not in [part.section.name for part in collect(agent, DAY).contributions]


def broken(agent, day):
    raise RuntimeError("the showings table is missing")


def test_a_failing_contributor_raises_in_tests_and_development(registered, agent):
    registered("broken", broken)
    with pytest.raises(RuntimeError):
        collect(agent, DAY)


@override_settings(WORKBENCH_RAISE_ERRORS=False, DEBUG=False)
def test_in_production_a_failing_contributor_says_so_and_the_rest_still_shows(registered, agent, caplog):
    # given
    registered("broken", broken)
    fine = item("fine", Urgency.TODAY, DAY)
    registered("fine", lambda agent, day: ContributorResult(items=[fine]))
    # when
    bench = collect(agent, DAY)
    # then
    parts = {part.section.name: part for part in bench.contributions}
    assert parts["broken"].failed
    assert [i.title for i in parts["broken"].items] == ["该部分暂时无法加载"]
    assert parts["fine"].items == [fine]
    assert "workbench contributor 'broken' failed" in caplog.text


def test_the_band_must_be_one_the_page_knows():
    with pytest.raises(ValueError, match="band"):
        workbench.register("x", broken, order=1, heading="x", band="sidebar")
