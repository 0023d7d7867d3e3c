"""Figures on the pages stay on one line: the number filters mark them for ``.num { white-space: nowrap }``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template


@pytest.mark.parametrize(
    ("expression", "value", "shown"),
    [
        ("money", Decimal("12345.67"), "¥12,345.67"),
        ("wan", Decimal("1373000"), "137.3万"),
        ("area", Decimal("89.5"), "89.50㎡"),
        ("unit_price", Decimal("27443.4"), "27,443元/㎡"),
        ("rent", Decimal("3400"), "3,400元/月"),
    ],
)
def test_a_figure_is_kept_on_one_line(expression, value, shown):
    # when
    html = Template("{% load anju %}{{ value|" + expression + " }}").render(Context({"value": value}))
    # then
    assert html == f'<span class="num">{shown}</span>'


def test_the_stylesheet_keeps_figures_whole():
    # given
    css = Path(finders.find("anju/anju.css")).read_text(encoding="utf-8")
    # then
    assert ".num { white-space: nowrap; }" in css
