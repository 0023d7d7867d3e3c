"""Contract templates as Word files: the shipped defaults, their placeholders, filling them in."""

from __future__ import annotations

import pytest

from anju.deals.contracts.build_templates import TEMPLATES, build, default_path
from anju.deals.contracts.documents import (
    TemplateUnreadable,
    render,
    template_placeholders,
    unknown_placeholders,
)
from anju.deals.contracts.variables import CONTRACT_VARIABLES, TemplateKind
from tests.deals.word import docx_with, text_of


@pytest.mark.parametrize("kind", TemplateKind.values)
def test_each_shipped_default_is_exactly_what_the_script_builds(kind: str) -> None:
    # given the default template in the repository
    shipped = default_path(kind).read_bytes()
    # when the script builds it again / then not one byte differs
    assert build(kind) == shipped
    assert set(TEMPLATES) == set(TemplateKind.values)


@pytest.mark.parametrize("kind", TemplateKind.values)
def test_each_default_uses_only_known_placeholders_and_ends_with_the_risk_notices(kind: str) -> None:
    # given a shipped default
    data = default_path(kind).read_bytes()
    # when its placeholders and text are read
    placeholders = template_placeholders(data)
    text = text_of(data)
    # then the deal can fill all of them, the core terms are there, and both sides are warned
    assert unknown_placeholders(data) == []
    assert {"price", "price_in_capitals", "address", "certificate_number", "breach_liability"} <= placeholders
    assert "风险提示" in text
    assert text.index("风险提示") > text.index("{{ breach_liability }}")


def test_a_placeholder_the_deal_cannot_fill_is_named() -> None:
    # given a template with one known and two unknown placeholders, and a loop of its own
    data = docx_with(
        "{{ price }} {{ buyer_wechat }}",
        "{%p for item in extras %}",
        "{{ item }}",
        "{%p endfor %}",
    )
    # when its placeholders are checked / then exactly the unknown ones are named, sorted
    assert unknown_placeholders(data) == ["buyer_wechat", "extras"]
    assert "price" in CONTRACT_VARIABLES


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7 not a word file", b"PK\x03\x04 broken zip", docx_with("{{ price ")]
)
def test_a_file_that_is_not_a_readable_template_is_refused(data: bytes) -> None:
    # given something that is not a usable Word template (while a real one reads fine)
    assert template_placeholders(docx_with("{{ price }}")) == {"price"}
    # when its placeholders are read / then it is refused as unreadable
    with pytest.raises(TemplateUnreadable):
        template_placeholders(data)


def test_filling_a_template_escapes_the_values() -> None:
    # given a template and values with characters special to Word's XML
    data = docx_with("买受人：{{ buyer_name }}", "成交价：{{ price }}（{{ price_in_capitals }}）")
    # when it is filled in
    filled = render(
        data,
        {"buyer_name": "张三&李四 <代理>", "price": "¥1,980,000.00", "price_in_capitals": "壹佰玖拾捌万元整"},
    )
    # then the document opens and reads exactly as given
    assert "买受人：张三&李四 <代理>" in text_of(filled)
    assert "成交价：¥1,980,000.00（壹佰玖拾捌万元整）" in text_of(filled)
