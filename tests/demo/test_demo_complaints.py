"""The demo agency has complaints in several states, one escalated and one overdue, to try."""

from __future__ import annotations

from django.urls import reverse

from anju.complaints.models import Alarm, Complaint
from anju.org.models import Agent
from tests.conftest import login
from tests.demo.demo_runs import run_demo

SMALL = ["--listings", "200", "--clients", "150"]


def test_the_demo_has_complaints_and_the_manager_sees_the_escalated_one(db, frozen_day):
    run_demo(*SMALL)

    states = set(Complaint.objects.values_list("status", flat=True))
    assert {"closed", "resolved", "acknowledged", "received"} <= states
    assert Alarm.objects.filter(level="admin", raised_at__isnull=False).exists()
    manager = Agent.objects.get(user__username="wanglei")
    page = login(manager).get(reverse("web:workbench")).content.decode()
    assert 'data-section="complaints"' in page and "已升级" in page
    review = login(manager).get(reverse("web:complaint_review_month") + "?month=2025-06")
    assert review.status_code == 200
