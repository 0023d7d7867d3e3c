"""The demo's showings: past ones with feedback and a signed, intact confirmation; upcoming ones,
some still to confirm; and ``--reset`` removes them with the rest of the demo company."""

from __future__ import annotations

from django.utils import timezone

from anju.org.models import Store
from anju.showings.models import Showing, ShowingConfirmation, ShowingStatus, Stop, StopFeedback
from anju.showings.services import confirmation_intact
from tests.demo.demo_runs import run_demo


def test_the_demo_has_past_showings_with_feedback_and_upcoming_ones(db, frozen_day):
    # when
    run_demo("--listings", "600", "--clients", "400")
    # then every store starts showings from its coordinates
    assert not Store.objects.filter(latitude__isnull=True).exists()
    now = timezone.now()
    past = Showing.objects.filter(starts_at__lt=now)
    ahead = Showing.objects.filter(starts_at__gt=now)
    assert past.count() >= 10 and ahead.count() >= 3
    assert {s.status for s in past} == {ShowingStatus.DONE}
    assert {s.status for s in ahead} == {ShowingStatus.PLANNED}
    # past stops all have feedback, and each past showing a signed confirmation that verifies
    assert not Stop.objects.filter(showing__in=past, feedback__isnull=True).exists()
    assert StopFeedback.objects.filter(outcome="shown", interest__isnull=False).exists()
    for confirmation in ShowingConfirmation.objects.all()[:5]:
        assert confirmation_intact(confirmation)
    assert ShowingConfirmation.objects.count() == past.count()
    # some of the upcoming stops are still to confirm (the workbench reminds the agent)
    upcoming = Stop.objects.filter(showing__in=ahead)
    assert upcoming.filter(confirmed_at__isnull=True).exists()
    assert upcoming.filter(confirmed_at__isnull=False).exists()
    # and no agent is out on two showings at once
    for showing in Showing.objects.all():
        assert (
            not Showing.objects.filter(
                agent=showing.agent, starts_at__lt=showing.ends_at, ends_at__gt=showing.starts_at
            )
            .exclude(pk=showing.pk)
            .exists()
        )


def test_reset_removes_the_demo_showings(db, frozen_day):
    # given
    run_demo("--listings", "300", "--clients", "200")
    assert Showing.objects.exists()
    # when
    run_demo("--listings", "300", "--clients", "200", "--reset")
    # then the new demo has its own showings, none left over
    assert Showing.objects.exists()
    assert ShowingConfirmation.objects.filter(showing__company__name="安居地产").count() == (
        ShowingConfirmation.objects.count()
    )
