"""What a text field may hold: no control characters, no name that reads backwards or shows nothing."""

from __future__ import annotations

import pytest

from anju.core.errors import ApplicationError
from anju.core.text import clean_name, clean_text


@pytest.mark.parametrize("text", ["a\x00b", "a\x01b", "a\x1fb", "a\x7fb", "a\tb", "a\nb", "a\x0bb"])
def test_one_line_text_refuses_every_control_character(text):
    with pytest.raises(ApplicationError) as raised:
        clean_text(text, label="标题")
    assert raised.value.code == "text_control_character"
    assert "标题" in raised.value.message


def test_multi_line_text_keeps_tabs_and_line_breaks_and_refuses_the_rest():
    assert clean_text(" 第一行\r\n\t第二行 ", label="备注", multiline=True) == "第一行\n\t第二行"
    with pytest.raises(ApplicationError) as raised:
        clean_text("第一行\n\x00", label="备注", multiline=True)
    assert raised.value.code == "text_control_character"


def test_text_longer_than_allowed_is_refused():
    assert clean_text("长" * 5, label="标题", most=5) == "长" * 5
    with pytest.raises(ApplicationError) as raised:
        clean_text("长" * 6, label="标题", most=5)
    assert raised.value.code == "text_too_long"


def test_a_name_of_invisible_characters_only_is_empty():
    assert clean_name("\u200b\ufeff \u3000\u200d", label="姓名") == ""
    assert clean_name("\ufeff张三\u200b", label="姓名") == "张三"


@pytest.mark.parametrize("mark", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069"])
def test_a_name_with_a_direction_mark_is_refused(mark):
    with pytest.raises(ApplicationError) as raised:
        clean_name(f"张{mark}三", label="姓名")
    assert raised.value.code == "name_direction_character"
