"""What the finance tests share: the packaged rule book, and a data directory of one's own for overlays."""

from __future__ import annotations

from pathlib import Path

import pytest

from anju.finance.rules import OVERLAY_DIRNAME, RuleBook, rule_book


@pytest.fixture
def overlay(settings, tmp_path) -> Path:
    """The ``finance-rules`` folder of a fresh data directory: files written here are read as overlays."""
    settings.DATA_DIR = tmp_path
    folder = tmp_path / OVERLAY_DIRNAME
    folder.mkdir()
    return folder


@pytest.fixture
def book(settings, tmp_path) -> RuleBook:
    """The packaged rules only (no overlay in this test's data directory)."""
    settings.DATA_DIR = tmp_path
    return rule_book()
