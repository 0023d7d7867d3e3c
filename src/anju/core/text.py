"""Chinese text helpers: what a text field may hold, and pinyin initials for search."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError

# Control characters no field stores: NUL, \x01–\x1f and DEL. Multi-line text keeps tab and newline
# (a browser's textarea sends \r\n, which becomes \n); a one-line field keeps neither.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Characters that show nothing: a name made only of them (and spaces) is no name.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
# Characters that reverse how the rest of a line reads: a name with one can pass for another name.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def has_control_character(text: str, *, multiline: bool = False) -> bool:
    return bool((_CONTROL_MULTILINE if multiline else _CONTROL).search(text))


def clean_text(value: object, *, label: str, multiline: bool = False, most: int | None = None) -> str:
    """The text as stored: stripped of surrounding spaces and invisible characters; refused if it holds
    a control character or is longer than ``most``."""
    text = str(value or "")
    if multiline:
        text = text.replace("\r\n", "\n")
    text = text.strip().strip(INVISIBLE).strip()
    if has_control_character(text, multiline=multiline):
        raise ApplicationError(
            _("%(label)s含有无法显示的控制字符，请删除后再保存。") % {"label": label},
            code="text_control_character",
        )
    if most is not None and len(text) > most:
        raise ApplicationError(
            _("%(label)s最多 %(most)s 个字。") % {"label": label, "most": most}, code="text_too_long"
        )
    return text


def clean_name(value: object, *, label: str, most: int | None = None) -> str:
    """A person's or a place's name: :func:`clean_text`, refusing characters that change the reading
    direction. A name of invisible characters only comes back empty, for the caller to require."""
    text = clean_text(value, label=label, most=most)
    if _BIDI.search(text):
        raise ApplicationError(
            _("%(label)s含有改变文字方向的字符，请删除后再保存。") % {"label": label},
            code="name_direction_character",
        )
    return text


def pinyin_initials(text: str) -> str:
    """Lower-case initials of each character; letters and digits are kept as they are."""
    # Imported on first use: loading pypinyin's phrase dictionary takes about a second, which
    # every ``anju`` command paid at start-up, even ``anju help``.
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[0] for p in parts if p and p[0].isalnum()).lower()
