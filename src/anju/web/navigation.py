"""The main navigation: one entry per part of the work, in the order agents move through it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: StrOrPromise
    url_name: str
    icon: str


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("workbench", _("工作台"), "web:workbench", "⌂"),
    NavItem("clients", _("客户"), "web:clients", "☺"),
    NavItem("listings", _("房源"), "web:listings", "▦"),
    NavItem("market", _("行情"), "web:market", "↗"),
    NavItem("showings", _("带看"), "web:showings", "➜"),
    NavItem("deals", _("交易"), "web:deals", "✎"),
    NavItem("calculators", _("计算器"), "web:calculators", "∑"),
    NavItem("care", _("客户服务"), "web:care", "♡"),
    NavItem("reports", _("报表"), "web:reports", "▤"),
    NavItem("settings", _("设置"), "web:settings", "⚙"),
)
