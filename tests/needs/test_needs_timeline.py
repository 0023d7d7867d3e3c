"""The needs' words in the client's timeline."""

from __future__ import annotations

from anju.needs.timeline import status_change_text


def test_status_change_text():
    assert (
        status_change_text("buy", "active", "paused", "客户出差一个月")
        == "购房需求：进行中 → 暂停（客户出差一个月）"
    )
    assert status_change_text("let", "given_up", "active") == "出租需求：已放弃 → 进行中"
