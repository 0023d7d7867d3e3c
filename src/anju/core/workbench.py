"""The workbench (工作台) as a composition: each app contributes the work it has for an agent and a day.

An app writes a ``workbench.py`` module with one contributor function and registers it from its
``AppConfig.ready()``; the workbench page asks :func:`collect` and never names the apps. The rules
(urgency, ordering, failures, the query count) are decision 0012.

This module imports no app: a contributor receives the agent as an opaque object.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anju.core.workcalendar import table_read_again_by

logger = logging.getLogger(__name__)


class Urgency(models.IntegerChoices):
    """How soon an item needs the agent, most urgent first (the order of the merged list)."""

    OVERDUE = 0, _("已逾期")  # its deadline has passed
    TODAY = 1, _("今日")  # due today
    SOON = 2, _("近期")  # wants attention in the coming days, no deadline yet
    INFO = 3, _("动态")  # news to read (new matches, notices, new listings)


@dataclass(frozen=True)
class WorkItem:
    """One thing on the agent's day.

    An item is open by being listed: a contributor yields only what is still to do, so an item
    disappears once its work is done (the follow-up recorded, the match approved). Where the agent
    may tick an item off without doing more, ``done_url`` is where the page POSTs to do so.
    """

    source: str  # the contributor's registered name, e.g. "clients"
    kind: str  # what sort of item within the source, e.g. "follow_up_due"
    key: str  # stable and unique within the source, e.g. "client:12"
    title: str
    url: str  # where the agent does the work
    urgency: Urgency
    at: dt.datetime | dt.date | None  # the deadline for due items; when it happened for INFO
    detail: str = ""
    note: str = ""  # a short line beside it: when it is due, when it last happened, a price
    badge: str = ""  # a short count, score or flag shown beside the title
    done_url: str = ""  # POST here to tick the item off; empty when doing the work is what ends it
    # Items of one source sharing a group are shown together (e.g. one client's new matches).
    group: str = ""  # the group's key, e.g. "client:12"
    group_title: str = ""
    group_url: str = ""
    # The row the item was made from, for a section template that shows more than the fields above.
    obj: Any = field(default=None, compare=False, repr=False)

    @property
    def is_due(self) -> bool:
        return self.urgency in (Urgency.OVERDUE, Urgency.TODAY)


@dataclass(frozen=True)
class Figure:
    """A summary number on the workbench (我的私客 12), linking to the list it counts."""

    key: str
    label: str | Promise
    value: int
    url: str
    order: int = 0
    more: bool = False  # counted up to ``value`` only, and there are more: shown "9999+"


@dataclass(frozen=True)
class ContributorResult:
    """What one contributor has for the agent's day."""

    items: Sequence[WorkItem] = ()
    figures: Sequence[Figure] = ()
    # How many items there are in all when ``items`` shows only the first ones ("另有 2 条").
    total: int | None = None
    # What the section's template needs besides the items (e.g. the channels of an approve form).
    context: Mapping[str, Any] = field(default_factory=dict)
    # When the contribution changes by the clock alone, when that is not at an item's deadline (the
    # page is kept until the database changes, the day ends or the first deadline passes: decision 0027).
    valid_until: dt.datetime | None = None


class Contributor(Protocol):
    def __call__(self, agent: Any, day: dt.date) -> ContributorResult: ...


@dataclass(frozen=True)
class Section:
    """A registered contributor and how its group of items is shown on the page."""

    name: str
    contributor: Contributor | Callable[[Any, dt.date], ContributorResult]
    order: int
    heading: str | Promise
    empty_text: str | Promise = ""
    # The template that renders this section's items; empty for the workbench's plain list.
    template: str = ""
    # "top": full width above the figures (notices, new matches); "main": the columns below them.
    band: str = "main"


_sections: dict[str, Section] = {}


def register(
    name: str,
    contributor: Contributor | Callable[[Any, dt.date], ContributorResult],
    *,
    order: int,
    heading: str | Promise,
    empty_text: str | Promise = "",
    template: str = "",
    band: str = "main",
) -> Section:
    """Adds a contributor under ``name`` (registering the same name again replaces it)."""
    if band not in ("top", "main"):
        raise ValueError(f"band must be 'top' or 'main', not {band!r}")
    section = Section(name, contributor, order, heading, empty_text, template, band)
    _sections[name] = section
    return section


def unregister(name: str) -> None:
    _sections.pop(name, None)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))


@dataclass
class Contribution:
    """One section's part of the collected workbench."""

    section: Section
    items: list[WorkItem]
    total: int
    context: Mapping[str, Any] = field(default_factory=dict)
    failed: bool = False
    valid_until: dt.datetime | None = None

    @property
    def template(self) -> str:
        """The section's own template; empty (the page's plain list) when it failed or has none."""
        return "" if self.failed else self.section.template

    @property
    def hidden(self) -> int:
        return self.total - len(self.items)


