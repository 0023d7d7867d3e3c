"""The demo agency makes every report non-empty for its administrator, the last 30 days."""

from __future__ import annotations

from anju.org.models import Agent
from anju.reports.selectors import REPORTS, default_period, report_window
from tests.demo.demo_runs import run_demo

SMALL = ["--listings", "200", "--clients", "150"]


def test_every_report_has_figures_in_the_demo(db, frozen_day):
    # when the demo is made
    run_demo(*SMALL)
    # then each report of the administrator's default period has something in every figure
    admin = Agent.objects.get(role="admin")
    start, end = default_period()
    window = report_window(admin, start=start, end=end)
    for key, build in REPORTS.items():
        report = build(window)
        if key in ("funnel", "discipline", "efficiency", "commission"):
            empty = [f.key for f in report.figures if not f.value]
            assert not empty, (key, empty)
        else:  # complaints, referrals, tiers: some figures by cause, status or tier may be none
            assert any(f.value for f in report.figures), key
