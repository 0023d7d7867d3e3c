"""Is this new community one the dictionary already has? (One community is one record.)

Agents write the same place many ways: 万科城市花园, 万科城市花园小区, 万科·城市花园, 武汉万科城市花园.
A name is reduced to a key — its *core* (without punctuation, the city in front and generic words
such as 小区 or 花园 at the end), its *phase* (二期, 14区, A区) and the pinyin initials of the core —
and two names are alike when their cores or their initials are equal and their phases do not
contradict each other: 万科城市花园 is like 万科城市花园二期 (the new record may be the whole estate),
but 二期 is not like 三期, and 万科城市花园 is not like 万科城市之光.

Pure functions (no ORM); the service passes in the company's communities and their aliases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from anju.core.text import pinyin_initials

# Words that say "a residential estate" rather than which one. Longest first. 花园 is here because
# people add and drop it (万科城市 / 万科城市花园); 家园, 苑, 府 are kept: they are part of names.
GENERIC_SUFFIXES = ("住宅小区", "居住小区", "住宅区", "生活区", "居住区", "小区", "社区", "花园")
# A core shorter than this is no longer a name (花园小区 stays 花园), so the suffix is kept.
MIN_CORE_CHARS = 2
# Shorter initials match too many unrelated names (光谷城, 国贸城 are both "ggc"-like).
MIN_INITIALS = 3

SAME_NAME = "same_name"
SAME_INITIALS = "same_initials"
ALIAS = "alias"
_REASON_ORDER = {SAME_NAME: 0, ALIAS: 1, SAME_INITIALS: 2}

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_PHASE = re.compile(r"第?([零〇一二两三四五六七八九十百]+|\d+|[a-z]|[东南西北])(期|区)$")


@dataclass(frozen=True)
class NameKey:
    core: str
    phase: str
    initials: str


@dataclass(frozen=True)
class KnownCommunity:
    """A community already in the dictionary, with the other names it goes by."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Similar:
    id: int
    name: str
    reason: str  # SAME_NAME, ALIAS or SAME_INITIALS
    matched: str  # the existing name or alias that matched


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, and only letters, digits and CJK characters kept."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if ch.isalnum())


def chinese_number(text: str) -> int | None:
    """二 → 2, 十四 → 14, 二十 → 20, 二十三 → 23, 一百 → 100; None when it is not such a number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch]
    return total + current


def name_key(name: str, *, place_prefixes: Sequence[str] = ()) -> NameKey:
    """The comparable parts of a community name."""
    text = normalise(name)
    for prefix in sorted((normalise(p) for p in place_prefixes if p), key=len, reverse=True):
        if text.startswith(prefix) and len(text) - len(prefix) >= MIN_CORE_CHARS:
            text = text[len(prefix) :]
            break
    phase = ""
    changed = True
    while changed:
        changed = False
        match = _PHASE.search(text)
        if match and len(text) - len(match.group(0)) >= MIN_CORE_CHARS:
            number = chinese_number(match.group(1))
            label = str(number) if number is not None else match.group(1)
            phase = phase or f"{label}{match.group(2)}"
            text = text[: match.start()]
            changed = True
        for suffix in GENERIC_SUFFIXES:
            if text.endswith(suffix) and len(text) - len(suffix) >= MIN_CORE_CHARS:
                text = text[: -len(suffix)]
                changed = True
                break
    return NameKey(core=text, phase=phase, initials=pinyin_initials(text))


def alike(a: NameKey, b: NameKey) -> str | None:
    """SAME_NAME or SAME_INITIALS when two keys name the same place, None when they do not."""
    if not a.core or not b.core:
        return None
    if a.phase and b.phase and a.phase != b.phase:
        return None
    if a.core == b.core:
        return SAME_NAME
    if len(a.initials) >= MIN_INITIALS and a.initials == b.initials:
        return SAME_INITIALS
    return None


def find_similar(
    name: str,
    known: Iterable[KnownCommunity],
    *,
    aliases: Sequence[str] = (),
    place_prefixes: Sequence[str] = (),
) -> list[Similar]:
    """Known communities that ``name`` (or one of its ``aliases``) probably is, best reason first."""
    new_keys = [name_key(n, place_prefixes=place_prefixes) for n in (name, *aliases) if n.strip()]
    found: list[Similar] = []
    for community in known:
        best: Similar | None = None
        names = [(community.name, False)] + [(a, True) for a in community.aliases]
        for existing, is_alias in names:
            existing_key = name_key(existing, place_prefixes=place_prefixes)
            for index, new_key in enumerate(new_keys):
                reason = alike(new_key, existing_key)
                if reason is None:
                    continue
                # A match through an alias on either side is reported as such, unless it is a
                # plain same-initials coincidence.
                if (is_alias or index > 0) and reason == SAME_NAME:
                    reason = ALIAS
                candidate = Similar(id=community.id, name=community.name, reason=reason, matched=existing)
                if best is None or _REASON_ORDER[reason] < _REASON_ORDER[best.reason]:
                    best = candidate
        if best is not None:
            found.append(best)
    found.sort(key=lambda s: (_REASON_ORDER[s.reason], s.name, s.id))
    return found
