"""Template filters for how people read numbers here: {{ x|money }}, {{ d|cn_date }}, {{ a|area }}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from anju.core import formats, workbench

register = template.Library()


def _figure(format_number: Callable[[Any], str]) -> Callable[[Any], SafeString]:
    """A figure kept on one line (``.num``): ¥12,345.67 never breaks mid-number, ㎡ never wraps alone."""

    def render(value: Any) -> SafeString:
        return format_html('<span class="num">{}</span>', format_number(value))

    return render


register.filter("money", _figure(formats.format_money))
register.filter("wan", _figure(formats.format_wan))
register.filter("cn_date", formats.format_date)
register.filter("cn_datetime", formats.format_datetime)
register.filter("area", _figure(formats.format_area))
register.filter("mask_mobile", formats.mask_mobile)
register.filter("grouped", workbench.grouped)
register.filter("unit_price", _figure(formats.format_unit_price))
register.filter("rent", _figure(formats.format_rent))


@register.filter
def phone_link(number: str | None) -> SafeString | str:
    """A number the viewer may see in full is a tap-to-call link; a masked one (138****5678) is not."""
    if not number:
        return "—"
    if "*" in number:
        return number
    dial = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return format_html('<a class="text-nowrap" href="tel:{}">{}</a>', dial, number)
