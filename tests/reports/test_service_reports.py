"""The complaint, referral and tier reports: figures counted by hand, each equal to its list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anju.care.services import tiers_recompute
from anju.referrals.services import referral_record
from anju.reports.selectors import (
    complaints_report,
    measure_records,
    referrals_report,
    report_window,
    tiers_report,
)
from tests.complaints.conftest import record as record_complaint
from tests.reports.world import NOVEMBER

pytestmark = pytest.mark.django_db


def agree(window, report) -> dict:
    for figure in report.figures:
        records = list(measure_records(window, figure.measure, part=figure.part))
        assert figure.count == len(records), figure.key
    return {f.key: f.value for f in report.figures}


def test_complaints_referrals_and_tiers_agree_with_their_lists(world, manager, agent):
    # given: two complaints five days old (neither acknowledged: both past the deadline to answer),
    # a partner's referral of the buyer who signed, and the nightly tiers
    for _n in range(2):
        record_complaint(agent, world.sold.buyer, received_at=timezone.now() - dt.timedelta(days=5))
    referral_record(by=agent, referred=world.sold.buyer, referrer_kind="partner", referrer_name="物业王经理")
    tiers_recompute(company_id=agent.company_id)
    start, end = NOVEMBER
    window = report_window(manager, start=start, end=end)
    # then
    complaints = agree(window, complaints_report(window))
    assert complaints["complaints"] == 2
    assert complaints["complaints_ack_late"] == 2 and complaints["complaints_in_time"] == 0
    referrals = agree(window, referrals_report(window))
    assert referrals["referrals"] == 1 and referrals["referrals_converted"] == 1
    tiers = agree(window, tiers_report(window))
    assert sum(tiers.values()) == len(measure_records(window, "tier_changes")) > 0
