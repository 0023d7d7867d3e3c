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


def test_no_template_leaves_a_unit_outside_its_figure():
    """``{{ price|money }}/㎡`` puts ㎡ outside the no-wrap span, free to wrap alone onto the next
    line on a phone: a price per ㎡ is written with ``|unit_price``, which keeps the unit inside."""
    import anju

    templates = list((Path(anju.__file__).parent / "web" / "templates").rglob("*.html"))
    # a positive control: the templates are found, and some do write a unit price the right way
    assert any("|unit_price }}" in path.read_text(encoding="utf-8") for path in templates)
    loose = [
        f"{path.name}: {line.strip()[:80]}"
        for path in templates
        for line in path.read_text(encoding="utf-8").splitlines()
        if "|money }}/㎡" in line or "|money }}㎡" in line
    ]
    assert loose == []
