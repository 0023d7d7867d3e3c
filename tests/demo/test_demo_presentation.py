"""The demo shows the seller side: listings whose showing reports are not empty, share links that
open without a login, open days ahead with sign-ups in the calendar; ``--reset`` removes them."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.utils import timezone

from anju.org.models import Agent
from anju.showings.agenda import agenda
from anju.showings.models import ListingShare, OpenDay, OpenDaySignup
from anju.showings.seller_report import showing_report
from tests.conftest import login
from tests.demo.demo_runs import run_demo


def test_the_demo_has_reports_share_links_and_open_days(db, frozen_day):
    # when
    run_demo("--listings", "600", "--clients", "400")
    # then: every shared listing has a report with showings, and its link opens for anyone
    shares = list(ListingShare.objects.select_related("listing", "agent"))
    assert shares
    for share in shares[:5]:
        assert showing_report(share.listing).figures.showings > 0
    assert HttpClient().get(f"/s/{shares[0].slug}/").status_code == 200
    # open days lie ahead, within capacity, and show on the organiser's calendar
    open_day = OpenDay.objects.select_related("agent").first()
    assert open_day is not None and open_day.starts_at > timezone.now()
    taken = OpenDaySignup.objects.filter(open_day=open_day).count()
    assert 1 <= taken <= open_day.capacity
    days = agenda(open_day.agent, first_day=timezone.localdate(), days=7)
    assert any(entry.open_day == open_day for day in days for entry in day.entries)
    # the organiser's report page for the listing is not empty
    page = login(open_day.agent).get(f"/listings/{open_day.listing_id}/showing-report/").content.decode()
    assert 'data-testid="report-empty"' not in page
    # and every field agent with a shared listing reaches it from their report
    assert Agent.objects.filter(pk__in=[s.agent_id for s in shares]).count() >= 3


def test_reset_removes_share_links_and_open_days(db, frozen_day):
    run_demo("--listings", "300", "--clients", "200")
    before = set(ListingShare.objects.values_list("slug", flat=True))
    run_demo("--listings", "300", "--clients", "200", "--reset")
    assert OpenDay.objects.exists()
    assert set(ListingShare.objects.values_list("listing__company__name", flat=True)) == {"安居地产"}
    assert OpenDaySignup.objects.filter(open_day__isnull=True).count() == 0
    assert before  # the first demo had links too
