"""Template filters for how people read numbers here: {{ x|money }}, {{ d|cn_date }}, {{ a|area }}."""

from __future__ import annotations

from django import template

from anju.core import formats, workbench

register = template.Library()

register.filter("money", formats.format_money)
register.filter("wan", formats.format_wan)
register.filter("cn_date", formats.format_date)
register.filter("cn_datetime", formats.format_datetime)
register.filter("area", formats.format_area)
register.filter("mask_mobile", formats.mask_mobile)
register.filter("grouped", workbench.grouped)
