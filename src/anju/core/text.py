"""Chinese text helpers: pinyin initials for search (``wkcshy`` finds 万科城市花园)."""

from __future__ import annotations


def pinyin_initials(text: str) -> str:
    """Lower-case initials of each character; letters and digits are kept as they are."""
    # Imported on first use: loading pypinyin's phrase dictionary takes about a second, which
    # every ``anju`` command paid at start-up, even ``anju help``.
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[0] for p in parts if p and p[0].isalnum()).lower()
