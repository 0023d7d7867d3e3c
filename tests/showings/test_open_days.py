"""开放日 (open viewings): several clients in one slot for a listing, with sign-ups — API and page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anju.showings.models import OpenDay, OpenDaySignup
from tests.conftest import login
from tests.factories import ClientFactory, ListingFactory
from tests.showings.seller_data import visit

API = "/api/v1/showings/open-days"


def slot(days: int = 2, hour: int = 10, hours: int = 2) -> tuple[str, str]:
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=days
    )
    return start.isoformat(), (start + dt.timedelta(hours=hours)).isoformat()


@pytest.fixture
def listing(agent):
    return ListingFactory(agent=agent, verified_at=timezone.now(), property__community__name="东湖花园")


def schedule(web, listing, *, capacity: int = 2, days: int = 2, hour: int = 10):
    starts_at, ends_at = slot(days, hour)
    return web.post(
        API,
        {"listing_id": listing.pk, "starts_at": starts_at, "ends_at": ends_at, "capacity": capacity},
        content_type="application/json",
    )


def sign_up(web, open_day_id: int, client):
    return web.post(f"{API}/{open_day_id}/signups", {"client_id": client.pk}, content_type="application/json")


def test_an_open_day_takes_sign_ups_up_to_its_capacity(web, agent, listing):
    # given
    created = schedule(web, listing, capacity=2)
    assert created.status_code == 201, created.content
    open_day = created.json()
    first, second, third = (ClientFactory(owner=agent) for _ in range(3))
    # when
    sign_up(web, open_day["id"], first)
    after_two = sign_up(web, open_day["id"], second)
    full = sign_up(web, open_day["id"], third)
    # then
    assert after_two.status_code == 201 and after_two.json()["taken"] == 2
    assert full.status_code == 400 and full.json()["code"] == "open_day_full"
    assert "名额已满" in full.json()["message"] and full.json()["details"] == {"capacity": 2}
    assert OpenDaySignup.objects.count() == 2


def test_a_client_signs_up_once_and_may_again_after_cancelling(web, agent, listing):
    # given
    open_day = schedule(web, listing).json()
    client = ClientFactory(owner=agent, name="李买家")
    signup_id = sign_up(web, open_day["id"], client).json()["signups"][0]["id"]
    # when
    twice = sign_up(web, open_day["id"], client)
    cancelled = web.post(f"{API}/{open_day['id']}/signups/{signup_id}/cancel")
    again = sign_up(web, open_day["id"], client)
    # then
    assert twice.status_code == 400 and twice.json()["code"] == "open_day_client_signed_up"
    assert "李买家已报名" in twice.json()["message"]
    assert cancelled.status_code == 200 and cancelled.json()["taken"] == 0
    assert again.status_code == 201 and again.json()["taken"] == 1
    assert web.post(f"{API}/{open_day['id']}/signups/{signup_id}/cancel").json()["code"] == (
        "open_day_signup_cancelled"
    )


def test_a_cancelled_open_day_takes_no_more_sign_ups(web, agent, listing):
    open_day = schedule(web, listing).json()
    assert web.post(f"{API}/{open_day['id']}/cancel").json()["status"] == "cancelled"
    refused = sign_up(web, open_day["id"], ClientFactory(owner=agent))
    assert refused.status_code == 400 and refused.json()["code"] == "open_day_cancelled"


def test_off_market_stale_past_and_overlapping_slots_are_refused(web, agent, listing):
    # off the market
    reserved = ListingFactory(agent=agent, verified_at=timezone.now(), status="reserved")
    answer = schedule(web, reserved)
    assert answer.status_code == 400 and answer.json()["code"] == "open_day_listing_unavailable"
    assert answer.json()["details"] == {"listing_id": reserved.pk}
    # stale
    stale = ListingFactory(agent=agent, verified_at=None)
    assert schedule(web, stale).json()["code"] == "open_day_listing_stale"
    # in the past
    assert schedule(web, listing, days=-1).json()["code"] == "open_day_in_past"
    # the same listing twice at once: a conflict naming the other open day
    first = schedule(web, listing).json()
    clash = schedule(web, listing, hour=11)
    assert clash.status_code == 409 and clash.json()["code"] == "conflict"
    assert f"#{first['id']}" in clash.json()["message"]
    assert OpenDay.objects.count() == 1


def test_the_organiser_cannot_be_at_a_showing_at_the_same_time(web, agent, listing):
    # given a showing of the agent's tomorrow 10:00–10:20 (planned)
    starts_at, _ = slot(days=1, hour=10)
    stop = visit(
        ListingFactory(agent=agent), ClientFactory(owner=agent), dt.datetime.fromisoformat(starts_at)
    )
    # when
    clash = schedule(web, listing, days=1, hour=9)
    # then
    assert clash.status_code == 409 and f"#{stop.showing_id}" in clash.json()["message"]


def test_who_may_schedule_and_sign_up(web, agent, colleague, listing, stranger):
    # a colleague may not schedule for someone else's listing, but may bring their own client
    assert schedule(login(colleague), listing).status_code == 403
    open_day = schedule(web, listing).json()
    theirs = ClientFactory(owner=colleague, name="同事的客户")
    assert sign_up(login(colleague), open_day["id"], theirs).status_code == 201
    # nobody signs up a client they may not write to, and the organiser sees the client only as theirs
    assert sign_up(web, open_day["id"], theirs).status_code == 403
    seen = web.get(f"{API}/{open_day['id']}").json()["signups"][0]["client"]
    assert seen == f"{colleague.name}的客户"
    assert login(colleague).get(f"{API}/{open_day['id']}").json()["signups"][0]["client"] == "同事的客户"
    # another company sees nothing
    assert login(stranger).get(f"{API}/{open_day['id']}").status_code == 404


def test_the_list_is_a_cursor_page_filtered_by_listing(web, agent, listing):
    schedule(web, listing, days=2)
    schedule(web, listing, days=3)
    other = ListingFactory(agent=agent, verified_at=timezone.now())
    schedule(web, other, days=4)
    page = web.get(f"{API}?listing={listing.pk}&limit=1").json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = web.get(f"{API}?listing={listing.pk}&limit=1&cursor={page['next_cursor']}").json()
    assert rest["items"][0]["starts_at"] > page["items"][0]["starts_at"] and rest["next_cursor"] is None
    assert len(web.get(API).json()["items"]) == 3


def test_a_malformed_request_is_422(web, listing):
    answer = web.post(API, {"listing_id": listing.pk, "capacity": 0}, content_type="application/json")
    assert answer.status_code == 422


# --- the pages ---------------------------------------------------------------------------------


def test_the_agent_schedules_an_open_day_and_signs_a_client_up_on_the_pages(web, agent, listing):
    # given
    client = ClientFactory(owner=agent, name="李买家")
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    # when
    scheduled = web.post(
        f"/listings/{listing.pk}/open-days/", {"day": day, "start": "10:00", "end": "12:00", "capacity": "1"}
    )
    open_day = OpenDay.objects.get()
    signed = web.post(f"/open-days/{open_day.pk}/signups/", {"client": str(client.pk)}, follow=True)
    full = web.post(f"/open-days/{open_day.pk}/signups/", {"client": str(client.pk)})
    # then
    assert scheduled.status_code == 302 and scheduled["Location"] == f"/open-days/{open_day.pk}/"
    assert timezone.localtime(open_day.starts_at).hour == 10 and open_day.capacity == 1
    page = signed.content.decode()
    assert "李买家" in page and 'data-testid="taken">1/1<' in page
    assert "已报名该开放日" in full.content.decode()  # the service's words, on the form
    listing_page = web.get(f"/listings/{listing.pk}/open-days/").content.decode()
    assert f'data-open-day="{open_day.pk}"' in listing_page and "已报名 1/1" in listing_page


def test_the_page_refuses_a_slot_in_the_past_with_the_services_words(web, listing):
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    page = web.post(
        f"/listings/{listing.pk}/open-days/", {"day": day, "start": "10:00", "end": "12:00", "capacity": "3"}
    ).content.decode()
    assert "开始时间必须在将来" in page and not OpenDay.objects.exists()


def test_a_colleague_sees_open_days_but_gets_no_schedule_form(web, listing, colleague):
    schedule(web, listing)
    page = login(colleague).get(f"/listings/{listing.pk}/open-days/").content.decode()
    assert 'data-open-day="' in page and 'data-testid="open-day-form"' not in page
    assert login(colleague).post(f"/listings/{listing.pk}/open-days/", {}).status_code == 403


def test_cancelling_on_the_page(web, agent, listing):
    open_day = schedule(web, listing).json()
    client = ClientFactory(owner=agent, name="李买家")
    signup_id = sign_up(web, open_day["id"], client).json()["signups"][0]["id"]
    web.post(f"/open-days/{open_day['id']}/signups/{signup_id}/cancel/")
    page = web.post(f"/open-days/{open_day['id']}/cancel/", follow=True).content.decode()
    assert 'data-testid="status"' in page and "开放日已取消" in page
    assert OpenDaySignup.objects.get().cancelled_at is not None
