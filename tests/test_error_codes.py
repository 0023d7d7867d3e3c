"""Error codes read ``<subject>_<problem>`` (decision 0002): ``kind_invalid``, never ``invalid_kind``."""

from __future__ import annotations

import re
from pathlib import Path

import anju

SOURCE = Path(anju.__file__).parent
WRONG_WAY_ROUND = re.compile(r"""code\s*=\s*["']invalid_\w*["']""")


def codes_the_wrong_way_round(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if WRONG_WAY_ROUND.search(line)
    ]


def test_no_error_code_starts_with_invalid():
    assert codes_the_wrong_way_round(SOURCE) == []


def test_the_check_finds_a_code_the_wrong_way_round(tmp_path):
    # the positive control: a planted code is found, with its file and line
    (tmp_path / "services.py").write_text(
        'raise ApplicationError("x", code="invalid_kind")\n', encoding="utf-8"
    )
    assert codes_the_wrong_way_round(tmp_path) == [
        'services.py:1: raise ApplicationError("x", code="invalid_kind")'
    ]
