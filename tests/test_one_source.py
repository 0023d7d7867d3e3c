"""Each fact is defined once (issue: one source for each fact): the fen and the 万 in
``core.formats``, the in-play statuses in ``listings.status``, the unit price in ``listings.figures``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import anju

SOURCE = Path(anju.__file__).parent

# (what, where it may be defined, a pattern that is a definition or a copy of it)
FACTS = [
    ("FEN", "core/formats.py", re.compile(r"^\s*_?FEN\s*=|^\s*\w+\s*=\s*Decimal\(\"0\.01\"\)\s*$")),
    ("WAN", "core/formats.py", re.compile(r"^\s*_?WAN\s*=|Decimal\(10_?000\)")),
    (
        "the in-play statuses",
        "listings/status.py",
        re.compile(r"ListingStatus\.ACTIVE(\.value)?, ListingStatus\.RESERVED|\"active\", \"reserved\"\)"),
    ),
    (
        "the unit price",
        "listings/figures.py",
        re.compile(r"\(?price / (\w+\.)?area\)?\.quantize|to_fen\(price / "),
    ),
]


def copies(root: Path, home: str, pattern: re.Pattern[str]) -> list[str]:
    return [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts and path.relative_to(root).as_posix() != home
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]


@pytest.mark.parametrize(("fact", "home", "pattern"), FACTS, ids=[fact for fact, _home, _pattern in FACTS])
def test_the_fact_is_defined_only_in_its_home(fact, home, pattern):
    assert copies(SOURCE, home, pattern) == []
    assert copies(SOURCE, "", pattern)  # the positive control: the home itself is found


def test_a_planted_copy_is_found(tmp_path):
    (tmp_path / "views.py").write_text(
        'WAN = Decimal(10000)\nIN_PLAY = ("active", "reserved")\n', encoding="utf-8"
    )
    assert copies(tmp_path, "", FACTS[1][2]) == ["views.py:1"]
    assert copies(tmp_path, "", FACTS[2][2]) == ["views.py:2"]
