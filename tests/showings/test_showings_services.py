"""Feedback moves the match and the client's clocks; the signed confirmation never changes."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from anju.clients.models import InteractionKind
from anju.matching.models import Match, MatchStatus
from anju.matching.records.services import match_record_for_need
from anju.showings.models import ShowingConfirmation, ShowingStatus
from anju.showings.services import (
    FeedbackInput,
    confirmation_intact,
    showing_plan,
    showing_sign,
    stop_record_feedback,
)
from tests.showings.conftest import as_token, signature_b64, signature_png, today_at


@pytest.fixture
def showing(agent, buyer, need, homes):
    """This morning's showing of the near and middle homes, for the buyer's need."""
    with time_machine.travel(today_at(7), tick=False):
        return showing_plan(
            agent=agent,
            client=buyer,
            need=need,
            starts_at=today_at(9),
            listing_ids=[homes[1].pk, homes[2].pk],
        )


def stops_of(showing):
    return list(showing.stops.select_related("listing__property", "listing__community").order_by("order"))


@time_machine.travel(today_at(12), tick=False)
def test_feedback_moves_the_match_through_matchings_services(agent, showing, need, homes):
    # given the near home was recommended (新匹配) and the middle one never recorded as a match
    near, middle = stops_of(showing)
    match = match_record_for_need(need=need, listing=near.listing, by=agent)
    assert match.status == MatchStatus.NEW
    # when the client saw the near home, and said outright they like the middle one
    stop_record_feedback(stop=near, by=agent, value=FeedbackInput(outcome="shown", interest=3))
    stop_record_feedback(
        stop=middle,
        by=agent,
        value=FeedbackInput(outcome="shown", interest=5, liked=("采光", "户型"), verdict="liked"),
    )
    # then the near match is 已看房 and the middle one 喜欢
    match.refresh_from_db()
    assert match.status == MatchStatus.VIEWED
    assert Match.objects.get(need=need, listing=middle.listing).status == MatchStatus.LIKED
    # and with every stop recorded the showing is done
    showing.refresh_from_db()
    assert showing.status == ShowingStatus.DONE


@time_machine.travel(today_at(12), tick=False)
def test_feedback_schedules_tomorrows_follow_up_and_counts_as_contact(agent, buyer, showing):
    # given a client with no follow-up scheduled, last contacted a month ago
    type(buyer).objects.filter(pk=buyer.pk).update(
        next_follow_up_on=None, last_contact_at=timezone.now() - dt.timedelta(days=30)
    )
    near, _middle = stops_of(showing)
    # when the first stop's feedback is recorded
    stop_record_feedback(
        stop=near,
        by=agent,
        value=FeedbackInput(outcome="shown", interest=4, disliked=("噪音",), price_opinion="high"),
    )
    # then a 带看 follow-up is in the client's record at the stop's time, and tomorrow is scheduled
    buyer.refresh_from_db()
    assert buyer.next_follow_up_on == timezone.localdate() + dt.timedelta(days=1)
    assert buyer.last_contact_at == near.arrive_at
    interaction = buyer.interactions.get()
    assert interaction.kind == InteractionKind.SHOWING
    assert (
        "近邻小区" in interaction.summary and "噪音" in interaction.summary and "偏高" in interaction.summary
    )


@time_machine.travel(today_at(12), tick=False)
def test_an_earlier_follow_up_is_kept_and_a_later_one_brought_forward(agent, buyer, showing):
    # given the client's follow-up is already due today
    today = timezone.localdate()
    type(buyer).objects.filter(pk=buyer.pk).update(next_follow_up_on=today)
    near, middle = stops_of(showing)
    # when feedback is recorded
    stop_record_feedback(stop=near, by=agent, value=FeedbackInput(outcome="shown"))
    # then today's date stays (never moved later, never cleared)
    buyer.refresh_from_db()
    assert buyer.next_follow_up_on == today
    # and a follow-up scheduled next week is brought forward to tomorrow
    type(buyer).objects.filter(pk=buyer.pk).update(next_follow_up_on=today + dt.timedelta(days=7))
    stop_record_feedback(stop=middle, by=agent, value=FeedbackInput(outcome="shown"))
    buyer.refresh_from_db()
    assert buyer.next_follow_up_on == today + dt.timedelta(days=1)


@time_machine.travel(today_at(12), tick=False)
def test_a_no_show_records_no_opinion_and_no_contact(agent, buyer, showing):
    near, _middle = stops_of(showing)
    from anju.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        stop_record_feedback(stop=near, by=agent, value=FeedbackInput(outcome="no_show", interest=4))
    assert refused.value.code == "feedback_not_shown"
    stop_record_feedback(stop=near, by=agent, value=FeedbackInput(outcome="no_show"))
    assert not buyer.interactions.exists()
    assert near.feedback.outcome == "no_show"


@time_machine.travel(today_at(9, 30), tick=False)
def test_the_signed_confirmation_is_hashed_and_can_never_be_changed(agent, buyer, showing, homes):
    # given the client signs at the first stop
    confirmation = showing_sign(
        showing=showing, by=agent, client_name="王先生", signature_png=signature_png()
    )
    # then its hash covers the content and the image, and the stored file matches it
    assert len(confirmation.sha256) == 64
    assert confirmation_intact(confirmation)
    assert sorted(x.pk for x in confirmation.listings.all()) == sorted([homes[1].pk, homes[2].pk])
    assert "王先生" in confirmation.content
    # when anyone tries to change or delete the row
    confirmation.client_name = "别人"
    with pytest.raises(ValueError, match="不能修改"):
        confirmation.save()
    with pytest.raises(ValueError, match="不能删除"):
        ShowingConfirmation.objects.get(pk=confirmation.pk).delete()
    # then it is as signed
    stored = ShowingConfirmation.objects.get(pk=confirmation.pk)
    assert stored.client_name == "王先生" and confirmation_intact(stored)


@time_machine.travel(today_at(9, 30), tick=False)
def test_a_correction_is_a_new_record_pointing_to_the_old(agent, showing, homes):
    from anju.core.errors import ApplicationError

    first = showing_sign(showing=showing, by=agent, client_name="王先", signature_png=signature_png())
    # a second signing without naming what it corrects is refused
    with pytest.raises(ApplicationError) as refused:
        showing_sign(showing=showing, by=agent, client_name="王先生", signature_png=signature_png())
    assert refused.value.code == "confirmation_exists"
    # a correction names the old one and why
    second = showing_sign(
        showing=showing,
        by=agent,
        client_name="王先生",
        signature_png=signature_png(),
        supersedes=first,
        correction_reason="姓名写错",
    )
    assert second.supersedes == first and second.pk != first.pk
    first_again = ShowingConfirmation.objects.get(pk=first.pk)
    assert first_again.client_name == "王先" and first_again.superseded_by == second
    assert first.sha256 != second.sha256


@time_machine.travel(today_at(9, 30), tick=False)
def test_a_blank_signature_is_refused(agent, showing):
    from anju.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        showing_sign(
            showing=showing, by=agent, client_name="王先生", signature_png=signature_png(stroke=False)
        )
    assert refused.value.code == "signature_blank"
    assert not ShowingConfirmation.objects.exists()


@time_machine.travel(today_at(9, 30), tick=False)
def test_no_endpoint_changes_a_signed_confirmation(agent, showing):
    # given a confirmation signed through the API
    api = as_token(agent)
    url = f"/api/v1/showings/{showing.pk}/confirmations"
    created = api.post(
        url,
        {"client_name": "王先生", "signature_png_base64": signature_b64()},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["intact"] is True
    # when every other method is tried on the collection and a second plain signing is posted
    for method in ("put", "patch", "delete"):
        response = getattr(api, method)(url, {"client_name": "别人"}, content_type="application/json")
        assert response.status_code == 405
    again = api.post(
        url,
        {"client_name": "别人", "signature_png_base64": base64.b64encode(signature_png()).decode()},
        content_type="application/json",
    )
    # then it is refused, and the record reads as signed
    assert again.status_code == 400 and again.json()["code"] == "confirmation_exists"
    (listed,) = api.get(url).json()
    assert listed["client_name"] == "王先生" and listed["sha256"] == body["sha256"] and listed["intact"]


@time_machine.travel(today_at(9, 30), tick=False)
def test_the_admin_shows_a_signed_confirmation_but_cannot_change_or_delete_it(agent, showing):
    from django.contrib.auth import get_user_model
    from django.test import Client as HttpClient

    # given a signed confirmation and a superuser
    confirmation = showing_sign(
        showing=showing, by=agent, client_name="王先生", signature_png=signature_png()
    )
    operator = HttpClient()
    operator.force_login(
        get_user_model().objects.create_superuser("operator", "op@example.com", "x-Secret-2026")
    )
    url = f"/admin/showings/showingconfirmation/{confirmation.pk}"
    # when the operator opens it, then tries to change and to delete it
    shown = operator.get(f"{url}/change/")
    changed = operator.post(f"{url}/change/", {"client_name": "别人"})
    deleted = operator.post(f"{url}/delete/", {"post": "yes"})
    # then it is shown, and nothing changed
    assert shown.status_code == 200 and "王先生" in shown.content.decode()
    assert changed.status_code == 403 and deleted.status_code == 403
    assert ShowingConfirmation.objects.get(pk=confirmation.pk).client_name == "王先生"