@dataclass
class Workbench:
    """Every contribution merged: ``items`` is the one ordered list, the rest are views of it."""

    day: dt.date
    items: list[WorkItem]
    figures: list[Figure]
    contributions: list[Contribution]

    @property
    def top(self) -> list[Contribution]:
        """The sections shown full width above the figures."""
        return [c for c in self.contributions if c.section.band == "top"]

    @property
    def main(self) -> list[Contribution]:
        """The sections shown in columns below the figures."""
        return [c for c in self.contributions if c.section.band == "main"]

    def valid_until(self, now: dt.datetime) -> dt.datetime | None:
        """The first instant after ``now`` at which the clock alone changes what is shown: an item's
        deadline passing (due becomes overdue), what a contributor declared, or the process reading
        the working-time calendar's table again. ``None``: nothing
        before the day ends; ``now`` itself when a section failed (not to be kept: the next visit
        tries again). A contribution reads the database, the agent and the day, and otherwise the
        clock only through these (decision 0027)."""
        if any(c.failed for c in self.contributions):
            return now
        instants = [c.valid_until for c in self.contributions if c.valid_until is not None]
        # The working-time calendar is read through the process's copy, up to a minute behind the table.
        if (calendar := table_read_again_by()) is not None:
            instants.append(calendar)
        instants += [i.at for i in self.items if isinstance(i.at, dt.datetime)]
        return min((at for at in instants if at > now), default=None)


def _instant(at: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(at, dt.datetime):
        return at
    return dt.datetime.combine(at, dt.time.min, tzinfo=timezone.get_current_timezone())


def _natural(key: str) -> tuple[Any, ...]:
    # "client:9" before "client:10"
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key))


def item_order(item: WorkItem) -> tuple[Any, ...]:
    """Urgency first; within a due level the earliest deadline first, within INFO the newest first;
    then the source and the key (the higher key first for INFO, later rows having higher ids), so
    the order is the same on every load."""
    ident = (item.source, *_natural(item.key))
    if item.at is None:
        return (item.urgency, 1, 0.0, ident)
    seconds = _instant(item.at).timestamp()
    if item.urgency == Urgency.INFO:
        return (item.urgency, 0, -seconds, tuple(_Descending(part) for part in ident))
    return (item.urgency, 0, seconds, ident)


class _Descending:
    """Wraps a key part so that sorting puts the greater first."""

    __slots__ = ("part",)

    def __init__(self, part: Any) -> None:
        self.part = part

    def __lt__(self, other: _Descending) -> bool:
        return bool(self.part > other.part)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.part == other.part

    __hash__ = None  # type: ignore[assignment]


def merge(items: Iterable[WorkItem]) -> list[WorkItem]:
    return sorted(items, key=item_order)


def _unavailable(section: Section) -> WorkItem:
    return WorkItem(
        source=section.name,
        kind="unavailable",
        key="unavailable",
        title=str(_("该部分暂时无法加载")),
        url="",
        urgency=Urgency.INFO,
        at=None,
    )


def _contribute(section: Section, agent: Any, day: dt.date) -> tuple[Contribution, Sequence[Figure]]:
    try:
        result = section.contributor(agent, day)
    except Exception:
        if settings.DEBUG or settings.WORKBENCH_RAISE_ERRORS:
            raise
        logger.exception("workbench contributor %r failed", section.name)
        return Contribution(section, [_unavailable(section)], 1, failed=True), ()
    items = merge(result.items)
    total = result.total if result.total is not None else len(items)
    return Contribution(section, items, total, result.context, valid_until=result.valid_until), result.figures


def collect(agent: Any, day: dt.date) -> Workbench:
    """Asks every registered contributor and merges what they have into one list.

    A contributor that fails is logged and shows as "该部分暂时无法加载" in its section, so one
    broken app does not blank the agent's day; with ``DEBUG`` or ``WORKBENCH_RAISE_ERRORS`` on (as
    in the tests) the error is raised instead.
    """
    contributions: list[Contribution] = []
    figures: list[Figure] = []
    for section in sections():
        contribution, section_figures = _contribute(section, agent, day)
        contributions.append(contribution)
        figures.extend(section_figures)
    return Workbench(
        day=day,
        items=merge(item for c in contributions for item in c.items),
        figures=sorted(figures, key=lambda f: (f.order, f.key)),
        contributions=contributions,
    )


def collect_one(name: str, agent: Any, day: dt.date) -> Contribution:
    """One section alone, for an htmx partial that refreshes just that section."""
    return _contribute(_sections[name], agent, day)[0]


@dataclass
class ItemGroup:
    key: str
    title: str
    url: str
    items: list[WorkItem]


def grouped(items: Iterable[WorkItem]) -> list[ItemGroup]:
    """Items by ``group``, each group where its first item is in the given order."""
    groups: dict[str, ItemGroup] = {}
    for item in items:
        group = groups.setdefault(item.group, ItemGroup(item.group, item.group_title, item.group_url, []))
        group.items.append(item)
    return list(groups.values())
