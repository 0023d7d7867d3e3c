"""README: it links the user guide that ships with Anju, and says plainly what is not built yet."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_links_the_guide_in_both_languages():
    # given
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # when
    links = set(re.findall(r"\]\(([^)]*guide/[^)]*\.md)\)", readme))
    # then
    assert {Path(link).name for link in links} == {"zh.md", "en.md"}
    assert all((ROOT / link).is_file() for link in links)


def test_the_readme_says_what_is_not_built_yet():
    # given
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # then
    assert "Not built yet" in readme and "还没有做" in readme
